//! The `msm` suite: variable-base MSM on BN254 G1 and Grumpkin, full-width and small-integer
//! scalars, on one thread (a local rayon pool) and on all threads; with the `references`
//! feature, halo2curves' `msm_best` and arkworks' MSM on the same bases and scalars, in the
//! same run, and our ratios against them.
//!
//! Figures (`N` = 2^log_n, default log_n = 16; `T` = 1 and the rayon thread count), in ms:
//! - `bn254.msm.n<N>.full.t<T>`: random `Fr` scalars;
//! - `bn254.msm.n<N>.i16.t<T>`, `bn254.msm.n<N>.i8.t<T>`: random signed integers;
//! - `grumpkin.msm.n<N>.full.t<T>`: random `Fq` scalars;
//! - references: `ref.halo2curves.msm.n<N>.full.t<T>`, `ref.ark.msm.n<N>.{full,i16,i8}.t<T>`,
//!   `ref.ark.grumpkin.msm.n<N>.full.t<T>`;
//! - ratios (unit `ratio`): `ratio.msm.n<N>.full_vs_halo2.t<T>` (issue target <= 0.8),
//!   `ratio.msm.n<N>.i16_vs_ark.t<T>` (<= 0.25), `ratio.msm.n<N>.i16_over_i8.t<T>` (>= 1.6).

use std::time::Duration;

use kaizen_field::{Field, Fq, Fr};
use kaizen_msm::{
    generators, msm_small_vartime, msm_vartime, Bn254, G1Affine, Grumpkin, GrumpkinAffine,
};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

use crate::timing::{measure, ms};
use crate::{BenchError, Figure, SuiteOptions};

/// Largest log_n accepted (2^24 bases are 1 GiB of affine points).
const MAX_LOG_N: u32 = 24;

/// The inputs every figure of one size shares.
struct Inputs {
    n: usize,
    bn: Vec<G1Affine>,
    gr: Vec<GrumpkinAffine>,
    fr: Vec<Fr>,
    fq: Vec<Fq>,
    i16s: Vec<i16>,
    i8s: Vec<i8>,
}

fn inputs(log_n: u32) -> Inputs {
    let n = 1usize << log_n;
    let mut rng = ChaCha20Rng::seed_from_u64(0x6d73_6d5f_6265_6e63);
    Inputs {
        n,
        bn: generators::<Bn254>(b"kaizen-bench-msm", n),
        gr: generators::<Grumpkin>(b"kaizen-bench-msm", n),
        fr: (0..n).map(|_| Fr::random(&mut rng)).collect(),
        fq: (0..n).map(|_| Fq::random(&mut rng)).collect(),
        i16s: (0..n).map(|_| rng.next_u32() as i16).collect(),
        i8s: (0..n).map(|_| rng.next_u32() as i8).collect(),
    }
}

/// Times `f` with the suite's budget, on `threads` threads (1: a local pool; else the
/// global pool), in ms.
fn time_ms<T: Send>(quick: bool, threads: usize, f: impl Fn() -> T + Sync + Send) -> f64 {
    let (budget, runs) = if quick {
        (Duration::ZERO, 1)
    } else {
        (Duration::from_secs(3), 3)
    };
    if threads == 1 {
        match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
            Ok(pool) => pool.install(|| ms(measure(budget, runs, &f))),
            Err(_) => ms(measure(budget, runs, &f)),
        }
    } else {
        ms(measure(budget, runs, &f))
    }
}

/// Runs the suite.
pub fn run(opts: &SuiteOptions) -> Result<Vec<Figure>, BenchError> {
    let log_n = opts.log_n.unwrap_or(16);
    if !(1..=MAX_LOG_N).contains(&log_n) {
        return Err(BenchError::BadOption {
            suite: "msm",
            what: format!("--log-n {log_n} is outside 1..={MAX_LOG_N}"),
        });
    }
    let inp = inputs(log_n);
    let all = rayon::current_num_threads();
    let mut threads = vec![1];
    if all > 1 {
        threads.push(all);
    }
    let n = inp.n;
    let mut figs = Vec::new();
    for &t in &threads {
        let q = opts.quick;
        let full = time_ms(q, t, || msm_vartime(&inp.bn, &inp.fr));
        figs.push(Figure::new(format!("bn254.msm.n{n}.full.t{t}"), full, "ms"));
        let i16t = time_ms(q, t, || msm_small_vartime(&inp.bn, &inp.i16s));
        figs.push(Figure::new(format!("bn254.msm.n{n}.i16.t{t}"), i16t, "ms"));
        let i8t = time_ms(q, t, || msm_small_vartime(&inp.bn, &inp.i8s));
        figs.push(Figure::new(format!("bn254.msm.n{n}.i8.t{t}"), i8t, "ms"));
        let gr = time_ms(q, t, || msm_vartime(&inp.gr, &inp.fq));
        figs.push(Figure::new(
            format!("grumpkin.msm.n{n}.full.t{t}"),
            gr,
            "ms",
        ));
        figs.push(Figure::new(
            format!("ratio.msm.n{n}.i16_over_i8.t{t}"),
            i16t / i8t,
            "ratio",
        ));
        #[cfg(feature = "references")]
        references::run(&inp, q, t, full, i16t, &mut figs);
    }
    Ok(figs)
}

