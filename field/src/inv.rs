//! Field inversion.
//!
//! Two algorithms:
//!
//! - [`inverse`] (behind `Fp::inverse`): **variable time**. Bernstein–Yang "safegcd"
//!   divsteps (*Fast constant-time gcd computation and modular inversion*, TCHES 2019), in
//!   the variable-time form with batches of 62 divsteps: each batch reads only the low 62
//!   bits of `f` and `g`, jumps over runs of zero bits with `trailing_zeros`, and eliminates
//!   up to 6 low bits of `g` at once with a `-f^-1 mod 2^6` multiplier; the resulting 2x2
//!   transition matrix (entries `|u| + |v| <= 2^62`) is then applied to the full-size
//!   `f, g` and to the Bézout coefficients `d, e` (which are kept mod p by adding the
//!   multiple of p that makes them divisible by 2^62). Numbers are held as five signed
//!   62-bit limbs. The running time depends on the input value (number of batches, zero
//!   runs, branch outcomes). Use it on public values, or where the timing reveals nothing
//!   the proof does not (every current caller: batch normalisation, verifier, setup).
//! - [`Fp::inverse_fermat`]: **constant time** in the input, `a^(p-2)` by square-and-multiply
//!   over the public exponent (the branch pattern depends only on `p`); only whether the
//!   result is `None` (input zero) is revealed. Kept for tests and for callers holding
//!   secrets.
//!
//! Montgomery factor: the input limbs are `aR mod p`. The divsteps start with `e = R^2 mod p`
//! instead of 1, so the Bézout coefficient at the end is `(aR)^-1 * R^2 = a^-1 R`, the
//! Montgomery form of `a^-1`, with no extra multiplication.
//!
//! Invariants (mod p, `x` the input integer): `f = d * x / R^2` and `g = e * x / R^2`;
//! `f` odd; `d, e` in `(-2p, p)`; limbs 0..3 of every signed-62 number in `[0, 2^62)`, limb 4
//! signed. Termination: `g = 0`, then `f = +-1` (p prime, x != 0) and the result is `+-d`.

use crate::fp::{Fp, FpParams};
use crate::limbs::sub4;

const M62: u64 = u64::MAX >> 2;

/// A 2x2 transition matrix of 62 divsteps: `[f'; g'] * 2^62 = [u v; q r] * [f; g]`.
#[derive(Clone, Copy)]
struct Trans {
    u: i64,
    v: i64,
    q: i64,
    r: i64,
}

/// Five signed 62-bit limbs, little-endian (limbs 0..3 in `[0, 2^62)`, limb 4 signed).
type S62 = [i64; 5];

#[inline(always)]
const fn to_s62(a: &[u64; 4]) -> S62 {
    [
        (a[0] & M62) as i64,
        (((a[0] >> 62) | (a[1] << 2)) & M62) as i64,
        (((a[1] >> 60) | (a[2] << 4)) & M62) as i64,
        (((a[2] >> 58) | (a[3] << 6)) & M62) as i64,
        (a[3] >> 56) as i64,
    ]
}

/// Back to four 64-bit limbs; the value must be in `[0, 2^256)` with normalised limbs.
#[inline(always)]
fn from_s62(a: &S62) -> [u64; 4] {
    let l = a.map(|x| x as u64);
    [
        l[0] | (l[1] << 62),
        (l[1] >> 2) | (l[2] << 60),
        (l[2] >> 4) | (l[3] << 58),
        (l[3] >> 6) | (l[4] << 56),
    ]
}

