//! The two-factor fast path of the product sumcheck, `Σ_x f(x) g(x)` without eq.
//!
//! Round polynomial `s(X) = Σ_j (f_lo + X (f_hi − f_lo))(g_lo + X (g_hi − g_lo))`, sent as
//! `s(0) = Σ f_lo g_lo` and its leading coefficient `Σ (f_hi − f_lo)(g_hi − g_lo)` (`s(1)` is
//! implied by the claim): `kaizen_field::batch::prod2_sums`, products summed unreduced.
//!
//! [`bind_and_sum`] fuses the bind of round `i` with the sums of round `i + 1`: with
//! `h = |f| / 2` and `q = h / 2`, the bound table is `f'[j] = f[j] + r (f[j + h] − f[j])`, and
//! round `i + 1` pairs `f'[j]` with `f'[j + q]`, which come from the four quarters
//! `f[j], f[j + q], f[j + h], f[j + h + q]`. `kaizen_field::batch::bind_prod2_sums` does both
//! in one memory pass (on AVX-512 IFMA one kernel: load, fold, store, multiply and accumulate
//! without leaving the registers). The results equal `bind_top` followed by [`prod2_sums`]
//! exactly (field arithmetic is exact), whatever the backend and thread count.

use kaizen_field::{batch, Fr};

use crate::poly::DenseTable;

/// `(s(0), leading coefficient)` of the round polynomial of `Σ f g` (see the module doc).
pub(crate) fn prod2_sums(f: &[Fr], g: &[Fr]) -> (Fr, Fr) {
    let half = f.len() / 2;
    let (f0, f1) = f.split_at(half);
    let (g0, g1) = g.split_at(half);
    batch::prod2_sums(f0, f1, g0, g1)
}

/// Binds the top variable of `f` and `g` to `r` and returns the next round's sums
/// ([`prod2_sums`] of the bound tables), in one pass. Both tables need at least 2 variables
/// (so that the bound tables still have a round); equal sizes.
pub(crate) fn bind_and_sum(f: &mut DenseTable, g: &mut DenseTable, r: Fr) -> (Fr, Fr) {
    assert!(
        f.num_vars() >= 2 && f.num_vars() == g.num_vars(),
        "kaizen-sumcheck: bind_and_sum on tables of {} and {} variables",
        f.num_vars(),
        g.num_vars()
    );
    let sums = batch::bind_prod2_sums(f.evals_mut(), g.evals_mut(), r);
    f.truncate_to_low_half();
    g.truncate_to_low_half();
    sums
}

#[cfg(test)]
mod tests {
    use super::*;
    use kaizen_field::Field;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    #[test]
    fn fused_bind_equals_bind_then_sum() {
        let mut rng = ChaCha20Rng::seed_from_u64(17);
        for n in [2usize, 3, 5, 11, 13, 16] {
            let f: Vec<Fr> = (0..1 << n).map(|_| Fr::random(&mut rng)).collect();
            let g: Vec<Fr> = (0..1 << n).map(|_| Fr::random(&mut rng)).collect();
            let r = Fr::random(&mut rng);
            let (mut f1, mut g1) = (DenseTable::new(f.clone()), DenseTable::new(g.clone()));
            let fused = bind_and_sum(&mut f1, &mut g1, r);
            let (mut f2, mut g2) = (DenseTable::new(f), DenseTable::new(g));
            f2.bind_top(r);
            g2.bind_top(r);
            assert_eq!(f1, f2, "n = {n}");
            assert_eq!(g1, g2, "n = {n}");
            let (b, c) = (f2.evals(), g2.evals());
            let h = b.len() / 2;
            let s0: Fr = (0..h).map(|j| b[j] * c[j]).sum();
            let lead: Fr = (0..h).map(|j| (b[j + h] - b[j]) * (c[j + h] - c[j])).sum();
            assert_eq!(fused, (s0, lead), "n = {n}");
            assert_eq!(prod2_sums(b, c), (s0, lead), "n = {n}");
        }
    }
}
