//! The exact baseline: a query scored against every unit of a memory, with no index.
//! Benchmarks measure the index's recall and speed against it.

use rapidfuzz::distance::levenshtein::BatchComparator;

use stdbridge_tm::fuzzy::{self, Analyzed};

/// Every unit's source, ready to be scored by brute force.
#[derive(Default)]
pub struct BruteForce {
    content: Vec<u64>,
    offsets: Vec<usize>,
    texts: Vec<String>,
    ids: Vec<i64>,
}

/// The best unit for a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Best {
    /// Its id.
    pub id: i64,
    /// Its score.
    pub score: u8,
}

impl BruteForce {
    /// An empty baseline.
    pub fn new() -> BruteForce {
        BruteForce {
            offsets: vec![0],
            ..BruteForce::default()
        }
    }

    /// Adds a unit's source text.
    pub fn add(&mut self, id: i64, source: &str) {
        let analyzed = Analyzed::text(source);
        self.content.extend_from_slice(&analyzed.content);
        self.offsets.push(self.content.len());
        self.texts.push(source.to_owned());
        self.ids.push(id);
    }

    /// How many units it holds.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The best-scoring unit for `query`, using `threads` threads. Every unit's content
    /// distance gives an upper bound of its score; the units whose bound can still win
    /// are scored in full.
    pub fn best(&self, query: &str, threads: usize) -> Option<Best> {
        let query = Analyzed::text(query);
        let bounds = self.bounds(&query, threads.max(1));
        let top = *bounds.iter().max()?;
        // A unit's score is at most its bound and at least its bound minus 5.
        let floor = top.saturating_sub(5);
        let mut best: Option<Best> = None;
        for (at, bound) in bounds.iter().enumerate() {
            if *bound < floor || best.is_some_and(|b| b.score > *bound) {
                continue;
            }
            let score = fuzzy::score(&query, &Analyzed::text(&self.texts[at]));
            let better = match best {
                None => true,
                Some(b) => score > b.score,
            };
            if better {
                best = Some(Best {
                    id: self.ids[at],
                    score,
                });
            }
        }
        best
    }

    fn bounds(&self, query: &Analyzed, threads: usize) -> Vec<u8> {
        let comparator = BatchComparator::new(query.content.iter().copied());
        let count = self.ids.len();
        let chunk = count.div_ceil(threads).max(1);
        let mut bounds = vec![0u8; count];
        std::thread::scope(|scope| {
            for (part, slots) in bounds.chunks_mut(chunk).enumerate() {
                let comparator = &comparator;
                scope.spawn(move || {
                    let first = part * chunk;
                    for (offset, slot) in slots.iter_mut().enumerate() {
                        let at = first + offset;
                        let content = &self.content[self.offsets[at]..self.offsets[at + 1]];
                        let distance = comparator.distance(content.iter().copied());
                        *slot = fuzzy::upper_bound(query, content, distance);
                    }
                });
            }
        });
        bounds
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_baseline_finds_the_best_unit() {
        let mut baseline = BruteForce::new();
        baseline.add(1, "本标准规定了集装箱的分类。");
        baseline.add(2, "本标准规定了罐式集装箱的分类和尺寸。");
        baseline.add(3, "试验方法应符合附录A的规定。");
        let best = baseline
            .best("本标准规定了罐式集装箱的分类和大小。", 2)
            .expect("a best unit");
        assert_eq!(best.id, 2);
        let exact = baseline
            .best("试验方法应符合附录A的规定。", 1)
            .expect("exact");
        assert_eq!(exact, Best { id: 3, score: 100 });
    }
}