/// Up to 62 divsteps on the low bits of `f` (odd) and `g`, variable time.
/// Returns the new `eta` (= -delta) and the transition matrix.
#[inline(always)]
fn divsteps_62_var(mut eta: i64, f0: u64, g0: u64) -> (i64, Trans) {
    let (mut u, mut v, mut q, mut r) = (1u64, 0u64, 0u64, 1u64);
    let (mut f, mut g) = (f0, g0);
    let mut i: u32 = 62;
    loop {
        // Skip the zero bits of g (at most i of them): each is one divstep g <- g/2, which
        // the matrix records by doubling f's row.
        let zeros = (g | (u64::MAX << i)).trailing_zeros();
        g >>= zeros;
        u <<= zeros;
        v <<= zeros;
        eta -= zeros as i64;
        i -= zeros;
        if i == 0 {
            break;
        }
        // g is odd. If delta > 0, swap: (f, g) <- (g, -f).
        let w;
        if eta < 0 {
            eta = -eta;
            let t = f;
            f = g;
            g = t.wrapping_neg();
            let t = u;
            u = q;
            q = t.wrapping_neg();
            let t = v;
            v = r;
            r = t.wrapping_neg();
            // Clear up to 6 bits of g: w = -g / f mod 2^limit (f(f^2 - 2) = -f^-1 mod 64).
            let limit = (eta as u32 + 1).min(i);
            let m = (u64::MAX >> (64 - limit)) & 63;
            w = f
                .wrapping_mul(g)
                .wrapping_mul(f.wrapping_mul(f).wrapping_sub(2))
                & m;
        } else {
            // Clear up to 4 bits of g (f + ((f+1)&4)<<1 = f^-1 mod 16).
            let limit = (eta as u32 + 1).min(i);
            let m = (u64::MAX >> (64 - limit)) & 15;
            let finv = f.wrapping_add(((f.wrapping_add(1)) & 4) << 1);
            w = finv.wrapping_neg().wrapping_mul(g) & m;
        }
        g = g.wrapping_add(f.wrapping_mul(w));
        q = q.wrapping_add(u.wrapping_mul(w));
        r = r.wrapping_add(v.wrapping_mul(w));
    }
    (
        eta,
        Trans {
            u: u as i64,
            v: v as i64,
            q: q as i64,
            r: r as i64,
        },
    )
}

/// `(f, g) <- ([u v; q r] (f, g)) / 2^62` (exact: the low 62 bits cancel).
#[inline(always)]
fn update_fg(f: &mut S62, g: &mut S62, t: &Trans) {
    let (u, v, q, r) = (t.u as i128, t.v as i128, t.q as i128, t.r as i128);
    let mut cf = u * f[0] as i128 + v * g[0] as i128;
    let mut cg = q * f[0] as i128 + r * g[0] as i128;
    debug_assert!(cf as u64 & M62 == 0 && cg as u64 & M62 == 0);
    cf >>= 62;
    cg >>= 62;
    for k in 1..5 {
        cf += u * f[k] as i128 + v * g[k] as i128;
        cg += q * f[k] as i128 + r * g[k] as i128;
        f[k - 1] = (cf as u64 & M62) as i64;
        g[k - 1] = (cg as u64 & M62) as i64;
        cf >>= 62;
        cg >>= 62;
    }
    f[4] = cf as i64;
    g[4] = cg as i64;
}

/// `(d, e) <- ([u v; q r] (d, e)) / 2^62 mod p`, keeping both in `(-2p, p)`: a multiple of p
/// is added to make the sums divisible by 2^62 (`p_inv62 = p^-1 mod 2^62`), plus p times the
/// matrix row for each negative input, as in Bernstein–Yang's analysis.
#[inline(always)]
fn update_de(d: &mut S62, e: &mut S62, t: &Trans, p: &S62, p_inv62: u64) {
    let (u, v, q, r) = (t.u, t.v, t.q, t.r);
    let sd = d[4] >> 63;
    let se = e[4] >> 63;
    let mut md = (u & sd) + (v & se);
    let mut me = (q & sd) + (r & se);
    let (u, v, q, r) = (u as i128, v as i128, q as i128, r as i128);
    let mut cd = u * d[0] as i128 + v * e[0] as i128;
    let mut ce = q * d[0] as i128 + r * e[0] as i128;
    // Choose md, me so that cd + p*md = ce + p*me = 0 mod 2^62.
    md -= (p_inv62.wrapping_mul(cd as u64).wrapping_add(md as u64) & M62) as i64;
    me -= (p_inv62.wrapping_mul(ce as u64).wrapping_add(me as u64) & M62) as i64;
    let (md, me) = (md as i128, me as i128);
    cd += p[0] as i128 * md;
    ce += p[0] as i128 * me;
    debug_assert!(cd as u64 & M62 == 0 && ce as u64 & M62 == 0);
    cd >>= 62;
    ce >>= 62;
    for k in 1..5 {
        cd += u * d[k] as i128 + v * e[k] as i128 + p[k] as i128 * md;
        ce += q * d[k] as i128 + r * e[k] as i128 + p[k] as i128 * me;
        d[k - 1] = (cd as u64 & M62) as i64;
        e[k - 1] = (ce as u64 & M62) as i64;
        cd >>= 62;
        ce >>= 62;
    }
    d[4] = cd as i64;
    e[4] = ce as i64;
}

