//! Which lines two texts differ in: a shortest edit script over lines (Myers, "An O(ND)
//! difference algorithm", 1986), for reading what a person changed in an exported report.
//!
//! Hand edits are few, so the cost is the lines in common at either end (skipped first) plus
//! `D²` for `D` lines that differ. Past [`QUADRATIC_UP_TO`] differing lines (a long log pasted
//! under one item, hundreds of blanks filled between two items) the paper's linear-space
//! refinement takes over: memory linear in the lines, time their number times `D`. Both count
//! their steps against what the caller allows, and give up past it rather than spend that on a
//! rewritten document.

use std::ops::Range;

/// Lines `a` of the first text replaced by lines `b` of the second; either may be empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    pub a: Range<usize>,
    pub b: Range<usize>,
}

/// Up to this many differing lines, the search that keeps every round (memory `D²`, 8 MB here)
/// finds the script: it is the one reports were always read with, so where it can answer the
/// answer stays the same.
const QUADRATIC_UP_TO: usize = 1000;

/// The hunks that turn `a` into `b`, in order, keeping as many lines as any edit script can;
/// `None` when finding them would take more steps (each a diagonal visited or a pair of lines
/// compared) than are `left`, which is shared by every call a reading makes and counted down.
pub fn diff<T: PartialEq>(a: &[T], b: &[T], left: &mut usize) -> Option<Vec<Hunk>> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (a_mid, b_mid) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let kept = if a_mid.is_empty() || b_mid.is_empty() {
        // Only added or only removed lines: nothing between can be kept.
        Vec::new()
    } else {
        match kept_pairs(a_mid, b_mid, QUADRATIC_UP_TO, left) {
            Some(kept) => kept,
            None => {
                let mut kept = Vec::new();
                kept_pairs_linear(a_mid, b_mid, (0, 0), left, &mut kept)?;
                kept
            }
        }
    };
    let mut hunks = Vec::new();
    let (mut i, mut j) = (0, 0);
    for (x, y) in kept.into_iter().chain([(a_mid.len(), b_mid.len())]) {
        if x > i || y > j {
            hunks.push(Hunk { a: prefix + i..prefix + x, b: prefix + j..prefix + y });
        }
        (i, j) = (x + 1, y + 1);
    }
    Some(hunks)
}

/// Into `kept`, in order: the pairs of equal lines a shortest edit script of `a` into `b` keeps,
/// offset by `at`. Divide and conquer on a point of a shortest path found from both ends at
/// once (the paper's section 4b), so memory is linear; `None` once `left` steps are spent.
fn kept_pairs_linear<T: PartialEq>(
    a: &[T],
    b: &[T],
    at: (usize, usize),
    left: &mut usize,
    kept: &mut Vec<(usize, usize)>,
) -> Option<()> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    kept.extend((0..prefix).map(|i| (at.0 + i, at.1 + i)));
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    let (a_mid, b_mid) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    let at_mid = (at.0 + prefix, at.1 + prefix);
    if !a_mid.is_empty() && !b_mid.is_empty() {
        let (x, y) = split(a_mid, b_mid, left)?;
        // A point inside, so both halves are smaller and this ends. Texts that differ at both
        // ends always have one; were it not found, giving up beats recursing without end.
        if (x, y) == (0, 0) || (x, y) == (a_mid.len(), b_mid.len()) {
            return None;
        }
        kept_pairs_linear(&a_mid[..x], &b_mid[..y], at_mid, left, kept)?;
        kept_pairs_linear(&a_mid[x..], &b_mid[y..], (at_mid.0 + x, at_mid.1 + y), left, kept)?;
    }
    kept.extend((0..suffix).map(|i| (at_mid.0 + a_mid.len() + i, at_mid.1 + b_mid.len() + i)));
    Some(())
}

