//! Wrong training steps for the negative tests: the prover runs as if honest on a witness
//! that trains wrongly, and the verifier must find it (see `nn/tests/proof_iteration.rs`).
//! Nothing here is used by an honest prover.

use super::witness::{trace_map, TraceMap};
use super::ProofSystem;
use crate::data::transform::encode_batch;
use crate::data::Dataset;
use crate::error::{NnError, Result};
use crate::layers::sgd::LearningRate;
use crate::layers::softmax::ExpTable;
use crate::model::{LayerParams, LayerSpec, Model};
use crate::witness::Witness;

/// A wrong training step for the negative tests: the prover runs as if honest on a witness
/// that trains wrongly, so the verifier must find it. Not for production use.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tamper {
    /// Honest.
    None,
    /// Train with this learning rate while the statement claims the configured one.
    LearningRate(f64),
    /// Weight 0 of layer 0 in `W_{t+1}` plus one.
    WrongUpdate,
    /// One forward remainder of layer 0 plus `2^f`, its quotient minus one (the rescale still
    /// holds, the remainder is out of range; taken where the ReLU after it is off).
    RemOutOfRange,
    /// One forward remainder of layer 0 off by one.
    WrongRem,
    /// The first ReLU skipped (sign 1 everywhere, output = input).
    SkipRelu,
    /// Batch row 0 replaced by a sample of the same class outside the scheduled batch.
    WrongSample,
    /// The label of batch row 0 changed (the gradient of another target).
    WrongLabel,
    /// The opening proves the last claim on `J_t` with its value plus one (the evaluation
    /// sent with its relation stays honest).
    FalseOpeningClaim,
    /// The first convolution's output entry 0 plus one.
    WrongConvOut,
    /// Entry 0 of the last convolution's weight gradient plus one.
    WrongConvDw,
    /// The first max-pool's choice moved, in one window, from its maximum to a smaller entry.
    WrongPoolChoice,
}

/// Applies a value-level tamper (the others act on the training itself).
pub(crate) fn edit(tamper: Tamper, system: &ProofSystem, values: &mut [Vec<i64>]) {
    let seg = |name: &str| system.plan.segments.iter().position(|s| s.name == name);
    let f = system.fp.frac_bits();
    match tamper {
        Tamper::WrongUpdate => {
            if let Some(s) = seg("0.w.next") {
                values[s][0] += 1;
            }
        }
        Tamper::WrongRem => {
            if let Some(s) = seg("0.dense.fwd.rem") {
                let r = &mut values[s][0];
                *r += if *r + 1 < 1 << f { 1 } else { -1 };
            }
        }
        Tamper::RemOutOfRange => {
            let (Some(q), Some(r), Some(sign)) = (
                seg("0.dense.fwd"),
                seg("0.dense.fwd.rem"),
                seg("1.relu.sign"),
            ) else {
                return;
            };
            let rows = system.plan.segments[q].rows;
            let cols = system.plan.segments[q].cols;
            let pc = 1usize << system.plan.segments[q].log_cols;
            let hit =
                (0..rows * pc).find(|&i| i % pc < cols && values[sign][i] == 0 && i / pc < rows);
            if let Some(i) = hit {
                values[r][i] += 1 << f;
                values[q][i] -= 1;
            }
        }
        Tamper::WrongConvOut | Tamper::WrongConvDw => {
            let conv = |pos: fn(&mut std::slice::Iter<'_, LayerSpec>) -> Option<usize>| {
                pos(&mut system.arch.layers.iter())
            };
            let k = if tamper == Tamper::WrongConvOut {
                conv(|it| it.position(|l| matches!(l, LayerSpec::Conv(_))))
            } else {
                conv(|it| it.rposition(|l| matches!(l, LayerSpec::Conv(_))))
            };
            let what = if tamper == Tamper::WrongConvOut {
                "fwd"
            } else {
                "dw"
            };
            if let Some(s) = k.and_then(|k| seg(&format!("{k}.conv.{what}"))) {
                values[s][0] += 1;
            }
        }
        Tamper::None
        | Tamper::LearningRate(_)
        | Tamper::SkipRelu
        | Tamper::WrongSample
        | Tamper::WrongLabel
        | Tamper::FalseOpeningClaim
        | Tamper::WrongPoolChoice => {}
    }
}

/// Applies a tamper to derived segments (after `witness::derive`): the pool choice. Moving a
/// one within its window keeps the choice's range multiplicities.
pub(crate) fn edit_derived(tamper: Tamper, system: &ProofSystem, values: &mut [Vec<i64>]) {
    use super::pool::PoolKind;
    use super::relations::Relation;
    if tamper != Tamper::WrongPoolChoice {
        return;
    }
    let first = system.plan.relations.iter().find_map(|r| match r {
        Relation::MaxPool(st) => match st.kind {
            PoolKind::Fwd { input, choice, .. } => Some((st.grid, input, choice)),
            PoolKind::Dx { .. } => None,
        },
        _ => None,
    });
    let Some((grid, input, choice)) = first else {
        return;
    };
    let iw = 1usize << grid.w;
    // The first window with a chosen entry strictly above another entry of the window.
    for (i, &c) in values[choice].clone().iter().enumerate() {
        if c != 1 {
            continue;
        }
        let base = i & !(iw | 1);
        for other in [base, base + 1, base + iw, base + iw + 1] {
            if values[input][other] < values[input][i] {
                values[choice][i] = 0;
                values[choice][other] = 1;
                return;
            }
        }
    }
}

/// Retrains the step with the first ReLU removed and rewrites the trace as if the ReLU had
/// signed every entry positive: returns the resulting model.
pub(crate) fn skip_first_relu(
    before: &Model,
    data: &Dataset,
    idx: &[usize],
    lr: LearningRate,
    trace: &mut TraceMap,
) -> Result<Model> {
    let r = before
        .arch
        .layers
        .iter()
        .position(|l| matches!(l, LayerSpec::Relu))
        .filter(|&r| r > 0)
        .ok_or(NnError::BadParameter {
            name: "tamper",
            what: "no ReLU to skip".into(),
        })?;
    let mut skip = before.clone();
    skip.arch.layers.remove(r);
    skip.params.remove(r);
    let (x, labels) = encode_batch(before.fp, before.arch.transform, data, idx);
    let mut wit = Witness::recording();
    skip.train_step(
        &mut wit,
        &ExpTable::new(before.fp.frac_bits()),
        lr,
        &x,
        &labels,
    )?;
    let mut out = TraceMap::new();
    for (name, v) in trace_map(&wit) {
        let renamed = match name.split_once('.') {
            Some((k, rest)) => match k.parse::<usize>() {
                Ok(k) if k >= r => format!("{}.{rest}", k + 1),
                _ => name,
            },
            None => name,
        };
        out.insert(renamed, v);
    }
    let z = out
        .get(&format!("{}.dense.fwd", r - 1))
        .cloned()
        .unwrap_or_default();
    let dy = out
        .get(&format!("{}.dense.dx", r + 1))
        .cloned()
        .unwrap_or_default();
    out.insert(format!("{r}.relu.sign"), vec![1; z.len()]);
    out.insert(format!("{r}.relu.fwd"), z);
    out.insert(format!("{r}.relu.dx"), dy);
    *trace = out;
    skip.params.insert(r, LayerParams::default());
    skip.arch = before.arch.clone();
    Ok(skip)
}
