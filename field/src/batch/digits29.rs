//! The architecture-independent half of the radix-2^29 SIMD backends (`avx2.rs`, `neon.rs`).
//!
//! Both backends hold `W` elements per vector in limb-major form and multiply in nine 29-bit
//! digits with Montgomery `R = 2^261` (see `avx2.rs` for the derivation and the bounds). What
//! differs is only the intrinsics: a backend implements [`Simd29`] (loads, stores, modular
//! add/sub, the radix-2^29 product, the lazy digit accumulator) with `#[inline(always)]`
//! functions, and its `#[target_feature]` entry points call the generic kernels here, which are
//! `#[inline(always)]` too, so everything is compiled inside the backend's feature context.
//!
//! This module holds the per-field constants ([`Consts`]), the scalar digit helpers
//! ([`radix29`], [`reduce_digit_sums`]), the kernel loops over whole vectors and the
//! zero-padded tail, and (under `cfg(test)`) the test body both backends run against
//! `portable.rs`.

use core::marker::PhantomData;

use crate::fp::{Fp, FpParams};

#[cfg(test)]
pub(super) mod tests;

/// `2^29 - 1`.
pub(super) const MASK29: u64 = (1 << 29) - 1;

/// Per-field constants, computed at compile time.
pub(super) struct Consts<P>(PhantomData<P>);

impl<P: FpParams> Consts<P> {
    /// The spare-bit precondition (see the backends' module docs); evaluated when a kernel is
    /// instantiated.
    pub(super) const CHECK: () = assert!(
        P::MODULUS[3] < 1 << 62,
        "avx2/neon kernels need p < 2^254 (top limb < 2^62)"
    );
    /// `p` in radix 2^29.
    pub(super) const P29: [u64; 9] = radix29(&P::MODULUS, 0);
    /// `-p^-1 mod 2^29` (the low 29 bits of `-p^-1 mod 2^64`).
    pub(super) const PINV29: u64 = P::INV & MASK29;
    /// `2^(256 + 64 i) mod p` for `i < 5`: multiplying a word `w` by it in Montgomery form
    /// gives `w 2^(64 i) mod p`, which reduces a 320-bit lazy sum (see `inner_product`).
    const WORD_WEIGHTS: [[u64; 4]; 5] = [
        crate::limbs::pow2_mod4(256, &P::MODULUS),
        crate::limbs::pow2_mod4(256 + 64, &P::MODULUS),
        crate::limbs::pow2_mod4(256 + 128, &P::MODULUS),
        crate::limbs::pow2_mod4(256 + 192, &P::MODULUS),
        crate::limbs::pow2_mod4(256 + 256, &P::MODULUS),
    ];
}

/// The radix-2^29 digits of `x * 2^shift` (bits above 261 are dropped; callers keep
/// `x * 2^shift < 2^261`). Used for constants and for the scalar operand of `scale`/`fold`.
pub(super) const fn radix29(x: &[u64; 4], shift: u32) -> [u64; 9] {
    let mut out = [0u64; 9];
    let mut k = 0;
    while k < 9 {
        // Lowest bit of digit k, as a bit position in x.
        let pos = 29 * k as i64 - shift as i64;
        let v = if pos < 0 {
            x[0] << (-pos) as u32
        } else {
            let l = (pos / 64) as usize;
            let o = (pos % 64) as u32;
            let lo = if l < 4 { x[l] >> o } else { 0 };
            let hi = if o > 0 && l + 1 < 4 {
                x[l + 1] << (64 - o)
            } else {
                0
            };
            lo | hi
        };
        out[k] = v & MASK29;
        k += 1;
    }
    out
}