/// A point `(x, y)` on a shortest path from `(0, 0)` to `(n, m)` for `a` and `b` both
/// non-empty and differing in their first and last lines: where the furthest paths from the
/// start and from the end first overlap. `None` once `left` steps are spent.
fn split<T: PartialEq>(a: &[T], b: &[T], left: &mut usize) -> Option<(usize, usize)> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max_d = (n + m + 1) / 2;
    let off = max_d + 1;
    let len = 2 * off + 1;
    // forward[k + off]: how far along `a` the furthest path on diagonal k = x − y from the start
    // has reached; backward[k + off]: the same from the end, both coordinates counted from it.
    // −1: not reached yet.
    let (mut forward, mut backward) = (vec![-1isize; len as usize], vec![-1isize; len as usize]);
    forward[(off + 1) as usize] = 0;
    backward[(off + 1) as usize] = 0;
    let delta = n - m;
    // With an odd delta the paths first overlap in a forward round, with an even one in a
    // backward round.
    let odd = delta % 2 != 0;
    // Diagonals whose paths left the grid are not extended again (on the right, at the bottom).
    let (mut f_start, mut f_end, mut b_start, mut b_end) = (0, 0, 0, 0);
    let same_from_start = |x: usize, y: usize| a[x] == b[y];
    let same_from_end = |x: usize, y: usize| a[a.len() - 1 - x] == b[b.len() - 1 - y];
    for d in 0..=max_d {
        *left = left.checked_sub(2 * d as usize + 2)?;
        let mut k = -d + f_start;
        while k <= d - f_end {
            let (x, y) = furthest(&mut forward, (off + k) as usize, k, d, (n, m), same_from_start, left)?;
            if x > n {
                f_end += 2;
            } else if y > m {
                f_start += 2;
            } else if odd {
                let j = off + delta - k;
                if (0..len).contains(&j) && backward[j as usize] >= 0 && x >= n - backward[j as usize] {
                    return Some((x as usize, y as usize));
                }
            }
            k += 2;
        }
        let mut k = -d + b_start;
        while k <= d - b_end {
            let (x, y) = furthest(&mut backward, (off + k) as usize, k, d, (n, m), same_from_end, left)?;
            if x > n {
                b_end += 2;
            } else if y > m {
                b_start += 2;
            } else if !odd {
                let j = off + delta - k;
                if (0..len).contains(&j) && forward[j as usize] >= 0 && forward[j as usize] >= n - x {
                    let fx = forward[j as usize];
                    return Some((fx as usize, (fx - (j - off)) as usize));
                }
            }
            k += 2;
        }
    }
    // Paths of n + m steps from both ends always overlap.
    None
}

/// The furthest point on diagonal `k` (at `i` in `v`) one more edit takes a path of round `d`
/// to, then along the lines `same` says are equal; stored in `v`. Both directions of [`split`]
/// step this way, `same` comparing from the start or from the end. `None` once `left` is spent.
fn furthest(
    v: &mut [isize],
    i: usize,
    k: isize,
    d: isize,
    (n, m): (isize, isize),
    same: impl Fn(usize, usize) -> bool,
    left: &mut usize,
) -> Option<(isize, isize)> {
    let mut x = if k == -d || (k != d && v[i - 1] < v[i + 1]) { v[i + 1] } else { v[i - 1] + 1 };
    let mut y = x - k;
    let from = x;
    while x < n && y < m && same(x as usize, y as usize) {
        x += 1;
        y += 1;
    }
    *left = left.checked_sub((x - from) as usize)?;
    v[i] = x;
    Some((x, y))
}

/// The pairs of equal lines a shortest edit script keeps, in order.
/// `None` past `max` differing lines, or once `left` steps are spent.
fn kept_pairs<T: PartialEq>(a: &[T], b: &[T], max: usize, left: &mut usize) -> Option<Vec<(usize, usize)>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let limit = (n + m).min(max as isize);
    let off = limit + 1;
    // v[k + off]: how far along `a` the furthest path on diagonal k = x − y has reached.
    let mut v = vec![0isize; (2 * off + 1) as usize];
    // The furthest points before each round, diagonals −(d+1)..=d+1, to walk the path back.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    for d in 0..=limit {
        trace.push(v[(off - d - 1) as usize..=(off + d + 1) as usize].to_vec());
        *left = left.checked_sub(d as usize + 1)?;
        let mut k = -d;
        while k <= d {
            let from_above = k == -d || (k != d && v[(off + k - 1) as usize] < v[(off + k + 1) as usize]);
            let mut x = if from_above { v[(off + k + 1) as usize] } else { v[(off + k - 1) as usize] + 1 };
            let mut y = x - k;
            let from = x;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            *left = left.checked_sub((x - from) as usize)?;
            v[(off + k) as usize] = x;
            if x >= n && y >= m {
                return Some(walk_back(&trace, n, m));
            }
            k += 2;
        }
    }
    None
}

