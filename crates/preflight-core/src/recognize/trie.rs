//! A byte trie walked from a place in a text: every key that starts there is met in one walk,
//! which stops at the first byte no key has at that depth (within a byte or two for most
//! places). The vocabulary's first words and a document legend's labels are both found this
//! way; what a key stands for is the caller's, kept by the node the key ends at.

/// Keys as a trie laid out flat: the root's children in a table by byte, every other node's
/// children together in `edges`, sorted by byte.
pub struct Trie {
    /// The node each first byte leads to (0: none; node 0 is the root).
    root: Box<[u32; 256]>,
    /// Each node's children: a range of `edges`.
    nodes: Vec<(u32, u32)>,
    edges: Vec<(u8, u32)>,
}

impl Trie {
    /// The trie of `keys`, and the node each key ends at, in the order given: equal keys end at
    /// one node, and an empty key at the root, which a walk never reports.
    pub fn new(keys: &[&[u8]]) -> (Trie, Vec<u32>) {
        // Built as links in one list, (byte, first child, next sibling) per node, siblings in
        // byte order, then laid out flat: a list of children per node was an allocation per
        // node, and the vocabulary's tries were most of a small checklist's parse (built once
        // per process or page).
        const NONE: u32 = 0; // the root is no one's child or sibling
        let mut root = Box::new([0u32; 256]);
        let mut links: Vec<(u8, u32, u32)> = vec![(0, NONE, NONE)];
        let mut ends = Vec::with_capacity(keys.len());
        for &key in keys {
            let mut node = 0u32;
            for &b in key {
                if node == 0 {
                    node = match root[usize::from(b)] {
                        NONE => {
                            let child = links.len() as u32;
                            root[usize::from(b)] = child;
                            links.push((b, NONE, NONE));
                            child
                        }
                        child => child,
                    };
                    continue;
                }
                // Siblings are kept in byte order: the child is found, or goes in its place.
                let (mut before, mut next) = (NONE, links[node as usize].1);
                while next != NONE && links[next as usize].0 < b {
                    (before, next) = (next, links[next as usize].2);
                }
                node = if next != NONE && links[next as usize].0 == b {
                    next
                } else {
                    let child = links.len() as u32;
                    links.push((b, NONE, next));
                    match before {
                        NONE => links[node as usize].1 = child,
                        _ => links[before as usize].2 = child,
                    }
                    child
                };
            }
            ends.push(node);
        }
        let mut nodes = Vec::with_capacity(links.len());
        let mut edges: Vec<(u8, u32)> = Vec::with_capacity(links.len());
        nodes.push((0, 0));
        for node in 1..links.len() {
            let start = edges.len();
            let mut child = links[node].1;
            while child != NONE {
                edges.push((links[child as usize].0, child));
                child = links[child as usize].2;
            }
            nodes.push((start as u32, (edges.len() - start) as u32));
        }
        (Trie { root, nodes, edges }, ends)
    }

    /// How many nodes there are: every node the trie gives is below this.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The keys ending at each node, from `ends` (as `new` gave them): node n's are
    /// `keys[ranges[n].0..][..ranges[n].1]`, places in the order the keys were given, kept in
    /// that order. The layout both callers keep their payloads in.
    pub fn keys_by_node(&self, ends: &[u32]) -> (Vec<(u32, u32)>, Vec<u32>) {
        let mut ranges = vec![(0u32, 0u32); self.nodes.len()];
        for &node in ends {
            ranges[node as usize].1 += 1;
        }
        let mut at = 0;
        for range in &mut ranges {
            (range.0, at) = (at, at + range.1);
            range.1 = 0;
        }
        let mut keys = vec![0u32; ends.len()];
        for (k, &node) in ends.iter().enumerate() {
            let range = &mut ranges[node as usize];
            keys[(range.0 + range.1) as usize] = k as u32;
            range.1 += 1;
        }
        (ranges, keys)
    }

