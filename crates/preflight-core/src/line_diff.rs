//! Which lines two texts differ in: a shortest edit script over lines (Myers, "An O(ND)
//! difference algorithm", 1986), for reading what a person changed in an exported report.
//!
//! Hand edits are few, so the cost is the lines in common at either end (skipped first) plus
//! `D²` for `D` lines that differ; past `max` differing lines it gives up rather than spend
//! quadratic time and memory on a document that was rewritten.

use std::ops::Range;

/// Lines `a` of the first text replaced by lines `b` of the second; either may be empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    pub a: Range<usize>,
    pub b: Range<usize>,
}

/// The hunks that turn `a` into `b`, in order, keeping as many lines as any edit script can;
/// `None` when more than `max` lines would be removed or added.
pub fn diff<T: PartialEq>(a: &[T], b: &[T], max: usize) -> Option<Vec<Hunk>> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (a_mid, b_mid) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let kept = kept_pairs(a_mid, b_mid, max)?;
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

/// The pairs of equal lines a shortest edit script keeps, in order.
fn kept_pairs<T: PartialEq>(a: &[T], b: &[T], max: usize) -> Option<Vec<(usize, usize)>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let limit = (n + m).min(max as isize);
    let off = limit + 1;
    // v[k + off]: how far along `a` the furthest path on diagonal k = x − y has reached.
    let mut v = vec![0isize; (2 * off + 1) as usize];
    // The furthest points before each round, diagonals −(d+1)..=d+1, to walk the path back.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    for d in 0..=limit {
        trace.push(v[(off - d - 1) as usize..=(off + d + 1) as usize].to_vec());
        let mut k = -d;
        while k <= d {
            let from_above = k == -d || (k != d && v[(off + k - 1) as usize] < v[(off + k + 1) as usize]);
            let mut x = if from_above { v[(off + k + 1) as usize] } else { v[(off + k - 1) as usize] + 1 };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
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
        assert_eq!(diff(&a, &b, 10), Some(vec![Hunk { a: 1..1, b: 1..2 }]));
        assert_eq!(diff(&a, &a, 0), Some(vec![]));
        assert_eq!(diff(&a, &b, 0), None, "one line over the limit");
    }

    proptest! {
        #[test]
        fn hunks_rebuild_the_second_and_keep_as_much_as_can_be_kept(
            a in proptest::collection::vec(0u8..4, 0..40),
            b in proptest::collection::vec(0u8..4, 0..40),
        ) {
            let hunks = diff(&a, &b, 80).unwrap();
            prop_assert_eq!(apply(&a, &b, &hunks), b.clone());
            let removed: usize = hunks.iter().map(|h| h.a.len()).sum();
            prop_assert_eq!(a.len() - removed, lcs(&a, &b));
            prop_assert!(hunks.windows(2).all(|w| w[0].a.end < w[1].a.start || w[0].b.end < w[1].b.start));
        }
    }
}
