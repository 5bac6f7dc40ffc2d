//! Every layer's forward and backward pass against a straightforward i128 reference written
//! from the definitions, including the rescale identity on the recorded remainders.

use kaizen_field::testing::test_seed;
use kaizen_nn::fixed::FixedPoint;
use kaizen_nn::layers::conv::Conv;
use kaizen_nn::layers::dense::Dense;
use kaizen_nn::layers::pool::Pool2;
use kaizen_nn::layers::sgd::{sgd_update, LearningRate};
use kaizen_nn::layers::softmax::{softmax_xent, ExpTable};
use kaizen_nn::layers::LayerCtx;
use kaizen_nn::{NnError, Witness};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

fn seed() -> u64 {
    test_seed(0x5eed)
}

fn rand_vec(rng: &mut ChaCha20Rng, n: usize, bound: i64) -> Vec<i32> {
    (0..n)
        .map(|_| ((rng.next_u64() % (2 * bound as u64 + 1)) as i64 - bound) as i32)
        .collect()
}

/// Reference rounding rescale: floor((x + 2^(s-1)) / 2^s) in i128.
fn rescale_ref(x: i128, s: u32) -> i128 {
    (x + (1i128 << (s - 1))).div_euclid(1i128 << s)
}

/// Checks `q` against the reference and `x + 2^(s-1) = q 2^s + r` with `0 <= r < 2^s` on
/// the witness remainders.
fn check_rescaled(wit: &Witness, name: &str, acc: &[i128], s: u32, got: &[i32], seed: u64) {
    let q = wit
        .get(name)
        .unwrap_or_else(|| panic!("no {name} (seed {seed})"))
        .to_i64();
    let r = wit
        .get(&format!("{name}.rem"))
        .unwrap_or_else(|| panic!("no {name}.rem"))
        .to_i64();
    assert_eq!(q.len(), acc.len(), "{name} (seed {seed})");
    for i in 0..acc.len() {
        assert_eq!(
            got[i] as i128,
            rescale_ref(acc[i], s),
            "{name}[{i}] (seed {seed})"
        );
        assert_eq!(q[i] as i128, got[i] as i128);
        assert!(
            (0..1i64 << s).contains(&r[i]),
            "{name}.rem[{i}] = {} (seed {seed})",
            r[i]
        );
        assert_eq!(
            acc[i] + (1i128 << (s - 1)),
            q[i] as i128 * (1i128 << s) + r[i] as i128,
            "{name}[{i}] identity (seed {seed})"
        );
    }
}

const F: u32 = 12;

fn ctx() -> LayerCtx {
    LayerCtx {
        index: 0,
        fp: FixedPoint::new(F).unwrap(),
    }
}

#[test]
fn dense_matches_i128_reference() {
    let seed = seed();
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let (ni, no, batch) = (13, 7, 5);
    let d = Dense {
        inputs: ni,
        outputs: no,
    };
    let w = rand_vec(&mut rng, ni * no, 1 << 13);
    let b = rand_vec(&mut rng, no, 1 << 13);
    let x = rand_vec(&mut rng, batch * ni, 1 << 14);
    let dy = rand_vec(&mut rng, batch * no, 1 << 12);
    let mut wit = Witness::recording();
    let y = d.forward(ctx(), &mut wit, &w, &b, &x, batch).unwrap();
    let acc: Vec<i128> = (0..batch * no)
        .map(|bo| {
            let (bi, o) = (bo / no, bo % no);
            (0..ni)
                .map(|i| w[o * ni + i] as i128 * x[bi * ni + i] as i128)
                .sum::<i128>()
                + ((b[o] as i128) << F)
        })
        .collect();
    check_rescaled(&wit, "0.dense.fwd", &acc, F, &y, seed);

    let g = d
        .backward(ctx(), &mut wit, &w, &x, &dy, batch, true)
        .unwrap();
    let acc_dx: Vec<i128> = (0..batch * ni)
        .map(|bi_i| {
            let (bi, i) = (bi_i / ni, bi_i % ni);
            (0..no)
                .map(|o| w[o * ni + i] as i128 * dy[bi * no + o] as i128)
                .sum()
        })
        .collect();
    check_rescaled(&wit, "0.dense.dx", &acc_dx, F, g.dx.as_ref().unwrap(), seed);
    let acc_dw: Vec<i128> = (0..no * ni)
        .map(|oi| {
            let (o, i) = (oi / ni, oi % ni);
            (0..batch)
                .map(|bi| dy[bi * no + o] as i128 * x[bi * ni + i] as i128)
                .sum()
        })
        .collect();
    check_rescaled(&wit, "0.dense.dw", &acc_dw, F, &g.dw, seed);
    for o in 0..no {
        assert_eq!(
            g.db[o] as i128,
            (0..batch).map(|bi| dy[bi * no + o] as i128).sum::<i128>()
        );
    }
}

