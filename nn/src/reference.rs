//! The f32 reference trainer: the same architectures, initial weights, inputs, schedule and
//! hyper-parameters in floating point. Used only to compare accuracy (and, in tests, as the
//! function whose finite differences check the integer gradients). Never proven.
//!
//! Gradients here are of the batch-mean loss, so an update is `w -= lr * g`, matching the
//! integer trainer's `lr_q = lr * 2^f / B` applied to batch sums.

use rayon::prelude::*;

use crate::data::{BatchSchedule, Dataset, FashionMnist};
use crate::error::Result;
use crate::layers::conv::Conv;
use crate::layers::pool::Pool2;
use crate::model::{Architecture, LayerSpec, Model};
use crate::train::{Evaluation, Progress, TrainConfig};

/// `(dW, db)` of every layer.
pub type RefGrads = Vec<(Vec<f32>, Vec<f32>)>;

/// A float model.
#[derive(Debug, Clone, PartialEq)]
pub struct RefModel {
    /// The architecture.
    pub arch: Architecture,
    /// `(weights, biases)` per layer.
    pub params: Vec<(Vec<f32>, Vec<f32>)>,
}

/// One window element of a 2x2 pool (same order as the integer pool).
fn pool_src(p: &Pool2, o: usize, a: usize) -> usize {
    let (oh, ow) = (p.in_h / 2, p.in_w / 2);
    let plane = o / (oh * ow);
    let (u, v) = ((o / ow) % oh, o % ow);
    plane * p.in_h * p.in_w + (2 * u + a / 2) * p.in_w + 2 * v + a % 2
}

/// One sample of a convolution: `yb = W * im2col(xb) + b`.
fn conv_forward_sample(c: &Conv, w: &[f32], b: &[f32], xb: &[f32], yb: &mut [f32]) {
    let (r, p) = (c.patch(), c.out_h() * c.out_w());
    let cols = c.im2col(xb);
    for (o, yo) in yb.chunks_mut(p).enumerate() {
        yo.fill(b[o]);
        for (rr, &wv) in w[o * r..(o + 1) * r].iter().enumerate() {
            for (y, &cv) in yo.iter_mut().zip(&cols[rr * p..(rr + 1) * p]) {
                *y += wv * cv;
            }
        }
    }
}

/// Gradients of a convolution over a batch: `dx` per sample (parallel over samples), `dW`
/// and `db` per output channel (parallel over channels, samples summed in order), so the
/// result does not depend on the thread count.
fn conv_backward(
    c: &Conv,
    w: &[f32],
    x: &[f32],
    dy: &[f32],
    gw: &mut [f32],
    gb: &mut [f32],
    dx: &mut [f32],
) {
    let (r, p) = (c.patch(), c.out_h() * c.out_w());
    let cols: Vec<Vec<f32>> = x.par_chunks(c.in_len()).map(|xb| c.im2col(xb)).collect();
    gw.par_chunks_mut(r)
        .zip(gb.par_iter_mut())
        .enumerate()
        .for_each(|(o, (gw_o, gb_o))| {
            for (cb, dyb) in cols.iter().zip(dy.chunks(c.out_len())) {
                let dyo = &dyb[o * p..(o + 1) * p];
                *gb_o += dyo.iter().sum::<f32>();
                for (rr, g) in gw_o.iter_mut().enumerate() {
                    *g += dyo
                        .iter()
                        .zip(&cb[rr * p..(rr + 1) * p])
                        .map(|(a, b)| a * b)
                        .sum::<f32>();
                }
            }
        });
    dx.par_chunks_mut(c.in_len())
        .zip(dy.par_chunks(c.out_len()))
        .for_each(|(dxb, dyb)| {
            let mut dcols = vec![0f32; r * p];
            for (o, dyo) in dyb.chunks(p).enumerate() {
                for (rr, &wv) in w[o * r..(o + 1) * r].iter().enumerate() {
                    for (d, &g) in dcols[rr * p..(rr + 1) * p].iter_mut().zip(dyo) {
                        *d += wv * g;
                    }
                }
            }
            c.col2im_add(&dcols, dxb);
        });
}