/// Reduces `V = sum_k (sum_l d[k][l]) 2^(29 k)` mod p (each `d[k][l] < 2^61`), with `V` read as
/// raw Montgomery limbs: the sum of the lanes' unreduced Montgomery products.
fn reduce_digit_sums<P: FpParams, const W: usize>(d: &[[u64; W]; 9]) -> Fp<P> {
    // V < 2^63 * 2^233 < 2^320: five 64-bit words.
    let mut words = [0u64; 5];
    for (k, digit) in d.iter().enumerate() {
        let sum: u128 = digit.iter().map(|&v| v as u128).sum();
        // Add sum * 2^(29 k) = (sum << o) * 2^(64 w); sum << o < 2^127.
        let (w, o) = (29 * k / 64, 29 * k % 64);
        let mut add = sum << o;
        let mut i = w;
        while add != 0 && i < words.len() {
            let s = words[i] as u128 + (add as u64) as u128;
            words[i] = s as u64;
            add = (add >> 64) + (s >> 64);
            i += 1;
        }
    }
    // V mod p = sum_i w_i 2^(64 i) mod p; the Montgomery product of the word w_i (< 2^64 < p)
    // with 2^(256 + 64 i) mod p is exactly w_i 2^(64 i) mod p.
    let mut total = Fp::ZERO;
    for (wi, weight) in words.iter().zip(Consts::<P>::WORD_WEIGHTS.iter()) {
        total += Fp::<P>::from_mont_limbs([*wi, 0, 0, 0]) * Fp::from_mont_limbs(*weight);
    }
    total
}

/// Stamps out a backend's public kernels (the portable signatures, called by
/// `batch::dispatch!`) and their `#[target_feature($feature)]` entry points, which run the
/// generic kernels of this module with `$simd` (`W` lanes, `$simd: Simd29<W>`). Only names and
/// the feature are filled in: every body is one call.
///
/// SAFETY of every entry-point call: a wrapper is only reached through `batch::dispatch!` with
/// `$backend`, and that backend is only used after `$backend.is_available()` held
/// (`Backend::require` when the backend is resolved, or `checked` in the `*_with` functions),
/// i.e. after the CPU feature `$feature` was detected. Each wrapper also `debug_assert!`s it.
macro_rules! entry_points {
    (
        @each $feature:literal, $backend:expr, $simd:ty;
        $(
            #[doc = $doc:literal]
            $name:ident, $inner:ident($first:ident: &mut $(, $s:ident: & $($m:ident)?)* $(; $r:ident)?);
        )*
    ) => {
        $(
            #[doc = $doc]
            pub fn $name<P: FpParams>(
                $first: &mut [Fp<P>], $($s: & $($m)? [Fp<P>],)* $($r: Fp<P>)?
            ) {
                debug_assert!($backend.is_available());
                let n = $first.len()$(.min($s.len()))*;
                // SAFETY: the feature is available (`digits29::entry_points!`).
                unsafe { $inner(&mut $first[..n], $(& $($m)? $s[..n],)* $($r)?) }
            }

            #[target_feature(enable = $feature)]
            unsafe fn $inner<P: FpParams>(
                $first: &mut [Fp<P>], $($s: & $($m)? [Fp<P>],)* $($r: Fp<P>)?
            ) {
                $crate::batch::digits29::$name::<$simd, P, W>($first, $($s,)* $($r)?)
            }
        )*
    };
    ($feature:literal, $backend:expr, $simd:ty) => {
        $crate::batch::digits29::entry_points! {
            @each $feature, $backend, $simd;
            /// `out[i] = a[i] * b[i]`.
            mul, mul_inner(out: &mut, a: &, b: &);
            /// `a[i] *= b[i]`.
            mul_assign, mul_assign_inner(a: &mut, b: &);
            /// `out[i] = a[i] + b[i]`.
            add, add_inner(out: &mut, a: &, b: &);
            /// `out[i] = a[i] - b[i]`.
            sub, sub_inner(out: &mut, a: &, b: &);
            /// `out[i] += a[i] * b[i]`.
            mul_add, mul_add_inner(out: &mut, a: &, b: &);
            /// `lo[i] += r * (hi[i] - lo[i])`.
            fold_in_place, fold_in_place_inner(lo: &mut, hi: &; r);
            /// `out[i] = lo[i] + r * (hi[i] - lo[i])`.
            fold, fold_inner(out: &mut, lo: &, hi: &; r);
            /// `out[i] = s * a[i]`.
            scale, scale_inner(out: &mut, a: &; s);
            /// One eq-expansion step: `hi[i] = lo[i] * r; lo[i] -= hi[i]`.
            eq_step, eq_step_inner(lo: &mut, hi: &mut; r);
        }

        /// `sum_i a[i] * b[i]`.
        pub fn inner_product<P: FpParams>(a: &[Fp<P>], b: &[Fp<P>]) -> Fp<P> {
            debug_assert!($backend.is_available());
            let n = a.len().min(b.len());
            // SAFETY: the feature is available (`digits29::entry_points!`).
            unsafe { inner_product_inner(&a[..n], &b[..n]) }
        }

        #[target_feature(enable = $feature)]
        unsafe fn inner_product_inner<P: FpParams>(a: &[Fp<P>], b: &[Fp<P>]) -> Fp<P> {
            $crate::batch::digits29::inner_product::<$simd, P, W>(a, b)
        }
    };
}
pub(super) use entry_points;

