//! Datasets: IDX files, Fashion-MNIST, the embedded subset, input transforms, batch schedule.
//!
//! | module | contents |
//! |---|---|
//! | [`idx`] | IDX reader (raw or gzip), errors naming the file |
//! | [`fashion`] | [`Dataset`], [`FashionMnist`]: from a directory or the embedded subset |
//! | [`transform`] | 28x28 grey bytes -> model input at scale `2^f` (plain, padded 32x32, 3x64x64) |
//! | [`schedule`] | [`BatchSchedule`]: the public mini-batch order from `(seed, iteration)` |

pub mod fashion;
pub mod idx;
pub mod schedule;
pub mod transform;

pub use fashion::{Dataset, FashionMnist};
pub use schedule::BatchSchedule;