/// Gradients of a dense layer over a batch, parallel over output rows (for `dW`, `db`) and
/// samples (for `dx`), each sum in a fixed order.
#[allow(clippy::too_many_arguments)]
fn dense_backward(
    ni: usize,
    no: usize,
    w: &[f32],
    x: &[f32],
    dy: &[f32],
    gw: &mut [f32],
    gb: &mut [f32],
    dx: &mut [f32],
) {
    gw.par_chunks_mut(ni)
        .zip(gb.par_iter_mut())
        .enumerate()
        .for_each(|(o, (gw_o, gb_o))| {
            for (xb, dyb) in x.chunks(ni).zip(dy.chunks(no)) {
                let g = dyb[o];
                *gb_o += g;
                for (a, &xv) in gw_o.iter_mut().zip(xb) {
                    *a += g * xv;
                }
            }
        });
    dx.par_chunks_mut(ni)
        .zip(dy.par_chunks(no))
        .for_each(|(dxb, dyb)| {
            for (o, &g) in dyb.iter().enumerate() {
                for (d, &wv) in dxb.iter_mut().zip(&w[o * ni..(o + 1) * ni]) {
                    *d += g * wv;
                }
            }
        });
}

impl RefModel {
    /// The float copy of an integer model (same weights, decoded).
    pub fn from_model(model: &Model) -> Self {
        let dec = |v: &Vec<i32>| {
            v.iter()
                .map(|&x| model.fp.decode(x as i64) as f32)
                .collect()
        };
        Self {
            arch: model.arch.clone(),
            params: model
                .params
                .iter()
                .map(|p| (dec(&p.w), dec(&p.b)))
                .collect(),
        }
    }

    /// Per-layer inputs and the logits, for `batch` samples.
    fn forward(&self, x: &[f32], batch: usize) -> (Vec<Vec<f32>>, Vec<f32>) {
        let mut inputs = Vec::with_capacity(self.arch.layers.len());
        let mut cur = x.to_vec();
        for (spec, (w, b)) in self.arch.layers.iter().zip(&self.params) {
            let next = match spec {
                LayerSpec::Dense(d) => {
                    let mut y = vec![0f32; batch * d.outputs];
                    y.par_chunks_mut(d.outputs)
                        .zip(cur.par_chunks(d.inputs))
                        .for_each(|(yb, xb)| {
                            for (o, yo) in yb.iter_mut().enumerate() {
                                *yo = b[o]
                                    + w[o * d.inputs..][..d.inputs]
                                        .iter()
                                        .zip(xb)
                                        .map(|(a, c)| a * c)
                                        .sum::<f32>();
                            }
                        });
                    y
                }
                LayerSpec::Conv(c) => {
                    let mut y = vec![0f32; batch * c.out_len()];
                    y.par_chunks_mut(c.out_len())
                        .zip(cur.par_chunks(c.in_len()))
                        .for_each(|(yb, xb)| {
                            conv_forward_sample(c, w, b, xb, yb);
                        });
                    y
                }
                LayerSpec::Relu => cur.iter().map(|&v| v.max(0.0)).collect(),
                LayerSpec::MaxPool(p) => (0..batch * p.out_len())
                    .map(|o| {
                        (0..4)
                            .map(|a| cur[pool_src(p, o, a)])
                            .fold(f32::NEG_INFINITY, f32::max)
                    })
                    .collect(),
                LayerSpec::AvgPool(p) => (0..batch * p.out_len())
                    .map(|o| (0..4).map(|a| cur[pool_src(p, o, a)]).sum::<f32>() / 4.0)
                    .collect(),
            };
            inputs.push(std::mem::replace(&mut cur, next));
        }
        (inputs, cur)
    }

    /// Logits of `batch` samples.
    pub fn predict(&self, x: &[f32], batch: usize) -> Vec<f32> {
        self.forward(x, batch).1
    }

    /// Mean cross-entropy of a batch.
    pub fn loss(&self, x: &[f32], labels: &[u8]) -> f32 {
        let logits = self.predict(x, labels.len());
        let k = self.arch.classes;
        let total: f32 = logits
            .chunks(k)
            .zip(labels)
            .map(|(z, &y)| {
                let m = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                m + z.iter().map(|&v| (v - m).exp()).sum::<f32>().ln() - z[y as usize]
            })
            .sum();
        total / labels.len() as f32
    }