/// The vector operations of one radix-2^29 backend, `W` elements per vector.
///
/// Every method is `unsafe` because it uses the backend's intrinsics: callers must run inside a
/// function with the backend's target feature enabled (the backends' `*_inner` entry points),
/// after the backend was found available. Implementations are `#[inline(always)]`.
pub(super) trait Simd29<const W: usize> {
    /// Broadcast constants for one kernel call.
    type Ctx;
    /// `W` elements, limb-major (64-bit limbs).
    type Soa: Copy;
    /// `W` integers as nine 29-bit digits (the operands of the Montgomery product).
    type Digits;
    /// Lazy per-lane sums of unreduced Montgomery products, digit by digit.
    type Acc;

    /// The constants for field `P` (also forces the [`Consts::CHECK`] precondition).
    unsafe fn ctx<P: FpParams>() -> Self::Ctx;
    /// Loads `W` elements (`x.len() >= W`, any alignment).
    unsafe fn load<P>(x: &[Fp<P>]) -> Self::Soa;
    /// Stores `W` elements (`x.len() >= W`, any alignment).
    unsafe fn store<P>(x: &mut [Fp<P>], v: Self::Soa);
    /// `a + b mod p`.
    unsafe fn add_mod(c: &Self::Ctx, a: Self::Soa, b: Self::Soa) -> Self::Soa;
    /// `a - b mod p`.
    unsafe fn sub_mod(c: &Self::Ctx, a: Self::Soa, b: Self::Soa) -> Self::Soa;
    /// Fully reduced `x y`.
    unsafe fn mul_mod(c: &Self::Ctx, x: Self::Soa, y: Self::Soa) -> Self::Soa;
    /// `x` as nine 29-bit digits (the right operand of [`Simd29::mul_r29`]).
    unsafe fn unpack(c: &Self::Ctx, x: Self::Soa) -> Self::Digits;
    /// Broadcast digits of `32 s` (the left operand of [`Simd29::mul_r29`]).
    unsafe fn splat32<P: FpParams>(s: Fp<P>) -> Self::Digits;
    /// Fully reduced `x y`, `x` as `32 x` digits, `y` as [`Simd29::unpack`] digits.
    unsafe fn mul_r29(c: &Self::Ctx, x32: &Self::Digits, y: &Self::Digits) -> Self::Soa;
    /// An all-zero accumulator.
    unsafe fn acc_zero(c: &Self::Ctx) -> Self::Acc;
    /// Adds the unreduced Montgomery products `x y` (digits `< 2^29`) to `acc`, digit by digit.
    unsafe fn acc_mul(c: &Self::Ctx, acc: &mut Self::Acc, x: Self::Soa, y: Self::Soa);
    /// The accumulator's digit sums, `[digit][lane]`.
    unsafe fn acc_lanes(acc: &Self::Acc) -> [[u64; W]; 9];
}

