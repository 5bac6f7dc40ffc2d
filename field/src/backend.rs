//! Run-time choice of arithmetic backend, made once and cached.
//!
//! The batch kernels (`batch/`) run on one of four backends; the scalar Montgomery
//! multiplication uses `kaizen-asm` (MULX/ADCX/ADOX) when the CPU has BMI2 + ADX.
//!
//! `KAIZEN_SIMD=portable|avx2|avx512|neon|auto` forces a batch backend. `portable` also turns
//! off the scalar asm, so one binary can test the pure-Rust path. Forcing a backend the CPU
//! lacks is an error ([`BackendError`]), never an illegal instruction: the CLI calls
//! [`init`] first and reports it; library users who skip `init` get a panic naming the cause
//! on first use.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

/// A batch-kernel backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// Plain Rust, every target.
    Portable,
    /// x86-64 AVX2 (4 x 64-bit lanes).
    Avx2,
    /// x86-64 AVX-512 with IFMA (8 lanes of 52-bit limbs).
    Avx512,
    /// aarch64 NEON.
    Neon,
}

/// Why a requested backend cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BackendError {
    /// `KAIZEN_SIMD` holds a name that is not a backend.
    #[error(
        "KAIZEN_SIMD={value:?} is not a backend (expected portable, avx2, avx512, neon or auto)"
    )]
    UnknownName {
        /// The value found.
        value: String,
    },
    /// The backend exists but this CPU lacks the features it needs.
    #[error("backend {backend} needs CPU features [{needs}] that this CPU does not have")]
    Unavailable {
        /// The backend's name.
        backend: &'static str,
        /// The features it needs.
        needs: &'static str,
    },
}

impl Backend {
    /// Every backend, in order of preference (best last).
    pub const ALL: [Backend; 4] = [
        Backend::Portable,
        Backend::Neon,
        Backend::Avx2,
        Backend::Avx512,
    ];

    /// The backend's name, as `KAIZEN_SIMD` spells it.
    pub const fn name(self) -> &'static str {
        match self {
            Backend::Portable => "portable",
            Backend::Avx2 => "avx2",
            Backend::Avx512 => "avx512",
            Backend::Neon => "neon",
        }
    }

    /// CPU features the backend needs.
    pub const fn needs(self) -> &'static str {
        match self {
            Backend::Portable => "",
            Backend::Avx2 => "avx2",
            Backend::Avx512 => "avx512f avx512ifma avx512vl avx512bw avx512dq avx512vbmi2",
            Backend::Neon => "neon",
        }
    }

    /// Parses a `KAIZEN_SIMD` value; `auto` and the empty string give `None`.
    pub fn parse(value: &str) -> Result<Option<Backend>, BackendError> {
        match value.trim().to_ascii_lowercase().as_str() {
            "" | "auto" => Ok(None),
            "portable" => Ok(Some(Backend::Portable)),
            "avx2" => Ok(Some(Backend::Avx2)),
            "avx512" => Ok(Some(Backend::Avx512)),
            "neon" => Ok(Some(Backend::Neon)),
            _ => Err(BackendError::UnknownName {
                value: value.to_string(),
            }),
        }
    }

    /// Whether this CPU can run the backend.
    pub fn is_available(self) -> bool {
        match self {
            Backend::Portable => true,
            #[cfg(target_arch = "x86_64")]
            Backend::Avx2 => std::arch::is_x86_feature_detected!("avx2"),
            #[cfg(target_arch = "x86_64")]
            Backend::Avx512 => {
                std::arch::is_x86_feature_detected!("avx512f")
                    && std::arch::is_x86_feature_detected!("avx512ifma")
                    && std::arch::is_x86_feature_detected!("avx512vl")
                    && std::arch::is_x86_feature_detected!("avx512bw")
                    && std::arch::is_x86_feature_detected!("avx512dq")
                    && std::arch::is_x86_feature_detected!("avx512vbmi2")
            }
            #[cfg(target_arch = "aarch64")]
            Backend::Neon => std::arch::is_aarch64_feature_detected!("neon"),
            #[allow(unreachable_patterns)]
            _ => false,
        }
    }

    /// Every backend this CPU can run, portable first.
    pub fn available() -> Vec<Backend> {
        Self::ALL.into_iter().filter(|b| b.is_available()).collect()
    }

    /// The best backend this CPU can run.
    pub fn best() -> Backend {
        Self::ALL
            .into_iter()
            .rev()
            .find(|b| b.is_available())
            .unwrap_or(Backend::Portable)
    }

    /// Checks the backend can run here.
    pub fn require(self) -> Result<Backend, BackendError> {
        if self.is_available() {
            Ok(self)
        } else {
            Err(BackendError::Unavailable {
                backend: self.name(),
                needs: self.needs(),
            })
        }
    }
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The configuration resolved from the environment and the CPU.
#[derive(Debug, Clone, Copy)]
struct Resolved {
    batch: Backend,
    scalar_asm: bool,
}