#[cfg(feature = "references")]
mod references {
    //! halo2curves 0.10 and arkworks 0.6 on the same bases and scalars.

    use ark_ec::{CurveGroup, VariableBaseMSM};
    use ark_ff::PrimeField as _;
    use halo2curves::ff::PrimeField as _;
    use halo2curves::CurveAffine as _;
    use kaizen_field::PrimeField;

    use super::{time_ms, Inputs};
    use crate::Figure;

    fn h2_fq(v: &kaizen_field::Fq) -> halo2curves::bn256::Fq {
        Option::from(halo2curves::bn256::Fq::from_repr(v.to_bytes().into())).unwrap_or_default()
    }

    pub(super) fn run(
        inp: &Inputs,
        q: bool,
        t: usize,
        full: f64,
        i16t: f64,
        figs: &mut Vec<Figure>,
    ) {
        let n = inp.n;
        // halo2curves: bases and scalars converted from ours.
        let h2_bases: Vec<halo2curves::bn256::G1Affine> = inp
            .bn
            .iter()
            .filter_map(|p| p.xy())
            .filter_map(|(x, y)| {
                Option::from(halo2curves::bn256::G1Affine::from_xy(h2_fq(&x), h2_fq(&y)))
            })
            .collect();
        let h2_scalars: Vec<halo2curves::bn256::Fr> = inp
            .fr
            .iter()
            .map(|s| {
                Option::from(halo2curves::bn256::Fr::from_repr(s.to_bytes().into()))
                    .unwrap_or_default()
            })
            .collect();
        if h2_bases.len() == n {
            let h2 = time_ms(q, t, || halo2curves::msm::msm_best(&h2_scalars, &h2_bases));
            figs.push(Figure::new(
                format!("ref.halo2curves.msm.n{n}.full.t{t}"),
                h2,
                "ms",
            ));
            figs.push(Figure::new(
                format!("ratio.msm.n{n}.full_vs_halo2.t{t}"),
                full / h2,
                "ratio",
            ));
        }
        // arkworks BN254.
        let ark_bases: Vec<ark_bn254::G1Affine> = inp
            .bn
            .iter()
            .map(|p| match p.xy() {
                Some((x, y)) => ark_bn254::G1Affine::new_unchecked(
                    ark_bn254::Fq::from_le_bytes_mod_order(&x.to_bytes()),
                    ark_bn254::Fq::from_le_bytes_mod_order(&y.to_bytes()),
                ),
                None => ark_bn254::G1Affine::identity(),
            })
            .collect();
        let ark_full: Vec<ark_bn254::Fr> = inp
            .fr
            .iter()
            .map(|s| ark_bn254::Fr::from_le_bytes_mod_order(&s.to_bytes()))
            .collect();
        let ark_i16: Vec<ark_bn254::Fr> = inp
            .i16s
            .iter()
            .map(|&v| ark_bn254::Fr::from(v as i64))
            .collect();
        let ark_i8: Vec<ark_bn254::Fr> = inp
            .i8s
            .iter()
            .map(|&v| ark_bn254::Fr::from(v as i64))
            .collect();
        let msm = |s: &[ark_bn254::Fr]| {
            ark_bn254::G1Projective::msm_unchecked(&ark_bases, s).into_affine()
        };
        let af = time_ms(q, t, || msm(&ark_full));
        figs.push(Figure::new(format!("ref.ark.msm.n{n}.full.t{t}"), af, "ms"));
        let a16 = time_ms(q, t, || msm(&ark_i16));
        figs.push(Figure::new(format!("ref.ark.msm.n{n}.i16.t{t}"), a16, "ms"));
        figs.push(Figure::new(
            format!("ratio.msm.n{n}.i16_vs_ark.t{t}"),
            i16t / a16,
            "ratio",
        ));
        let a8 = time_ms(q, t, || msm(&ark_i8));
        figs.push(Figure::new(format!("ref.ark.msm.n{n}.i8.t{t}"), a8, "ms"));
        // arkworks Grumpkin.
        let gr_bases: Vec<ark_grumpkin::Affine> = inp
            .gr
            .iter()
            .map(|p| match p.xy() {
                Some((x, y)) => ark_grumpkin::Affine::new_unchecked(
                    ark_grumpkin::Fq::from_le_bytes_mod_order(&x.to_bytes()),
                    ark_grumpkin::Fq::from_le_bytes_mod_order(&y.to_bytes()),
                ),
                None => ark_grumpkin::Affine::identity(),
            })
            .collect();
        let gr_s: Vec<ark_grumpkin::Fr> = inp
            .fq
            .iter()
            .map(|s| ark_grumpkin::Fr::from_le_bytes_mod_order(&s.to_bytes()))
            .collect();
        let ag = time_ms(q, t, || {
            ark_grumpkin::Projective::msm_unchecked(&gr_bases, &gr_s).into_affine()
        });
        figs.push(Figure::new(
            format!("ref.ark.grumpkin.msm.n{n}.full.t{t}"),
            ag,
            "ms",
        ));
    }
}