/// Copies up to `W` elements into a zero-padded block.
#[inline(always)]
fn pad<P: FpParams, const W: usize>(x: &[Fp<P>]) -> [Fp<P>; W] {
    let mut t = [Fp::ZERO; W];
    t[..x.len()].copy_from_slice(x);
    t
}

// ---------------------------------------------------------------------------------------------
// Kernels. Each runs whole vectors, then the tail (`len % W != 0`) through the same vector code
// on a zero-padded stack copy (zero is a valid element). Slices have equal lengths (the
// backends' wrappers cut them). SAFETY (all): see `Simd29`.

/// `out[i] = a[i] * b[i]`.
#[inline(always)]
pub(super) unsafe fn mul<B: Simd29<W>, P: FpParams, const W: usize>(
    out: &mut [Fp<P>],
    a: &[Fp<P>],
    b: &[Fp<P>],
) {
    binary::<B, P, W>(
        out,
        a,
        b,
        #[inline(always)]
        |c, x, y| B::mul_mod(c, x, y),
    )
}

/// `out[i] = a[i] + b[i]`.
#[inline(always)]
pub(super) unsafe fn add<B: Simd29<W>, P: FpParams, const W: usize>(
    out: &mut [Fp<P>],
    a: &[Fp<P>],
    b: &[Fp<P>],
) {
    binary::<B, P, W>(
        out,
        a,
        b,
        #[inline(always)]
        |c, x, y| B::add_mod(c, x, y),
    )
}

/// `out[i] = a[i] - b[i]`.
#[inline(always)]
pub(super) unsafe fn sub<B: Simd29<W>, P: FpParams, const W: usize>(
    out: &mut [Fp<P>],
    a: &[Fp<P>],
    b: &[Fp<P>],
) {
    binary::<B, P, W>(
        out,
        a,
        b,
        #[inline(always)]
        |c, x, y| B::sub_mod(c, x, y),
    )
}

/// `out[i] = op(a[i], b[i])`.
#[inline(always)]
unsafe fn binary<B: Simd29<W>, P: FpParams, const W: usize>(
    out: &mut [Fp<P>],
    a: &[Fp<P>],
    b: &[Fp<P>],
    op: impl Fn(&B::Ctx, B::Soa, B::Soa) -> B::Soa,
) {
    let c = B::ctx::<P>();
    let mut o = out.chunks_exact_mut(W);
    let mut x = a.chunks_exact(W);
    let mut y = b.chunks_exact(W);
    for ((o, x), y) in (&mut o).zip(&mut x).zip(&mut y) {
        B::store(o, op(&c, B::load(x), B::load(y)));
    }
    let o = o.into_remainder();
    if !o.is_empty() {
        let mut t = [Fp::ZERO; W];
        B::store(
            &mut t,
            op(
                &c,
                B::load(&pad::<P, W>(x.remainder())),
                B::load(&pad::<P, W>(y.remainder())),
            ),
        );
        o.copy_from_slice(&t[..o.len()]);
    }
}

/// `a[i] *= b[i]`.
#[inline(always)]
pub(super) unsafe fn mul_assign<B: Simd29<W>, P: FpParams, const W: usize>(
    a: &mut [Fp<P>],
    b: &[Fp<P>],
) {
    let c = B::ctx::<P>();
    let mut x = a.chunks_exact_mut(W);
    let mut y = b.chunks_exact(W);
    for (x, y) in (&mut x).zip(&mut y) {
        let v = B::mul_mod(&c, B::load(x), B::load(y));
        B::store(x, v);
    }
    let x = x.into_remainder();
    if !x.is_empty() {
        let mut t = pad::<P, W>(x);
        let v = B::mul_mod(&c, B::load(&t), B::load(&pad::<P, W>(y.remainder())));
        B::store(&mut t, v);
        let n = x.len();
        x.copy_from_slice(&t[..n]);
    }
}

