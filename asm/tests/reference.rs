//! The asm kernels against a plain `u128` Montgomery reference (word-by-word SOS REDC), on
//! the BN254 `Fr` and `Fq` moduli, for edge values (0, 1, 2, p-1, p-2, high-Hamming-weight
//! values) and random values. The reference itself is checked against bit-serial long
//! division (`r * 2^256 = a * b mod p`), which shares no code with Montgomery arithmetic.
#![cfg(target_arch = "x86_64")]

use kaizen_asm::{mont_mul_adx, mont_sqr_adx};

const FR: [u64; 4] = [
    0x43e1_f593_f000_0001,
    0x2833_e848_79b9_7091,
    0xb850_45b6_8181_585d,
    0x3064_4e72_e131_a029,
];
const FQ: [u64; 4] = [
    0x3c20_8c16_d87c_fd47,
    0x9781_6a91_6871_ca8d,
    0xb850_45b6_8181_585d,
    0x3064_4e72_e131_a029,
];

fn seed() -> u64 {
    std::env::var("KAIZEN_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6b61_697a_656e)
}

fn have_adx() -> bool {
    std::arch::is_x86_feature_detected!("bmi2") && std::arch::is_x86_feature_detected!("adx")
}

/// SplitMix64: a tiny self-contained generator (the asm crate has no dependencies).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform-ish below p: random 254-bit value, reduced by rejection.
    fn below(&mut self, p: &[u64; 4]) -> [u64; 4] {
        loop {
            let x = [self.next(), self.next(), self.next(), self.next() >> 2];
            if lt(&x, p) {
                return x;
            }
        }
    }
}

fn lt(a: &[u64; 4], b: &[u64; 4]) -> bool {
    for i in (0..4).rev() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
    }
    false
}

fn neg_inv(p0: u64) -> u64 {
    let mut inv = 1u64;
    for _ in 0..6 {
        inv = inv.wrapping_mul(2u64.wrapping_sub(p0.wrapping_mul(inv)));
    }
    inv.wrapping_neg()
}

fn sub(a: &[u64; 4], b: &[u64; 4]) -> ([u64; 4], bool) {
    let mut r = [0u64; 4];
    let mut borrow = 0u128;
    for i in 0..4 {
        let t = (a[i] as u128).wrapping_sub(b[i] as u128 + borrow);
        r[i] = t as u64;
        borrow = (t >> 127) & 1;
    }
    (r, borrow == 1)
}

/// 512-bit schoolbook product.
fn wide_mul(a: &[u64; 4], b: &[u64; 4]) -> [u64; 8] {
    let mut t = [0u64; 8];
    for i in 0..4 {
        let mut carry = 0u128;
        for j in 0..4 {
            let v = t[i + j] as u128 + (a[j] as u128) * (b[i] as u128) + carry;
            t[i + j] = v as u64;
            carry = v >> 64;
        }
        t[i + 4] = carry as u64;
    }
    t
}

/// Reference Montgomery product: SOS with word-by-word REDC in `u128`.
fn mont_ref(a: &[u64; 4], b: &[u64; 4], p: &[u64; 4]) -> [u64; 4] {
    let inv = neg_inv(p[0]);
    let mut t = [0u64; 9];
    t[..8].copy_from_slice(&wide_mul(a, b));
    for i in 0..4 {
        let m = t[i].wrapping_mul(inv);
        let mut carry = 0u128;
        for j in 0..4 {
            let v = t[i + j] as u128 + (m as u128) * (p[j] as u128) + carry;
            t[i + j] = v as u64;
            carry = v >> 64;
        }
        let mut k = i + 4;
        while carry != 0 {
            let v = t[k] as u128 + carry;
            t[k] = v as u64;
            carry = v >> 64;
            k += 1;
        }
    }
    let r = [t[4], t[5], t[6], t[7]];
    assert_eq!(t[8], 0);
    let (d, borrow) = sub(&r, p);
    if borrow {
        r
    } else {
        d
    }
}

/// `x mod p` for a 512-bit `x`, bit-serial (shift in one bit, subtract p if possible).
fn mod_slow(x: &[u64; 8], p: &[u64; 4]) -> [u64; 4] {
    let mut r = [0u64; 4];
    for bit in (0..512).rev() {
        // r = 2r + bit; r < 2p < 2^256 so no overflow.
        let top = r[3] >> 63;
        assert_eq!(top, 0);
        r = [
            (r[0] << 1) | ((x[bit / 64] >> (bit % 64)) & 1),
            (r[1] << 1) | (r[0] >> 63),
            (r[2] << 1) | (r[1] >> 63),
            (r[3] << 1) | (r[2] >> 63),
        ];
        let (d, borrow) = sub(&r, p);
        if !borrow {
            r = d;
        }
    }
    r
}

