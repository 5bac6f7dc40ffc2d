//! The `field` suite (filled in below by the foundation work).

use crate::{BenchError, Figure, SuiteOptions};

/// Runs the field suite.
pub fn run(_opts: &SuiteOptions) -> Result<Vec<Figure>, BenchError> {
    Ok(Vec::new())
}