/// `out[i] = s * a[i]`.
#[inline(always)]
pub(super) unsafe fn scale<B: Simd29<W>, P: FpParams, const W: usize>(
    out: &mut [Fp<P>],
    a: &[Fp<P>],
    s: Fp<P>,
) {
    let c = B::ctx::<P>();
    let s32 = B::splat32(s);
    let mut o = out.chunks_exact_mut(W);
    let mut x = a.chunks_exact(W);
    for (o, x) in (&mut o).zip(&mut x) {
        B::store(o, B::mul_r29(&c, &s32, &B::unpack(&c, B::load(x))));
    }
    let o = o.into_remainder();
    if !o.is_empty() {
        let mut t = [Fp::ZERO; W];
        let x = B::load(&pad::<P, W>(x.remainder()));
        B::store(&mut t, B::mul_r29(&c, &s32, &B::unpack(&c, x)));
        o.copy_from_slice(&t[..o.len()]);
    }
}

/// `out[i] += a[i] * b[i]`.
#[inline(always)]
pub(super) unsafe fn mul_add<B: Simd29<W>, P: FpParams, const W: usize>(
    out: &mut [Fp<P>],
    a: &[Fp<P>],
    b: &[Fp<P>],
) {
    let c = B::ctx::<P>();
    let mut o = out.chunks_exact_mut(W);
    let mut x = a.chunks_exact(W);
    let mut y = b.chunks_exact(W);
    for ((o, x), y) in (&mut o).zip(&mut x).zip(&mut y) {
        let v = B::add_mod(&c, B::load(o), B::mul_mod(&c, B::load(x), B::load(y)));
        B::store(o, v);
    }
    let o = o.into_remainder();
    if !o.is_empty() {
        let mut t = pad::<P, W>(o);
        let v = B::add_mod(
            &c,
            B::load(&t),
            B::mul_mod(
                &c,
                B::load(&pad::<P, W>(x.remainder())),
                B::load(&pad::<P, W>(y.remainder())),
            ),
        );
        B::store(&mut t, v);
        let n = o.len();
        o.copy_from_slice(&t[..n]);
    }
}

/// `sum_i a[i] * b[i]`.
#[inline(always)]
pub(super) unsafe fn inner_product<B: Simd29<W>, P: FpParams, const W: usize>(
    a: &[Fp<P>],
    b: &[Fp<P>],
) -> Fp<P> {
    let c = B::ctx::<P>();
    // Lazy sum: the unreduced Montgomery products r (< 1.25 p, digits < 2^29) are added digit
    // by digit without carries. A block of at most 2^32 groups keeps each lane's digit sum
    // below 2^61 (and the W <= 4 lanes' sum below 2^63); each block is then reduced once.
    let block: usize = W << 32;
    let mut total = Fp::<P>::ZERO;
    for (a, b) in a.chunks(block).zip(b.chunks(block)) {
        let mut acc = B::acc_zero(&c);
        let mut x = a.chunks_exact(W);
        let mut y = b.chunks_exact(W);
        for (x, y) in (&mut x).zip(&mut y) {
            B::acc_mul(&c, &mut acc, B::load(x), B::load(y));
        }
        if !x.remainder().is_empty() {
            // Zero padding: mont(0, 0) = 0, the padded lanes add nothing.
            let x = B::load(&pad::<P, W>(x.remainder()));
            let y = B::load(&pad::<P, W>(y.remainder()));
            B::acc_mul(&c, &mut acc, x, y);
        }
        total += reduce_digit_sums::<P, W>(&B::acc_lanes(&acc));
    }
    total
}