fn edge_values(p: &[u64; 4]) -> Vec<[u64; 4]> {
    let pm1 = sub(p, &[1, 0, 0, 0]).0;
    let pm2 = sub(p, &[2, 0, 0, 0]).0;
    let half = [
        (p[0] >> 1) | (p[1] << 63),
        (p[1] >> 1) | (p[2] << 63),
        (p[2] >> 1) | (p[3] << 63),
        p[3] >> 1,
    ];
    let mut v = vec![
        [0; 4],
        [1, 0, 0, 0],
        [2, 0, 0, 0],
        pm1,
        pm2,
        half,
        [u64::MAX, 0, 0, 0],
        [u64::MAX, u64::MAX, 0, 0],
        [u64::MAX, u64::MAX, u64::MAX, 0],
        [0, 0, 0, 1],
        [u64::MAX, u64::MAX, u64::MAX, p[3] - 1],
    ];
    for k in 0..254 {
        let mut x = [0u64; 4];
        x[k / 64] = 1 << (k % 64);
        v.push(x);
    }
    v.retain(|x| lt(x, p));
    v
}

fn check_pair(p: &[u64; 4], a: &[u64; 4], b: &[u64; 4], s: u64) {
    let inv = neg_inv(p[0]);
    let want = mont_ref(a, b, p);
    // SAFETY: callers checked BMI2 + ADX.
    let got = unsafe { mont_mul_adx(a, b, p, inv) };
    assert_eq!(
        got, want,
        "mont_mul_adx a={a:x?} b={b:x?} p={p:x?} seed {s}"
    );
    if a == b {
        // SAFETY: as above.
        let sq = unsafe { mont_sqr_adx(a, p, inv) };
        assert_eq!(sq, want, "mont_sqr_adx a={a:x?} p={p:x?} seed {s}");
    }
}

#[test]
fn reference_agrees_with_long_division() {
    let s = seed();
    let mut rng = Rng(s);
    for p in [FR, FQ] {
        for _ in 0..300 {
            let a = rng.below(&p);
            let b = rng.below(&p);
            let r = mont_ref(&a, &b, &p);
            let mut shifted = [0u64; 8];
            shifted[4..].copy_from_slice(&r);
            assert_eq!(
                mod_slow(&shifted, &p),
                mod_slow(&wide_mul(&a, &b), &p),
                "reference a={a:x?} b={b:x?} seed {s}"
            );
        }
    }
}

#[test]
fn edge_values_match_reference() {
    if !have_adx() {
        eprintln!("skipping: CPU lacks BMI2/ADX");
        return;
    }
    let s = seed();
    for p in [FR, FQ] {
        let edges = edge_values(&p);
        for a in &edges {
            for b in &edges {
                check_pair(&p, a, b, s);
            }
            check_pair(&p, a, a, s);
        }
    }
}

#[test]
fn random_values_match_reference() {
    if !have_adx() {
        eprintln!("skipping: CPU lacks BMI2/ADX");
        return;
    }
    let s = seed();
    let mut rng = Rng(s ^ 0x5eed);
    for p in [FR, FQ] {
        for _ in 0..200_000 {
            let a = rng.below(&p);
            let b = rng.below(&p);
            check_pair(&p, &a, &b, s);
            check_pair(&p, &a, &a, s);
        }
        // Carry-heavy inputs: limbs that are all ones or all zeros.
        for _ in 0..20_000 {
            let pick = |r: &mut Rng| -> [u64; 4] {
                let mut x = [0u64; 4];
                for limb in x.iter_mut() {
                    *limb = if r.next() & 1 == 1 {
                        u64::MAX
                    } else {
                        r.next() & 0xff
                    };
                }
                x[3] &= p[3];
                if lt(&x, &p) {
                    x
                } else {
                    [x[0], x[1], x[2], 0]
                }
            };
            let a = pick(&mut rng);
            let b = pick(&mut rng);
            check_pair(&p, &a, &b, s);
            check_pair(&p, &a, &a, s);
        }
    }
}
