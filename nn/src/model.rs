//! Model architectures, their parameters and deterministic initialisation.
//!
//! All convolutions are 'valid' (no padding, stride 1), as in the paper's prototype; ReLU
//! follows every layer but the last.
//!
//! | model | input | layers | params |
//! |---|---|---|---|
//! | `mlp` | 1x28x28 | dense 784-128, dense 128-10 | 101,770 |
//! | `lenet5` | 1x32x32 (28x28 padded by 2) | conv5 6 (28) max-pool (14), conv5 16 (10) max-pool (5), dense 400-120-84-10 | 61,706 |
//! | `lenet-ref` | 1x32x32 (padded) | conv5 4 (28) avg-pool (14), conv5 16 (10) avg-pool (5), conv5 128 (1), dense 128-32-16 | 57,704 |
//! | `vgg11` | 3x64x64 (see `data::transform`) | conv3 8 (62), 8 (60), avg-pool (30), 16 (28), 16 (26), 32 (24), avg-pool (12), 32 (10), 32 (8), avg-pool (4), 32 (2), dense 128-2048-4096-128-16 | 9,220,056 |
//!
//! VGG-11's convolution output, 32 channels of 2x2, is exactly the 128 inputs of the first
//! dense layer, which reconciles the paper's "dense 128-2048-4096-128-16" with its 64x64x3
//! input: 128 -> 2048 -> 4096 -> 128 -> 16 are the layer widths. The 2048x4096 matrix holds
//! 8,388,608 of the 9,220,056 parameters (conv: 36,680 weights and biases; dense: 9,183,376).
//! (`Architecture::param_count` computes these numbers; a test pins them.)
//!
//! Initialisation: He-uniform `w ~ U(-a, a)`, `a = sqrt(6 / fan_in)`, biases 0. Layer `k`
//! draws from ChaCha20 seeded with `seed` on stream `k`, one `u64` per weight in row-major
//! order, `u = (x >> 11) / 2^53`, `w = encode(a * (2u - 1))` — the same integers on every
//! platform and whatever the thread count.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

use crate::error::{NnError, Result};
use crate::fixed::FixedPoint;
use crate::layers::conv::Conv;
use crate::layers::dense::Dense;
use crate::layers::pool::Pool2;

/// The models `nn` trains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ModelKind {
    /// MLP 784-128-10.
    Mlp,
    /// Classic LeNet-5.
    Lenet5,
    /// The paper's VGG-11 ("10 M parameters").
    Vgg11,
    /// The paper prototype's LeNet.
    LenetRef,
}

impl ModelKind {
    /// All models.
    pub const ALL: [ModelKind; 4] = [
        ModelKind::Mlp,
        ModelKind::Lenet5,
        ModelKind::Vgg11,
        ModelKind::LenetRef,
    ];

    /// The model's name (`mlp`, `lenet5`, `vgg11`, `lenet-ref`).
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Mlp => "mlp",
            ModelKind::Lenet5 => "lenet5",
            ModelKind::Vgg11 => "vgg11",
            ModelKind::LenetRef => "lenet-ref",
        }
    }

    /// The model of a given name.
    pub fn from_name(name: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.name() == name)
            .ok_or_else(|| NnError::BadParameter {
                name: "model",
                what: format!("unknown model {name:?} (known: mlp, lenet5, vgg11, lenet-ref)"),
            })
    }
}

/// How a 28x28 grey image becomes the model's input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputTransform {
    /// 1x28x28 as is.
    Plain28,
    /// 1x32x32: zero border of 2 pixels.
    Pad32,
    /// 3x64x64: padded to 32x32, each pixel repeated 2x2, the plane repeated on 3 channels.
    Rgb64,
}

impl InputTransform {
    /// `(channels, height, width)` of the result.
    pub fn shape(self) -> (usize, usize, usize) {
        match self {
            InputTransform::Plain28 => (1, 28, 28),
            InputTransform::Pad32 => (1, 32, 32),
            InputTransform::Rgb64 => (3, 64, 64),
        }
    }
}

/// One layer of an architecture, with the shapes it is applied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayerSpec {
    /// Fully connected.
    Dense(Dense),
    /// Convolution.
    Conv(Conv),
    /// ReLU.
    Relu,
    /// 2x2 max pooling.
    MaxPool(Pool2),
    /// 2x2 average pooling.
    AvgPool(Pool2),
}