/// `out[i] = lo[i] + r * (hi[i] - lo[i])`.
#[inline(always)]
pub(super) unsafe fn fold<B: Simd29<W>, P: FpParams, const W: usize>(
    out: &mut [Fp<P>],
    lo: &[Fp<P>],
    hi: &[Fp<P>],
    r: Fp<P>,
) {
    let c = B::ctx::<P>();
    let r32 = B::splat32(r);
    let mut o = out.chunks_exact_mut(W);
    let mut x = lo.chunks_exact(W);
    let mut y = hi.chunks_exact(W);
    for ((o, x), y) in (&mut o).zip(&mut x).zip(&mut y) {
        let l = B::load(x);
        let d = B::sub_mod(&c, B::load(y), l);
        B::store(
            o,
            B::add_mod(&c, l, B::mul_r29(&c, &r32, &B::unpack(&c, d))),
        );
    }
    let o = o.into_remainder();
    if !o.is_empty() {
        let l = B::load(&pad::<P, W>(x.remainder()));
        let d = B::sub_mod(&c, B::load(&pad::<P, W>(y.remainder())), l);
        let mut t = [Fp::ZERO; W];
        B::store(
            &mut t,
            B::add_mod(&c, l, B::mul_r29(&c, &r32, &B::unpack(&c, d))),
        );
        o.copy_from_slice(&t[..o.len()]);
    }
}

/// `lo[i] += r * (hi[i] - lo[i])`.
#[inline(always)]
pub(super) unsafe fn fold_in_place<B: Simd29<W>, P: FpParams, const W: usize>(
    lo: &mut [Fp<P>],
    hi: &[Fp<P>],
    r: Fp<P>,
) {
    let c = B::ctx::<P>();
    let r32 = B::splat32(r);
    let mut x = lo.chunks_exact_mut(W);
    let mut y = hi.chunks_exact(W);
    for (x, y) in (&mut x).zip(&mut y) {
        let l = B::load(x);
        let d = B::sub_mod(&c, B::load(y), l);
        B::store(
            x,
            B::add_mod(&c, l, B::mul_r29(&c, &r32, &B::unpack(&c, d))),
        );
    }
    let x = x.into_remainder();
    if !x.is_empty() {
        let mut t = pad::<P, W>(x);
        let l = B::load(&t);
        let d = B::sub_mod(&c, B::load(&pad::<P, W>(y.remainder())), l);
        B::store(
            &mut t,
            B::add_mod(&c, l, B::mul_r29(&c, &r32, &B::unpack(&c, d))),
        );
        let n = x.len();
        x.copy_from_slice(&t[..n]);
    }
}

/// One eq-expansion step: `hi[i] = lo[i] * r; lo[i] -= hi[i]`.
#[inline(always)]
pub(super) unsafe fn eq_step<B: Simd29<W>, P: FpParams, const W: usize>(
    lo: &mut [Fp<P>],
    hi: &mut [Fp<P>],
    r: Fp<P>,
) {
    let c = B::ctx::<P>();
    let r32 = B::splat32(r);
    let mut x = lo.chunks_exact_mut(W);
    let mut y = hi.chunks_exact_mut(W);
    for (x, y) in (&mut x).zip(&mut y) {
        let l = B::load(x);
        let h = B::mul_r29(&c, &r32, &B::unpack(&c, l));
        B::store(y, h);
        B::store(x, B::sub_mod(&c, l, h));
    }
    let (x, y) = (x.into_remainder(), y.into_remainder());
    let n = x.len().min(y.len());
    if n > 0 {
        let mut tl = pad::<P, W>(&x[..n]);
        let mut th = [Fp::ZERO; W];
        let l = B::load(&tl);
        let h = B::mul_r29(&c, &r32, &B::unpack(&c, l));
        B::store(&mut th, h);
        B::store(&mut tl, B::sub_mod(&c, l, h));
        x[..n].copy_from_slice(&tl[..n]);
        y[..n].copy_from_slice(&th[..n]);
    }
}