fn check_conv(kernel: usize, stride: usize, padding: usize) {
    let seed = seed();
    let mut rng = ChaCha20Rng::seed_from_u64(seed ^ (kernel * 100 + stride * 10 + padding) as u64);
    let c = Conv {
        in_ch: 3,
        out_ch: 4,
        kernel,
        stride,
        padding,
        in_h: 9,
        in_w: 8,
    };
    let batch = 3;
    let (oh, ow) = (c.out_h(), c.out_w());
    let w = rand_vec(&mut rng, c.weight_len(), 1 << 13);
    let b = rand_vec(&mut rng, c.out_ch, 1 << 13);
    let x = rand_vec(&mut rng, batch * c.in_len(), 1 << 14);
    let dy = rand_vec(&mut rng, batch * c.out_len(), 1 << 12);
    // x value at (b, ch, h, w) with padding, as i128 (0 outside).
    let xat =
        |bi: usize, ch: usize, u: usize, v: usize, i: usize, j: usize| -> Option<(usize, i128)> {
            let h = (u * stride + i) as isize - padding as isize;
            let ww = (v * stride + j) as isize - padding as isize;
            if h < 0 || ww < 0 || h >= c.in_h as isize || ww >= c.in_w as isize {
                return None;
            }
            let idx = ((bi * c.in_ch + ch) * c.in_h + h as usize) * c.in_w + ww as usize;
            Some((idx, x[idx] as i128))
        };
    let widx =
        |o: usize, ch: usize, i: usize, j: usize| ((o * c.in_ch + ch) * kernel + i) * kernel + j;
    let mut acc_y = vec![0i128; batch * c.out_len()];
    let mut acc_dx = vec![0i128; batch * c.in_len()];
    let mut acc_dw = vec![0i128; c.weight_len()];
    for bi in 0..batch {
        for o in 0..c.out_ch {
            for u in 0..oh {
                for v in 0..ow {
                    let yi = ((bi * c.out_ch + o) * oh + u) * ow + v;
                    acc_y[yi] += (b[o] as i128) << F;
                    for ch in 0..c.in_ch {
                        for i in 0..kernel {
                            for j in 0..kernel {
                                if let Some((xi, xv)) = xat(bi, ch, u, v, i, j) {
                                    let wv = w[widx(o, ch, i, j)] as i128;
                                    acc_y[yi] += wv * xv;
                                    acc_dx[xi] += wv * dy[yi] as i128;
                                    acc_dw[widx(o, ch, i, j)] += dy[yi] as i128 * xv;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    let mut wit = Witness::recording();
    let y = c.forward(ctx(), &mut wit, &w, &b, &x, batch).unwrap();
    check_rescaled(&wit, "0.conv.fwd", &acc_y, F, &y, seed);
    let g = c
        .backward(ctx(), &mut wit, &w, &x, &dy, batch, true)
        .unwrap();
    check_rescaled(&wit, "0.conv.dx", &acc_dx, F, g.dx.as_ref().unwrap(), seed);
    check_rescaled(&wit, "0.conv.dw", &acc_dw, F, &g.dw, seed);
    let p = oh * ow;
    for o in 0..c.out_ch {
        let want: i128 = (0..batch)
            .map(|bi| {
                dy[(bi * c.out_ch + o) * p..][..p]
                    .iter()
                    .map(|&d| d as i128)
                    .sum::<i128>()
            })
            .sum();
        assert_eq!(g.db[o] as i128, want, "db[{o}] (seed {seed})");
    }
}

#[test]
fn conv_3x3_and_5x5_with_stride_and_padding_match_reference() {
    for (k, s, p) in [
        (3, 1, 0),
        (3, 1, 1),
        (3, 2, 1),
        (5, 1, 0),
        (5, 1, 2),
        (5, 2, 2),
    ] {
        check_conv(k, s, p);
    }
}

#[test]
fn relu_and_pools_match_reference() {
    let seed = seed();
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let pool = Pool2 {
        channels: 2,
        in_h: 4,
        in_w: 6,
    };
    let batch = 2;
    let x = rand_vec(&mut rng, batch * pool.in_len(), 1 << 15);
    let dy = rand_vec(&mut rng, batch * pool.out_len(), 1 << 15);
    let mut wit = Witness::recording();

    let y = kaizen_nn::layers::activation::relu_forward(ctx(), &mut wit, &x);
    let dx = kaizen_nn::layers::activation::relu_backward(ctx(), &mut wit, &x, &y).unwrap();
    let signs = wit.get("0.relu.sign").unwrap().to_i64();
    for i in 0..x.len() {
        assert_eq!(y[i], if x[i] > 0 { x[i] } else { 0 });
        assert_eq!(signs[i], i64::from(x[i] > 0));
        assert_eq!(dx[i], y[i]);
    }

    let (ym, arg) = pool.max_forward(ctx(), &mut wit, &x, batch).unwrap();
    let ya = pool.avg_forward(ctx(), &mut wit, &x, batch).unwrap();
    let dxm = pool
        .max_backward(ctx(), &mut wit, &arg, &dy, batch)
        .unwrap();
    let dxa = pool.avg_backward(ctx(), &mut wit, &dy, batch).unwrap();
    let (oh, ow) = (pool.in_h / 2, pool.in_w / 2);
    let mut acc_avg = Vec::new();
    let mut acc_davg = Vec::new();
    for plane in 0..batch * pool.channels {
        for u in 0..oh {
            for v in 0..ow {
                let o = (plane * oh + u) * ow + v;
                let src: Vec<usize> = (0..4)
                    .map(|a| (plane * pool.in_h + 2 * u + a / 2) * pool.in_w + 2 * v + a % 2)
                    .collect();
                let m = src.iter().map(|&s| x[s]).max().unwrap();
                assert_eq!(ym[o], m);
                assert_eq!(x[src[arg[o] as usize]], m);
                assert!(
                    src[..arg[o] as usize].iter().all(|&s| x[s] < m),
                    "first maximum"
                );
                acc_avg.push(src.iter().map(|&s| x[s] as i128).sum::<i128>());
                acc_davg.push(dy[o] as i128);
                for (a, &s) in src.iter().enumerate() {
                    assert_eq!(dxm[s], if a == arg[o] as usize { dy[o] } else { 0 });
                    assert_eq!(dxa[s] as i128, rescale_ref(dy[o] as i128, 2));
                }
            }
        }
    }
    check_rescaled(&wit, "0.avgpool.fwd", &acc_avg, 2, &ya, seed);
    let g: Vec<i32> = acc_davg.iter().map(|&d| rescale_ref(d, 2) as i32).collect();
    check_rescaled(&wit, "0.avgpool.dx", &acc_davg, 2, &g, seed);
}

#[test]
fn softmax_matches_table_definition() {
    let seed = seed();
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let fp = FixedPoint::new(F).unwrap();
    let table = ExpTable::new(F);
    let (batch, k) = (4, 10);
    let mut z = rand_vec(&mut rng, batch * k, 6 << F);
    z[3] = z[0] - (20 << F); // beyond the table's domain
    let labels = [0u8, 9, 3, 5];
    let mut wit = Witness::recording();
    let out = softmax_xent(LayerCtx { index: 4, fp }, &mut wit, &table, &z, &labels, k).unwrap();
    let idx = wit.get("4.softmax.exp_idx").unwrap().to_i64();
    let idx_r = wit.get("4.softmax.exp_idx.rem").unwrap().to_i64();
    let p_rem = wit.get("4.softmax.p.rem").unwrap().to_i64();
    let mut loss = 0.0;
    for bi in 0..batch {
        let zb = &z[bi * k..(bi + 1) * k];
        let m = *zb.iter().max().unwrap() as i128;
        let e: Vec<i128> = zb
            .iter()
            .map(|&v| {
                let d = m - v as i128;
                let q = d >> (F - 8);
                table.rows()[q.min(4096) as usize] as i128
            })
            .collect();
        let s: i128 = e.iter().sum();
        for i in 0..k {
            let n = bi * k + i;
            let d = m - zb[i] as i128;
            assert_eq!(d, (idx[n] as i128) * (1 << (F - 8)) + idx_r[n] as i128);
            let p = (e[i] << F) / s;
            assert_eq!(e[i] << F, p * s + p_rem[n] as i128);
            let want = p - if i == labels[bi] as usize { 1 << F } else { 0 };
            assert_eq!(out.grad[n] as i128, want, "grad[{n}] (seed {seed})");
        }
        let zf: Vec<f64> = zb.iter().map(|&v| v as f64 / (1 << F) as f64).collect();
        let mf = zf.iter().cloned().fold(f64::MIN, f64::max);
        loss += mf + zf.iter().map(|v| (v - mf).exp()).sum::<f64>().ln() - zf[labels[bi] as usize];
    }
    assert!((out.loss_sum - loss).abs() < 1e-9);
    // The logit 20 below the maximum is past the table: row 4096, exp 0, probability 0.
    assert!(idx[3] >= 4096);
    assert_eq!(out.grad[3], 0);
}

#[test]
fn sgd_matches_reference_and_is_atomic_on_overflow() {
    let seed = seed();
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let fp = FixedPoint::new(F).unwrap();
    let lr = LearningRate::new(fp, 0.1, 16).unwrap();
    assert_eq!(lr.quantised(), (0.1f64 * 4096.0 / 16.0).round() as i64);
    let old = rand_vec(&mut rng, 50, 1 << 14);
    let g = rand_vec(&mut rng, 50, 1 << 16);
    let mut w = old.clone();
    let mut wit = Witness::recording();
    sgd_update(ctx(), &mut wit, &mut w, lr, &g, "w").unwrap();
    let acc: Vec<i128> = g
        .iter()
        .map(|&gv| lr.quantised() as i128 * gv as i128)
        .collect();
    let deltas: Vec<i32> = acc.iter().map(|&a| rescale_ref(a, F) as i32).collect();
    for i in 0..50 {
        assert_eq!(w[i] as i128, old[i] as i128 - deltas[i] as i128);
    }
    let r = wit.get("0.sgd.w.rem").unwrap().to_i64();
    for i in 0..50 {
        assert_eq!(
            acc[i] + (1 << (F - 1)),
            deltas[i] as i128 * (1 << F) + r[i] as i128
        );
    }
    // Overflow: a weight at i32::MIN pushed further down is an error, and w is untouched.
    let mut w = vec![0, i32::MIN];
    let before = w.clone();
    let err = sgd_update(
        ctx(),
        &mut Witness::disabled(),
        &mut w,
        lr,
        &[0, 1 << 20],
        "w",
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            NnError::Overflow {
                op: "sgd",
                bits: 32,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(w, before);
}

#[test]
fn accumulator_bound_is_a_typed_error() {
    let d = Dense {
        inputs: 4,
        outputs: 1,
    };
    let big = vec![i32::MAX; 4];
    let err = d
        .forward(ctx(), &mut Witness::disabled(), &big, &[0], &big, 1)
        .unwrap_err();
    assert!(
        matches!(
            err,
            NnError::AccumulatorBound {
                op: "dense.fwd",
                terms: 4,
                ..
            }
        ),
        "{err}"
    );
    // A result that does not fit i32 after the rescale.
    let d = Dense {
        inputs: 1,
        outputs: 1,
    };
    let err = d
        .forward(
            ctx(),
            &mut Witness::disabled(),
            &[1 << 30],
            &[0],
            &[1 << 30],
            1,
        )
        .unwrap_err();
    assert!(
        matches!(
            err,
            NnError::Overflow {
                op: "fwd",
                bits: 32,
                ..
            }
        ),
        "{err}"
    );
}