static RESOLVED: OnceLock<Result<Resolved, BackendError>> = OnceLock::new();

/// 0 = not yet resolved, 1 = portable scalar path, 2 = asm scalar path.
static SCALAR_ASM: AtomicU8 = AtomicU8::new(0);

fn cpu_has_scalar_asm() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("bmi2") && std::arch::is_x86_feature_detected!("adx")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

fn resolve() -> &'static Result<Resolved, BackendError> {
    RESOLVED.get_or_init(|| {
        let forced = Backend::parse(&std::env::var("KAIZEN_SIMD").unwrap_or_default())?;
        let batch = match forced {
            Some(b) => b.require()?,
            None => Backend::best(),
        };
        let scalar_asm = batch != Backend::Portable && cpu_has_scalar_asm();
        Ok(Resolved { batch, scalar_asm })
    })
}

/// Resolves the backend from `KAIZEN_SIMD` and the CPU; call once at start-up to turn a bad
/// `KAIZEN_SIMD` into an error message instead of a panic on first use.
pub fn init() -> Result<Backend, BackendError> {
    resolve().clone().map(|r| r.batch)
}

/// The batch backend in use.
pub fn backend() -> Backend {
    match resolve() {
        Ok(r) => r.batch,
        Err(e) => panic!("kaizen-field: {e}"),
    }
}

/// Whether scalar multiplication uses the asm kernel (hot path: one relaxed load).
#[inline(always)]
pub(crate) fn scalar_asm() -> bool {
    match SCALAR_ASM.load(Ordering::Relaxed) {
        2 => true,
        1 => false,
        _ => scalar_asm_slow(),
    }
}

#[cold]
fn scalar_asm_slow() -> bool {
    let on = match resolve() {
        Ok(r) => r.scalar_asm,
        Err(e) => panic!("kaizen-field: {e}"),
    };
    SCALAR_ASM.store(if on { 2 } else { 1 }, Ordering::Relaxed);
    on
}

/// Whether the scalar asm path is in use.
pub fn scalar_asm_enabled() -> bool {
    scalar_asm()
}

/// Turns the scalar asm path on or off for this process (benches compare both in one run).
/// Turning it on fails if the CPU lacks BMI2/ADX. Results are identical either way.
pub fn set_scalar_asm(on: bool) -> Result<(), BackendError> {
    if on && !cpu_has_scalar_asm() {
        return Err(BackendError::Unavailable {
            backend: "asm",
            needs: "bmi2 adx",
        });
    }
    SCALAR_ASM.store(if on { 2 } else { 1 }, Ordering::Relaxed);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_names() {
        assert_eq!(Backend::parse("AVX512"), Ok(Some(Backend::Avx512)));
        assert_eq!(Backend::parse("auto"), Ok(None));
        assert!(matches!(
            Backend::parse("sse9"),
            Err(BackendError::UnknownName { .. })
        ));
        for b in Backend::ALL {
            assert_eq!(Backend::parse(b.name()), Ok(Some(b)));
        }
    }

    #[test]
    fn portable_always_available_and_best_is_available() {
        assert!(Backend::Portable.is_available());
        assert!(Backend::best().is_available());
        assert!(Backend::available().contains(&Backend::best()));
    }
}