    /// `at(node, n)` for every node on `bytes`' path from its start: the first `n` bytes of
    /// `bytes` spell the node's key. Nodes where no key ends are reported too (the caller keeps
    /// nothing for them); the root never is.
    #[inline]
    pub fn walk(&self, bytes: &[u8], mut at: impl FnMut(usize, usize)) {
        let Some(&first) = bytes.first() else { return };
        let mut node = self.root[usize::from(first)];
        let mut depth = 1;
        while node != 0 {
            at(node as usize, depth);
            let Some(&b) = bytes.get(depth) else { return };
            let (start, len) = self.nodes[node as usize];
            let edges = &self.edges[start as usize..(start + len) as usize];
            // Most nodes have one or two children, where a scan beats halving (and is less code
            // in each of the walk's callers).
            node = edges.iter().find(|e| e.0 == b).map_or(0, |e| e.1);
            depth += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Trie;
    use proptest::prelude::*;

    /// Every (key, length) a walk from the start of `text` reports, where a key ends.
    fn walked(keys: &[&[u8]], text: &[u8]) -> Vec<(usize, usize)> {
        let (trie, ends) = Trie::new(keys);
        let mut out = Vec::new();
        trie.walk(text, |node, n| {
            for (k, &end) in ends.iter().enumerate() {
                if end as usize == node {
                    out.push((k, n));
                }
            }
        });
        out.sort_unstable();
        out
    }

    #[test]
    fn a_walk_meets_every_key_that_starts_the_text() {
        let keys: [&[u8]; 6] = [b"de", b"deploy", b"dep", b"x", b"deploy", b""];
        assert_eq!(walked(&keys, b"deployment"), vec![(0, 2), (1, 6), (2, 3), (4, 6)]);
        assert_eq!(walked(&keys, b"d"), vec![]);
        assert_eq!(walked(&keys, b""), vec![]);
        assert_eq!(walked(&keys, b"xy"), vec![(3, 1)]);
    }

    #[test]
    fn each_node_lists_its_keys_in_the_order_given() {
        let keys: [&[u8]; 5] = [b"ab", b"a", b"ab", b"", b"b"];
        let (trie, ends) = Trie::new(&keys);
        let (ranges, by_node) = trie.keys_by_node(&ends);
        let of = |k: usize| {
            let (start, len) = ranges[ends[k] as usize];
            by_node[start as usize..(start + len) as usize].to_vec()
        };
        assert_eq!(of(0), vec![0, 2]);
        assert_eq!(of(1), vec![1]);
        assert_eq!(of(3), vec![3], "the empty key, at the root");
        assert_eq!(of(4), vec![4]);
    }

    /// The construction `Trie::new` replaced: a list of children per node, kept sorted.
    fn built_with_lists(keys: &[&[u8]]) -> (Trie, Vec<u32>) {
        let mut children: Vec<Vec<(u8, u32)>> = vec![Vec::new()];
        let mut ends = Vec::new();
        for &key in keys {
            let mut node = 0usize;
            for &b in key {
                node = match children[node].binary_search_by_key(&b, |e| e.0) {
                    Ok(i) => children[node][i].1 as usize,
                    Err(i) => {
                        let child = children.len();
                        children[node].insert(i, (b, child as u32));
                        children.push(Vec::new());
                        child
                    }
                };
            }
            ends.push(node as u32);
        }
        let mut root = Box::new([0; 256]);
        for &(b, child) in &children[0] {
            root[usize::from(b)] = child;
        }
        let (mut nodes, mut edges) = (vec![(0, 0)], Vec::new());
        for list in &children[1..] {
            nodes.push((edges.len() as u32, list.len() as u32));
            edges.extend_from_slice(list);
        }
        (Trie { root, nodes, edges }, ends)
    }

    proptest! {
        /// Built from links, the trie is the one lists of children made, node for node.
        #[test]
        fn a_trie_built_from_links_is_the_one_built_from_lists(
            keys in prop::collection::vec(prop::collection::vec(prop::sample::select(b"abcd\xc3\xa9-".to_vec()), 0..6), 0..80),
        ) {
            let keys: Vec<&[u8]> = keys.iter().map(Vec::as_slice).collect();
            let (trie, ends) = Trie::new(&keys);
            let (lists, lists_ends) = built_with_lists(&keys);
            prop_assert_eq!((trie.root, trie.nodes, trie.edges, ends), (lists.root, lists.nodes, lists.edges, lists_ends));
        }

        /// The walk against the plain search: a key is met exactly when the text starts with it.
        #[test]
        fn the_walk_meets_the_keys_the_text_starts_with(
            keys in prop::collection::vec(prop::collection::vec(prop::sample::select(b"abcdefghij\xc3\xa9-1".to_vec()), 0..5), 0..60),
            text in prop::collection::vec(prop::sample::select(b"abcdefghij\xc3\xa9-1".to_vec()), 0..8),
        ) {
            let keys: Vec<&[u8]> = keys.iter().map(Vec::as_slice).collect();
            let plain: Vec<(usize, usize)> = keys.iter().enumerate()
                .filter(|(_, k)| !k.is_empty() && text.starts_with(k))
                .map(|(i, k)| (i, k.len()))
                .collect();
            prop_assert_eq!(walked(&keys, &text), plain);
        }
    }
}