impl LayerSpec {
    /// `(weights, biases)` of a parametric layer.
    pub fn param_shape(&self) -> (usize, usize) {
        match self {
            LayerSpec::Dense(d) => (d.weight_len(), d.outputs),
            LayerSpec::Conv(c) => (c.weight_len(), c.out_ch),
            _ => (0, 0),
        }
    }

    /// Fan-in of a parametric layer (1 otherwise).
    pub fn fan_in(&self) -> usize {
        match self {
            LayerSpec::Dense(d) => d.inputs,
            LayerSpec::Conv(c) => c.patch(),
            _ => 1,
        }
    }
}

/// A model's layers and shapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Architecture {
    /// Which model.
    pub kind: ModelKind,
    /// The input transform (and so the input shape).
    pub transform: InputTransform,
    /// The layers; flatten is implicit (row-major `[c, h, w]` is already flat).
    pub layers: Vec<LayerSpec>,
    /// Output classes.
    pub classes: usize,
}

/// Builds a layer list while tracking the current `(c, h, w)` shape.
struct Builder {
    shape: (usize, usize, usize),
    layers: Vec<LayerSpec>,
}

impl Builder {
    fn conv(mut self, out_ch: usize, kernel: usize) -> Self {
        let (c, h, w) = self.shape;
        let conv = Conv {
            in_ch: c,
            out_ch,
            kernel,
            stride: 1,
            padding: 0,
            in_h: h,
            in_w: w,
        };
        self.shape = (out_ch, conv.out_h(), conv.out_w());
        self.layers.push(LayerSpec::Conv(conv));
        self.layers.push(LayerSpec::Relu);
        self
    }

    fn pool(mut self, max: bool) -> Self {
        let (c, h, w) = self.shape;
        let p = Pool2 {
            channels: c,
            in_h: h,
            in_w: w,
        };
        self.layers.push(if max {
            LayerSpec::MaxPool(p)
        } else {
            LayerSpec::AvgPool(p)
        });
        self.shape = (c, h / 2, w / 2);
        self
    }

    /// Dense layers of the given widths after flattening; ReLU between, not after the last.
    fn dense(mut self, widths: &[usize]) -> Vec<LayerSpec> {
        let (c, h, w) = self.shape;
        let mut inputs = c * h * w;
        for (i, &outputs) in widths.iter().enumerate() {
            self.layers
                .push(LayerSpec::Dense(Dense { inputs, outputs }));
            if i + 1 < widths.len() {
                self.layers.push(LayerSpec::Relu);
            }
            inputs = outputs;
        }
        self.layers
    }
}

impl Architecture {
    /// The architecture of a model.
    pub fn new(kind: ModelKind) -> Self {
        let transform = match kind {
            ModelKind::Mlp => InputTransform::Plain28,
            ModelKind::Lenet5 | ModelKind::LenetRef => InputTransform::Pad32,
            ModelKind::Vgg11 => InputTransform::Rgb64,
        };
        let b = Builder {
            shape: transform.shape(),
            layers: Vec::new(),
        };
        let (layers, classes) = match kind {
            ModelKind::Mlp => (b.dense(&[128, 10]), 10),
            ModelKind::Lenet5 => (
                b.conv(6, 5)
                    .pool(true)
                    .conv(16, 5)
                    .pool(true)
                    .dense(&[120, 84, 10]),
                10,
            ),
            ModelKind::LenetRef => (
                b.conv(4, 5)
                    .pool(false)
                    .conv(16, 5)
                    .pool(false)
                    .conv(128, 5)
                    .dense(&[32, 16]),
                16,
            ),
            ModelKind::Vgg11 => (
                b.conv(8, 3)
                    .conv(8, 3)
                    .pool(false)
                    .conv(16, 3)
                    .conv(16, 3)
                    .conv(32, 3)
                    .pool(false)
                    .conv(32, 3)
                    .conv(32, 3)
                    .pool(false)
                    .conv(32, 3)
                    .dense(&[2048, 4096, 128, 16]),
                16,
            ),
        };
        Self {
            kind,
            transform,
            layers,
            classes,
        }
    }

