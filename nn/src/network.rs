//! One model's forward pass, backward pass and training step, layer by layer.
//!
//! ```text
//! train_step:  x --layer 0--> ... --layer L-1--> logits --softmax/xent (index L)--> dz
//!              dz --backward L-1--> ... --backward 0-->  (dW, db) per layer
//!              SGD on every parametric layer (index k), in layer order
//! ```
//! The witness receives, in this order: `input`, `labels`, each layer's forward entries, the
//! loss entries, each layer's backward entries (last layer first), then the SGD entries.

use crate::error::Result;
use crate::layers::activation::{relu_backward, relu_forward};
use crate::layers::sgd::{sgd_update, LearningRate};
use crate::layers::softmax::{softmax_xent, ExpTable};
use crate::layers::{LayerCtx, ParamGrads};
use crate::model::{LayerSpec, Model};
use crate::witness::Witness;

/// What a forward pass keeps for the backward pass.
#[derive(Debug, Clone)]
pub struct ForwardPass {
    /// The input of every layer (`inputs[k]` feeds layer `k`).
    pub inputs: Vec<Vec<i32>>,
    /// The arg-max of every max-pool layer (empty for other layers).
    pub argmax: Vec<Vec<u8>>,
    /// The logits, `[batch, classes]`.
    pub logits: Vec<i32>,
}

/// Statistics of one training step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepStats {
    /// Summed cross-entropy over the batch.
    pub loss_sum: f64,
    /// Correctly classified samples (before the update).
    pub correct: usize,
}

impl Model {
    fn ctx(&self, index: usize) -> LayerCtx {
        LayerCtx { index, fp: self.fp }
    }

    /// Forward pass of `batch` samples.
    pub fn forward(&self, wit: &mut Witness, x: &[i32], batch: usize) -> Result<ForwardPass> {
        crate::layers::expect_len("model input", batch * self.arch.input_len(), x.len())?;
        let n = self.arch.layers.len();
        let mut inputs = Vec::with_capacity(n);
        let mut argmax = Vec::with_capacity(n);
        let mut cur = x.to_vec();
        for (k, spec) in self.arch.layers.iter().enumerate() {
            let ctx = self.ctx(k);
            let p = &self.params[k];
            let mut arg = Vec::new();
            let next = match spec {
                LayerSpec::Dense(d) => d.forward(ctx, wit, &p.w, &p.b, &cur, batch)?,
                LayerSpec::Conv(c) => c.forward(ctx, wit, &p.w, &p.b, &cur, batch)?,
                LayerSpec::Relu => relu_forward(ctx, wit, &cur),
                LayerSpec::MaxPool(pool) => {
                    let (y, a) = pool.max_forward(ctx, wit, &cur, batch)?;
                    arg = a;
                    y
                }
                LayerSpec::AvgPool(pool) => pool.avg_forward(ctx, wit, &cur, batch)?,
            };
            inputs.push(std::mem::replace(&mut cur, next));
            argmax.push(arg);
        }
        Ok(ForwardPass {
            inputs,
            argmax,
            logits: cur,
        })
    }

    /// Logits only, nothing traced.
    pub fn predict(&self, x: &[i32], batch: usize) -> Result<Vec<i32>> {
        Ok(self.forward(&mut Witness::disabled(), x, batch)?.logits)
    }

    /// Backward pass from `dlogits`; returns `(dW, db)` per layer (`None` for layers without
    /// parameters).
    pub fn backward(
        &self,
        wit: &mut Witness,
        fwd: &ForwardPass,
        dlogits: &[i32],
        batch: usize,
    ) -> Result<Vec<Option<ParamGrads>>> {
        let n = self.arch.layers.len();
        let mut grads: Vec<Option<ParamGrads>> = vec![None; n];
        let mut dy = dlogits.to_vec();
        for k in (0..n).rev() {
            let ctx = self.ctx(k);
            let x = &fwd.inputs[k];
            let need_dx = k > 0;
            let p = &self.params[k];
            let dx = match &self.arch.layers[k] {
                LayerSpec::Dense(d) => {
                    let mut g = d.backward(ctx, wit, &p.w, x, &dy, batch, need_dx)?;
                    let dx = g.dx.take();
                    grads[k] = Some(g);
                    dx
                }
                LayerSpec::Conv(c) => {
                    let mut g = c.backward(ctx, wit, &p.w, x, &dy, batch, need_dx)?;
                    let dx = g.dx.take();
                    grads[k] = Some(g);
                    dx
                }
                LayerSpec::Relu => Some(relu_backward(ctx, wit, x, &dy)?),
                LayerSpec::MaxPool(pool) => {
                    Some(pool.max_backward(ctx, wit, &fwd.argmax[k], &dy, batch)?)
                }
                LayerSpec::AvgPool(pool) => Some(pool.avg_backward(ctx, wit, &dy, batch)?),
            };
            match dx {
                Some(d) => dy = d,
                None => break,
            }
        }
        Ok(grads)
    }

    /// One SGD iteration on a batch; `x` is `[batch, input]` at scale `2^f`.
    pub fn train_step(
        &mut self,
        wit: &mut Witness,
        table: &ExpTable,
        lr: LearningRate,
        x: &[i32],
        labels: &[u8],
    ) -> Result<StepStats> {
        let batch = labels.len();
        wit.record_i32(|| "input".into(), x);
        wit.record_u8(|| "labels".into(), labels);
        let fwd = self.forward(wit, x, batch)?;
        let n = self.arch.layers.len();
        let loss = softmax_xent(
            self.ctx(n),
            wit,
            table,
            &fwd.logits,
            labels,
            self.arch.classes,
        )?;
        let grads = self.backward(wit, &fwd, &loss.grad, batch)?;
        // All gradients exist before any weight moves; an SGD overflow error leaves the layers
        // before it updated, so callers treat an error as fatal for the model.
        for (k, g) in grads.iter().enumerate() {
            if let Some(g) = g {
                let ctx = self.ctx(k);
                sgd_update(ctx, wit, &mut self.params[k].w, lr, &g.dw, "w")?;
                sgd_update(ctx, wit, &mut self.params[k].b, lr, &g.db, "b")?;
            }
        }
        wit.check()?;
        Ok(StepStats {
            loss_sum: loss.loss_sum,
            correct: loss.correct,
        })
    }
}