/// Propagates carries so that limbs 0..3 are in `[0, 2^62)`.
#[inline(always)]
fn carry_s62(a: &mut S62) {
    for k in 0..4 {
        let c = a[k] >> 62;
        a[k] &= M62 as i64;
        a[k + 1] += c;
    }
}

/// `a + p` (signed-62).
#[inline(always)]
fn add_s62(a: &mut S62, p: &S62) {
    for k in 0..5 {
        a[k] += p[k];
    }
    carry_s62(a);
}

/// `-a` (signed-62).
#[inline(always)]
fn neg_s62(a: &mut S62) {
    for x in a.iter_mut() {
        *x = -*x;
    }
    carry_s62(a);
}

/// `a^-1` in Montgomery form, `None` for zero (variable time, see the module doc).
pub(crate) fn inverse<P: FpParams>(a: &Fp<P>) -> Option<Fp<P>> {
    if a.limbs == [0; 4] {
        return None;
    }
    let p = to_s62(&P::MODULUS);
    // p^-1 mod 2^62 from -p^-1 mod 2^64.
    let p_inv62 = P::INV.wrapping_neg() & M62;
    let mut f = p;
    let mut g = to_s62(&a.limbs);
    let mut d: S62 = [0; 5];
    let mut e = to_s62(&P::R2);
    let mut eta: i64 = -1;
    // Each batch does 62 divsteps; 12 batches (744) exceed the proven bound for 256-bit
    // inputs (Bernstein–Yang: 590 divsteps for the constant-time delta variant), so the loop
    // always ends by g = 0; the bound only guards against a broken invariant.
    for _ in 0..12 {
        let (eta2, t) = divsteps_62_var(eta, f[0] as u64, g[0] as u64);
        eta = eta2;
        update_fg(&mut f, &mut g, &t);
        update_de(&mut d, &mut e, &t, &p, p_inv62);
        if g == [0; 5] {
            break;
        }
    }
    debug_assert!(g == [0; 5], "safegcd did not terminate");
    debug_assert!(
        f == [1, 0, 0, 0, 0] || f == [M62 as i64, M62 as i64, M62 as i64, M62 as i64, -1]
    );
    // d in (-2p, p) -> (-p, p) -> negate if f = -1 -> [0, p).
    if d[4] < 0 {
        add_s62(&mut d, &p);
    }
    if f[4] < 0 {
        neg_s62(&mut d);
    }
    if d[4] < 0 {
        add_s62(&mut d, &p);
    }
    Some(Fp::from_mont_limbs(from_s62(&d)))
}

impl<P: FpParams> Fp<P> {
    /// `self^-1` by Fermat (`self^(p-2)`), `None` for zero. Constant time in the value of
    /// `self` (the exponent is public); about 250 squarings and 130 multiplications, so much
    /// slower than [`Fp::inverse`]: for secrets and for cross-checking.
    pub fn inverse_fermat(&self) -> Option<Self> {
        let p_minus_2 = sub4(&P::MODULUS, &[2, 0, 0, 0]).0;
        let r = self.pow_vartime(&p_minus_2);
        if r.limbs == [0; 4] {
            None
        } else {
            Some(r)
        }
    }
}