    /// Values per input sample: what the first layer reads (for the built-in models, the
    /// size of the transform's output).
    pub fn input_len(&self) -> usize {
        match self.layers.first() {
            Some(LayerSpec::Dense(d)) => d.inputs,
            Some(LayerSpec::Conv(c)) => c.in_len(),
            Some(LayerSpec::MaxPool(p) | LayerSpec::AvgPool(p)) => p.in_len(),
            Some(LayerSpec::Relu) | None => {
                let (c, h, w) = self.transform.shape();
                c * h * w
            }
        }
    }

    /// Weights and biases of all layers.
    pub fn param_count(&self) -> usize {
        self.layers
            .iter()
            .map(|l| l.param_shape().0 + l.param_shape().1)
            .sum()
    }
}

/// Weights and biases of one layer (empty for layers without parameters).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LayerParams {
    /// Weights, row-major (`[out, in]` or `[out, in_ch, k, k]`).
    pub w: Vec<i32>,
    /// Biases.
    pub b: Vec<i32>,
}

/// A model: architecture, scale and integer parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// The architecture.
    pub arch: Architecture,
    /// The fixed-point scale.
    pub fp: FixedPoint,
    /// Parameters, one entry per layer.
    pub params: Vec<LayerParams>,
}

/// The initial weights of a layer as reals (He-uniform, see the module doc).
pub fn init_layer_f64(spec: &LayerSpec, seed: u64, layer: usize) -> Vec<f64> {
    init_layer_values(spec, seed, layer).collect()
}

/// The initial weights of a layer as reals, one at a time (no buffer of the whole layer).
fn init_layer_values(spec: &LayerSpec, seed: u64, layer: usize) -> impl Iterator<Item = f64> {
    let (nw, _) = spec.param_shape();
    let a = (6.0 / spec.fan_in() as f64).sqrt();
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    rng.set_stream(layer as u64);
    (0..nw).map(move |_| {
        let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        a * (2.0 * u - 1.0)
    })
}

impl Model {
    /// A freshly initialised model.
    pub fn init(kind: ModelKind, fp: FixedPoint, seed: u64) -> Result<Self> {
        let arch = Architecture::new(kind);
        let mut params = Vec::with_capacity(arch.layers.len());
        for (k, spec) in arch.layers.iter().enumerate() {
            let (_, nb) = spec.param_shape();
            let w = init_layer_values(spec, seed, k)
                .map(|x| fp.encode(x))
                .collect::<Result<Vec<_>>>()?;
            params.push(LayerParams { w, b: vec![0; nb] });
        }
        Ok(Self { arch, fp, params })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_counts_are_pinned() {
        let count = |k| Architecture::new(k).param_count();
        assert_eq!(count(ModelKind::Mlp), 784 * 128 + 128 + 128 * 10 + 10);
        assert_eq!(count(ModelKind::Mlp), 101_770);
        assert_eq!(count(ModelKind::Lenet5), 61_706);
        assert_eq!(count(ModelKind::LenetRef), 57_704);
        assert_eq!(count(ModelKind::Vgg11), 9_220_056);
        for k in ModelKind::ALL {
            let a = Architecture::new(k);
            let (c, h, w) = a.transform.shape();
            assert_eq!(a.input_len(), c * h * w, "{k:?}");
        }
        let vgg = Architecture::new(ModelKind::Vgg11);
        let first_dense = vgg.layers.iter().find_map(|l| match l {
            LayerSpec::Dense(d) => Some(*d),
            _ => None,
        });
        assert_eq!(
            first_dense,
            Some(Dense {
                inputs: 128,
                outputs: 2048
            })
        );
    }

    #[test]
    fn init_is_deterministic_and_seeded() {
        let fp = FixedPoint::default();
        let a = Model::init(ModelKind::Lenet5, fp, 7).unwrap();
        let b = Model::init(ModelKind::Lenet5, fp, 7).unwrap();
        let c = Model::init(ModelKind::Lenet5, fp, 8).unwrap();
        assert_eq!(a, b);
        assert_ne!(a.params, c.params);
    }

    #[test]
    fn names_round_trip() {
        for k in ModelKind::ALL {
            assert_eq!(ModelKind::from_name(k.name()).unwrap(), k);
        }
        assert!(ModelKind::from_name("resnet").is_err());
    }
}
