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

/// Calls `f(weight index, input index, output index)` for every term of a convolution of
/// one sample.
fn conv_terms(c: &Conv, mut f: impl FnMut(usize, usize, usize)) {
    let (k, oh, ow) = (c.kernel, c.out_h(), c.out_w());
    for o in 0..c.out_ch {
        for ch in 0..c.in_ch {
            for i in 0..k {
                for j in 0..k {
                    let wi = ((o * c.in_ch + ch) * k + i) * k + j;
                    for u in 0..oh {
                        let Some(h) = (u * c.stride + i)
                            .checked_sub(c.padding)
                            .filter(|&h| h < c.in_h)
                        else {
                            continue;
                        };
                        for v in 0..ow {
                            let Some(w) = (v * c.stride + j)
                                .checked_sub(c.padding)
                                .filter(|&w| w < c.in_w)
                            else {
                                continue;
                            };
                            f(wi, (ch * c.in_h + h) * c.in_w + w, (o * oh + u) * ow + v);
                        }
                    }
                }
            }
        }
    }
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
                            let p = c.out_h() * c.out_w();
                            for (o, yo) in yb.chunks_mut(p).enumerate() {
                                yo.fill(b[o]);
                            }
                            conv_terms(c, |wi, xi, yi| yb[yi] += w[wi] * xb[xi]);
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
                    for bi in 0..batch {
                        for o in 0..d.outputs {
                            let g = dy[bi * d.outputs + o];
                            gb[o] += g;
                            for i in 0..d.inputs {
                                gw[o * d.inputs + i] += g * x[bi * d.inputs + i];
                                dx[bi * d.inputs + i] += g * w[o * d.inputs + i];
                            }
                        }
                    }
                }
                LayerSpec::Conv(c) => {
                    let p = c.out_h() * c.out_w();
                    for bi in 0..batch {
                        let (xb, dyb) = (
                            &x[bi * c.in_len()..][..c.in_len()],
                            &dy[bi * c.out_len()..][..c.out_len()],
                        );
                        let dxb = &mut dx[bi * c.in_len()..][..c.in_len()];
                        conv_terms(c, |wi, xi, yi| {
                            gw[wi] += dyb[yi] * xb[xi];
                            dxb[xi] += dyb[yi] * w[wi];
                        });
                        for o in 0..c.out_ch {
                            gb[o] += dyb[o * p..(o + 1) * p].iter().sum::<f32>();
                        }
                    }
                }
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