fn walk_back(trace: &[Vec<isize>], n: isize, m: isize) -> Vec<(usize, usize)> {
    let (mut x, mut y) = (n, m);
    let mut kept = Vec::new();
    for (d, snap) in trace.iter().enumerate().rev() {
        let d = d as isize;
        let at = |k: isize| snap[(k + d + 1) as usize];
        let k = x - y;
        let prev_k = if k == -d || (k != d && at(k - 1) < at(k + 1)) { k + 1 } else { k - 1 };
        let prev_x = if d == 0 { 0 } else { at(prev_k) };
        let prev_y = if d == 0 { 0 } else { prev_x - prev_k };
        while x > prev_x && y > prev_y {
            x -= 1;
            y -= 1;
            kept.push((x as usize, y as usize));
        }
        (x, y) = (prev_x, prev_y);
    }
    kept.reverse();
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn apply(a: &[u8], b: &[u8], hunks: &[Hunk]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut at = 0;
        for h in hunks {
            out.extend_from_slice(&a[at..h.a.start]);
            out.extend_from_slice(&b[h.b.clone()]);
            at = h.a.end;
        }
        out.extend_from_slice(&a[at..]);
        out
    }

    /// The longest common subsequence, the plain way.
    fn lcs(a: &[u8], b: &[u8]) -> usize {
        let mut row = vec![0usize; b.len() + 1];
        for x in a {
            let mut diag = 0;
            for (j, y) in b.iter().enumerate() {
                let up = row[j + 1];
                row[j + 1] = if x == y { diag + 1 } else { up.max(row[j]) };
                diag = up;
            }
        }
        row[b.len()]
    }

    #[test]
    fn a_line_typed_under_another_is_one_insertion_there() {
        let a = ["- [ ] a", "- [ ] b", "", "text"];
        let b = ["- [ ] a", "  typed", "- [ ] b", "", "text"];
        assert_eq!(diff(&a, &b, &mut 10), Some(vec![Hunk { a: 1..1, b: 1..2 }]));
        assert_eq!(diff(&a, &a, &mut 0), Some(vec![]));
        assert_eq!(diff(&a, &b, &mut 0), Some(vec![Hunk { a: 1..1, b: 1..2 }]), "an insertion costs no search");
    }

    /// A long log pasted under one line, and many more differing lines than the quadratic
    /// search keeps rounds for, interleaved with kept ones: read, not given up on.
    #[test]
    fn many_lines_added_or_changed_are_still_read() {
        let a: Vec<String> = ["- [ ] a", "- [ ] b"].map(String::from).to_vec();
        let mut b = a.clone();
        b.splice(1..1, (0..5000).map(|i| format!("  log line {i}")));
        assert_eq!(diff(&a, &b, &mut 0), Some(vec![Hunk { a: 1..1, b: 1..5001 }]));

        let blank = |i: usize| vec![format!("Check {i}"), format!("Value {}: ____", i % 3)];
        let filled = |i: usize| vec![format!("Check {i}"), format!("Value {}: {i} ms", i % 3)];
        let a: Vec<String> = (0..1500).flat_map(blank).collect();
        let b: Vec<String> = (0..1500).flat_map(filled).collect();
        let mut left = 50_000_000;
        let hunks = diff(&a, &b, &mut left).expect("read");
        let used = 50_000_000 - left;
        // About D² for D = 3,000 differing lines, the quadratic search's try included.
        assert!((1_000_000..10_000_000).contains(&used), "{used} steps");
        assert_eq!(hunks.len(), 1500);
        assert!(hunks.iter().enumerate().all(|(i, h)| h.a == (2 * i + 1..2 * i + 2) && h.b == h.a), "{hunks:?}");
        assert_eq!(diff(&a, &b, &mut (used - 1)), None, "a step short of the work it takes, it gives up");
        let mut exact = used;
        assert!(diff(&a, &b, &mut exact).is_some() && exact == 0);
    }

    proptest! {
        #[test]
        fn hunks_rebuild_the_second_and_keep_as_much_as_can_be_kept(
            a in proptest::collection::vec(0u8..4, 0..40),
            b in proptest::collection::vec(0u8..4, 0..40),
        ) {
            let mut left = usize::MAX;
            let hunks = diff(&a, &b, &mut left).unwrap();
            prop_assert_eq!(apply(&a, &b, &hunks), b.clone());
            let removed: usize = hunks.iter().map(|h| h.a.len()).sum();
            prop_assert_eq!(a.len() - removed, lcs(&a, &b));
            prop_assert!(hunks.windows(2).all(|w| w[0].a.end < w[1].a.start || w[0].b.end < w[1].b.start));
        }

        /// The linear-space search keeps as many lines as can be kept, in order, each pair equal.
        #[test]
        fn the_linear_search_keeps_a_longest_common_subsequence(
            (a, b) in (1u8..6).prop_flat_map(|letters| (
                proptest::collection::vec(0..letters, 0..80),
                proptest::collection::vec(0..letters, 0..80),
            )),
        ) {
            let mut kept = Vec::new();
            let mut left = usize::MAX;
            kept_pairs_linear(&a, &b, (0, 0), &mut left, &mut kept).unwrap();
            prop_assert_eq!(kept.len(), lcs(&a, &b));
            prop_assert!(kept.iter().all(|&(x, y)| a[x] == b[y]));
            prop_assert!(kept.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1));
        }
    }
}