    /// Mean loss, correct count and gradients `(dW, db)` per layer of the batch-mean loss.
    pub fn loss_and_grads(&self, x: &[f32], labels: &[u8]) -> (f32, usize, RefGrads) {
        let batch = labels.len();
        let k = self.arch.classes;
        let (inputs, logits) = self.forward(x, batch);
        let (mut loss, mut correct) = (0f32, 0usize);
        let mut dy = vec![0f32; logits.len()];
        for ((z, &y), g) in logits.chunks(k).zip(labels).zip(dy.chunks_mut(k)) {
            let m = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let s: f32 = z.iter().map(|&v| (v - m).exp()).sum();
            loss += m + s.ln() - z[y as usize];
            let top = (0..k).fold(0, |best, i| if z[i] > z[best] { i } else { best });
            correct += usize::from(top == y as usize);
            for (i, gi) in g.iter_mut().enumerate() {
                *gi =
                    ((z[i] - m).exp() / s - if i == y as usize { 1.0 } else { 0.0 }) / batch as f32;
            }
        }
        let mut grads: RefGrads = self
            .params
            .iter()
            .map(|(w, b)| (vec![0.0; w.len()], vec![0.0; b.len()]))
            .collect();
        for kk in (0..self.arch.layers.len()).rev() {
            let x = &inputs[kk];
            let (w, _) = &self.params[kk];
            let (gw, gb) = &mut grads[kk];
            let mut dx = vec![0f32; x.len()];
            match &self.arch.layers[kk] {
                LayerSpec::Dense(d) => {
                    dense_backward(d.inputs, d.outputs, w, x, &dy, gw, gb, &mut dx)
                }
                LayerSpec::Conv(c) => conv_backward(c, w, x, &dy, gw, gb, &mut dx),
                LayerSpec::Relu => {
                    for ((d, &xv), &g) in dx.iter_mut().zip(x).zip(&dy) {
                        *d = if xv > 0.0 { g } else { 0.0 };
                    }
                }
                LayerSpec::MaxPool(pl) => {
                    for (o, &g) in dy.iter().enumerate() {
                        let a = (1..4).fold(0, |best, a| {
                            if x[pool_src(pl, o, a)] > x[pool_src(pl, o, best)] {
                                a
                            } else {
                                best
                            }
                        });
                        dx[pool_src(pl, o, a)] = g;
                    }
                }
                LayerSpec::AvgPool(pl) => {
                    for (o, &g) in dy.iter().enumerate() {
                        for a in 0..4 {
                            dx[pool_src(pl, o, a)] = g / 4.0;
                        }
                    }
                }
            }
            dy = dx;
        }
        (loss / batch as f32, correct, grads)
    }
}

/// Float input of a batch: pixel / 255 under the model's transform (via the integer
/// transform at 16 fractional bits, which is exact up to 2^-17).
fn float_batch(arch: &Architecture, data: &Dataset, idx: &[usize]) -> (Vec<f32>, Vec<u8>) {
    let fp = crate::fixed::FixedPoint::default();
    let (x, labels) = crate::data::transform::encode_batch(fp, arch.transform, data, idx);
    (
        x.iter().map(|&v| fp.decode(v as i64) as f32).collect(),
        labels,
    )
}

/// Accuracy of a float model on `data`.
pub fn evaluate_f32(model: &RefModel, data: &Dataset) -> Evaluation {
    let idx: Vec<usize> = (0..data.len()).collect();
    let mut correct = 0;
    for chunk in idx.chunks(64) {
        let (x, labels) = float_batch(&model.arch, data, chunk);
        let logits = model.predict(&x, chunk.len());
        for (z, &y) in logits.chunks(model.arch.classes).zip(&labels) {
            let top = (0..z.len()).fold(0, |best, i| if z[i] > z[best] { i } else { best });
            correct += usize::from(top == y as usize);
        }
    }
    Evaluation {
        samples: data.len(),
        accuracy: correct as f64 / data.len().max(1) as f64,
    }
}

/// Trains the float twin of `config`'s model (same initial weights and batches); returns the
/// model and its test evaluation.
pub fn train_f32(
    config: &TrainConfig,
    data: &FashionMnist,
    progress: &mut dyn FnMut(&Progress),
) -> Result<(RefModel, Evaluation)> {
    let init = Model::init(
        config.model,
        crate::fixed::FixedPoint::new(config.frac_bits)?,
        config.seed,
    )?;
    let mut model = RefModel::from_model(&init);
    let mut schedule = BatchSchedule::new(config.seed, data.train.len(), config.batch)?;
    let mut total = schedule.batches_per_epoch() * config.epochs as u64;
    if let Some(m) = config.max_iterations {
        total = total.min(m);
    }
    for it in 0..total {
        let (x, labels) = float_batch(&model.arch, &data.train, &schedule.batch(it));
        let (loss, correct, grads) = model.loss_and_grads(&x, &labels);
        for ((w, b), (gw, gb)) in model.params.iter_mut().zip(&grads) {
            for (v, g) in w.iter_mut().zip(gw).chain(b.iter_mut().zip(gb)) {
                *v -= config.lr as f32 * g;
            }
        }
        progress(&Progress {
            iteration: it + 1,
            total,
            loss: loss as f64,
            batch_accuracy: correct as f64 / config.batch as f64,
        });
    }
    let eval = evaluate_f32(&model, &data.test);
    Ok((model, eval))
}
