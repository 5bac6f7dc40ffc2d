//! The integer gradients against f32 finite differences of the float twin's loss, on tiny
//! nets built from the real layers (dense, conv 3x3 and 5x5, ReLU, max and average pooling).

use kaizen_field::testing::test_seed;
use kaizen_nn::fixed::FixedPoint;
use kaizen_nn::layers::softmax::{softmax_xent, ExpTable};
use kaizen_nn::layers::LayerCtx;
use kaizen_nn::layers::{conv::Conv, dense::Dense, pool::Pool2};
use kaizen_nn::model::{Architecture, InputTransform, LayerParams, LayerSpec, Model, ModelKind};
use kaizen_nn::reference::RefModel;
use kaizen_nn::Witness;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

fn seed() -> u64 {
    test_seed(0x9ad)
}

/// A tiny model on 1x8x8 inputs (the transform is irrelevant: inputs are given directly).
fn tiny(layers: Vec<LayerSpec>, classes: usize, seed: u64) -> Model {
    let fp = FixedPoint::new(16).unwrap();
    let arch = Architecture {
        kind: ModelKind::Mlp,
        transform: InputTransform::Plain28,
        layers,
        classes,
    };
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let mut unit = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0;
    let params = arch
        .layers
        .iter()
        .map(|l| {
            let (nw, nb) = l.param_shape();
            let a = (3.0 / l.fan_in() as f64).sqrt();
            LayerParams {
                w: (0..nw).map(|_| fp.encode(a * unit()).unwrap()).collect(),
                b: (0..nb).map(|_| fp.encode(0.1 * unit()).unwrap()).collect(),
            }
        })
        .collect();
    Model { arch, fp, params }
}

fn check(model: Model, in_len: usize, seed: u64) {
    let fp = model.fp;
    let batch = 3;
    let mut rng = ChaCha20Rng::seed_from_u64(seed ^ 1);
    let x: Vec<i32> = (0..batch * in_len)
        .map(|_| fp.pixel((rng.next_u64() % 256) as u8))
        .collect();
    let labels: Vec<u8> = (0..batch)
        .map(|_| (rng.next_u64() % model.arch.classes as u64) as u8)
        .collect();
    // Integer gradients of the batch-summed loss.
    let mut wit = Witness::disabled();
    let fwd = model.forward(&mut wit, &x, batch).unwrap();
    let n = model.arch.layers.len();
    let table = ExpTable::new(16);
    let loss = softmax_xent(
        LayerCtx { index: n, fp },
        &mut wit,
        &table,
        &fwd.logits,
        &labels,
        model.arch.classes,
    )
    .unwrap();
    let grads = model.backward(&mut wit, &fwd, &loss.grad, batch).unwrap();
    // Float twin and finite differences of its batch-mean loss.
    let mut rm = RefModel::from_model(&model);
    let xf: Vec<f32> = x.iter().map(|&v| fp.decode(v as i64) as f32).collect();
    let (_, _, ref_grads) = rm.loss_and_grads(&xf, &labels);
    let eps = 1e-2f32;
    let mut checked = 0;
    for (k, g) in grads.iter().enumerate() {
        let Some(g) = g else { continue };
        let scale = fp.one() as f32 * batch as f32;
        let gmax =
            g.dw.iter()
                .map(|&v| (v as f32 / scale).abs())
                .fold(0.0, f32::max);
        for i in (0..g.dw.len()).step_by((g.dw.len() / 7).max(1)) {
            let orig = rm.params[k].0[i];
            rm.params[k].0[i] = orig + eps;
            let up = rm.loss(&xf, &labels);
            rm.params[k].0[i] = orig - eps;
            let down = rm.loss(&xf, &labels);
            rm.params[k].0[i] = orig;
            let fd = (up - down) / (2.0 * eps);
            let int_g = g.dw[i] as f32 / scale;
            let tol = 0.03 * gmax + 2e-3;
            assert!((int_g - fd).abs() <= tol, "layer {k} w[{i}]: integer {int_g} vs finite difference {fd} (tol {tol}, seed {seed})");
            assert!(
                (ref_grads[k].0[i] - fd).abs() <= tol,
                "layer {k} w[{i}]: f32 analytic {} vs fd {fd} (seed {seed})",
                ref_grads[k].0[i]
            );
            checked += 1;
        }
        for (o, &db) in g.db.iter().enumerate() {
            let int_g = db as f32 / scale;
            assert!(
                (int_g - ref_grads[k].1[o]).abs() <= 0.03 * gmax + 2e-3,
                "layer {k} b[{o}] (seed {seed})"
            );
        }
    }
    assert!(checked > 10);
}

#[test]
fn tiny_mlp_gradients_match_finite_differences() {
    let s = seed();
    let layers = vec![
        LayerSpec::Dense(Dense {
            inputs: 64,
            outputs: 12,
        }),
        LayerSpec::Relu,
        LayerSpec::Dense(Dense {
            inputs: 12,
            outputs: 5,
        }),
    ];
    check(tiny(layers, 5, s), 64, s);
}

#[test]
fn tiny_convnet_gradients_match_finite_differences() {
    let s = seed();
    let c1 = Conv {
        in_ch: 1,
        out_ch: 3,
        kernel: 3,
        stride: 1,
        padding: 1,
        in_h: 8,
        in_w: 8,
    };
    let c2 = Conv {
        in_ch: 3,
        out_ch: 4,
        kernel: 5,
        stride: 1,
        padding: 2,
        in_h: 4,
        in_w: 4,
    };
    let layers = vec![
        LayerSpec::Conv(c1),
        LayerSpec::Relu,
        LayerSpec::MaxPool(Pool2 {
            channels: 3,
            in_h: 8,
            in_w: 8,
        }),
        LayerSpec::Conv(c2),
        LayerSpec::Relu,
        LayerSpec::AvgPool(Pool2 {
            channels: 4,
            in_h: 4,
            in_w: 4,
        }),
        LayerSpec::Dense(Dense {
            inputs: 16,
            outputs: 4,
        }),
    ];
    check(tiny(layers, 4, s), 64, s);
}
