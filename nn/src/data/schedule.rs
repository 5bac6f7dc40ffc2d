//! The public mini-batch schedule.
//!
//! Epoch `e` visits the training set in the order of a Fisher–Yates shuffle driven by
//! ChaCha20 seeded with `seed` on stream `2^32 + e` (streams below 2^32 initialise weights):
//! for `i = n-1 down to 1`, `j = (x * (i + 1)) >> 64` for the next `u64` `x`, swap `i, j`.
//! Iteration `t` is batch `t mod (n / B)` of epoch `t / (n / B)`: the `B` indices at
//! positions `[b*B, (b+1)*B)` of that order (a final partial batch is dropped). Anyone with
//! the seed recomputes the batch of any iteration.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

use crate::error::{NnError, Result};

/// Stream offset separating the schedule from weight initialisation.
pub const SCHEDULE_STREAM: u64 = 1 << 32;

/// Mini-batches of a dataset of `n` samples.
#[derive(Debug, Clone)]
pub struct BatchSchedule {
    seed: u64,
    n: usize,
    batch: usize,
    cached: Option<(u64, Vec<usize>)>,
}

impl BatchSchedule {
    /// A schedule; needs `1 <= batch <= n`.
    pub fn new(seed: u64, n: usize, batch: usize) -> Result<Self> {
        if batch == 0 || batch > n {
            return Err(NnError::BadParameter {
                name: "batch",
                what: format!("{batch} not in 1..={n}"),
            });
        }
        Ok(Self {
            seed,
            n,
            batch,
            cached: None,
        })
    }

    /// Full batches per epoch.
    pub fn batches_per_epoch(&self) -> u64 {
        (self.n / self.batch) as u64
    }

    /// The visiting order of epoch `epoch`.
    pub fn epoch_order(&self, epoch: u64) -> Vec<usize> {
        let mut rng = ChaCha20Rng::seed_from_u64(self.seed);
        rng.set_stream(SCHEDULE_STREAM + epoch);
        let mut order: Vec<usize> = (0..self.n).collect();
        for i in (1..self.n).rev() {
            let j = ((rng.next_u64() as u128 * (i as u128 + 1)) >> 64) as usize;
            order.swap(i, j);
        }
        order
    }

    /// The sample indices of iteration `iteration`.
    pub fn batch(&mut self, iteration: u64) -> Vec<usize> {
        let bpe = self.batches_per_epoch();
        let (epoch, b) = (iteration / bpe, (iteration % bpe) as usize);
        if self.cached.as_ref().map(|c| c.0) != Some(epoch) {
            self.cached = Some((epoch, self.epoch_order(epoch)));
        }
        let order = self
            .cached
            .as_ref()
            .map(|c| &c.1[b * self.batch..(b + 1) * self.batch]);
        order.map(<[usize]>::to_vec).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epochs_are_permutations_and_seeded() {
        let mut s = BatchSchedule::new(3, 100, 16).unwrap();
        assert_eq!(s.batches_per_epoch(), 6);
        let mut seen: Vec<usize> = (0..6).flat_map(|t| s.batch(t)).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 96);
        assert_ne!(s.batch(0), s.batch(6), "epoch 1 reshuffles");
        let mut fresh = BatchSchedule::new(3, 100, 16).unwrap();
        assert_eq!(fresh.batch(7), s.batch(7));
        let mut other = BatchSchedule::new(4, 100, 16).unwrap();
        assert_ne!(other.batch(0), s.batch(0));
        assert!(BatchSchedule::new(3, 10, 11).is_err());
    }
}
