//! Two engines measured fairly: in alternating rounds on the same inputs (A, B, A, B …),
//! each round giving one ratio B/A, reported as the median of the rounds' ratios with
//! its range. On a busy or noisy machine a slow spell then spreads over both engines
//! instead of falling on whichever ran first.

use serde::Serialize;

/// The ratios of the rounds of a comparison.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct RoundRatios {
    /// Rounds measured.
    pub rounds: usize,
    /// The median of the per-round ratios.
    pub median: f64,
    /// The smallest per-round ratio.
    pub min: f64,
    /// The largest per-round ratio.
    pub max: f64,
}

impl RoundRatios {
    /// The summary of per-round ratios (non-finite ones left out).
    pub fn of(ratios: &[f64]) -> RoundRatios {
        let mut sorted: Vec<f64> = ratios.iter().copied().filter(|r| r.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        let Some((&min, &max)) = sorted.first().zip(sorted.last()) else {
            return RoundRatios::default();
        };
        let middle = sorted.len() / 2;
        let median = if sorted.len() % 2 == 1 {
            sorted[middle]
        } else {
            (sorted[middle - 1] + sorted[middle]) / 2.0
        };
        RoundRatios {
            rounds: sorted.len(),
            median,
            min,
            max,
        }
    }

    /// `1.58× (1.40–1.75×, 5 rounds)`.
    pub fn describe(&self) -> String {
        format!(
            "{:.2}× ({:.2}–{:.2}×, {} rounds)",
            self.median, self.min, self.max, self.rounds
        )
    }
}

/// Runs `rounds` rounds of `a` then `b` on the same round number and returns each
/// round's measurements; the caller turns a round's pair into its ratio.
pub fn alternate<A, B, E>(
    rounds: usize,
    mut a: impl FnMut(usize) -> Result<A, E>,
    mut b: impl FnMut(usize) -> Result<B, E>,
) -> Result<Vec<(A, B)>, E> {
    let mut out = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let first = a(round)?;
        let second = b(round)?;
        out.push((first, second));
    }
    Ok(out)
}

/// The ratio p50(B) / p50(A) of pairs measured one after the other (A then B on the
/// same input), in `rounds` interleaved rounds.
pub fn paired_p50_ratios(
    pairs: &[(std::time::Duration, std::time::Duration)],
    rounds: usize,
) -> RoundRatios {
    let ratios: Vec<f64> = split_rounds(pairs, rounds)
        .iter()
        .map(|round| {
            let (a, b): (Vec<_>, Vec<_>) = round.iter().copied().unzip();
            median_seconds(b) / median_seconds(a).max(1e-12)
        })
        .collect();
    RoundRatios::of(&ratios)
}

fn median_seconds(mut times: Vec<std::time::Duration>) -> f64 {
    times.sort();
    times
        .get(times.len() / 2)
        .map_or(f64::NAN, std::time::Duration::as_secs_f64)
}

/// Splits `items` into `rounds` interleaved parts (item i goes to round i mod rounds), so
/// that each round sees the same mix of inputs.
pub fn split_rounds<T: Clone>(items: &[T], rounds: usize) -> Vec<Vec<T>> {
    let rounds = rounds.max(1);
    let mut parts: Vec<Vec<T>> = (0..rounds).map(|_| Vec::new()).collect();
    for (index, item) in items.iter().enumerate() {
        parts[index % rounds].push(item.clone());
    }
    parts.retain(|part| !part.is_empty());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_and_range_of_round_ratios() {
        let ratios = RoundRatios::of(&[1.2, 0.9, 1.5, f64::NAN, 1.1]);
        assert_eq!(ratios.rounds, 4);
        assert!((ratios.median - 1.15).abs() < 1e-9, "{ratios:?}");
        assert_eq!((ratios.min, ratios.max), (0.9, 1.5));
        assert_eq!(RoundRatios::of(&[2.0, 1.0, 3.0]).median, 2.0);
        assert_eq!(RoundRatios::of(&[]).rounds, 0);
        assert_eq!(
            RoundRatios::of(&[1.5, 1.75]).describe(),
            "1.62× (1.50–1.75×, 2 rounds)"
        );
    }

    #[test]
    fn rounds_alternate_the_engines_in_order() {
        let log = std::cell::RefCell::new(Vec::new());
        let pairs = alternate::<_, _, ()>(
            3,
            |round| {
                log.borrow_mut().push(format!("A{round}"));
                Ok(round)
            },
            |round| {
                log.borrow_mut().push(format!("B{round}"));
                Ok(round * 10)
            },
        )
        .expect("no error");
        assert_eq!(log.into_inner(), ["A0", "B0", "A1", "B1", "A2", "B2"]);
        assert_eq!(pairs, [(0, 0), (1, 10), (2, 20)]);
        let parts = split_rounds(&[1, 2, 3, 4, 5], 2);
        assert_eq!(parts, [vec![1, 3, 5], vec![2, 4]]);
        let ms = std::time::Duration::from_millis;
        let pairs = [
            (ms(1), ms(4)),
            (ms(2), ms(4)),
            (ms(1), ms(3)),
            (ms(2), ms(2)),
        ];
        let ratios = paired_p50_ratios(&pairs, 2);
        // Round 1: A 1, 1 → 1; B 4, 3 → 4 (upper middle): 4. Round 2: A 2, 2; B 4, 2 → 4: 2.
        assert_eq!(ratios.rounds, 2);
        assert_eq!((ratios.min, ratios.max), (2.0, 4.0));
    }
}
