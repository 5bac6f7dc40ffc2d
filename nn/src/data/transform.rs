//! Grey 28x28 bytes -> model input at scale `2^f`.
//!
//! Every pixel `p` becomes `round(p * 2^f / 255)` (integers only, [`FixedPoint::pixel`]).
//!
//! - `Plain28`: 1x28x28 as is (the MLP reads it as 784 features).
//! - `Pad32`: 1x32x32, the image at rows/columns 2..30, zeros around (LeNet's classic input).
//! - `Rgb64` (VGG-11): the `Pad32` image, each pixel repeated into a 2x2 block
//!   (nearest-neighbour upscaling, `out[y][x] = pad32[y / 2][x / 2]`), the plane copied to
//!   3 channels: 3x64x64. Deterministic and exact, no interpolation.

use crate::data::fashion::{Dataset, SIDE};
use crate::fixed::FixedPoint;
use crate::model::InputTransform;

/// Writes one image into `out` (`transform.shape()` values).
pub fn encode_image(out: &mut [i32], fp: FixedPoint, transform: InputTransform, image: &[u8]) {
    match transform {
        InputTransform::Plain28 => {
            for (o, &p) in out.iter_mut().zip(image) {
                *o = fp.pixel(p);
            }
        }
        InputTransform::Pad32 => {
            out.fill(0);
            for y in 0..SIDE {
                for x in 0..SIDE {
                    out[(y + 2) * 32 + x + 2] = fp.pixel(image[y * SIDE + x]);
                }
            }
        }
        InputTransform::Rgb64 => {
            let mut pad = [0i32; 32 * 32];
            encode_image(&mut pad, fp, InputTransform::Pad32, image);
            for c in 0..3 {
                for y in 0..64 {
                    for x in 0..64 {
                        out[(c * 64 + y) * 64 + x] = pad[(y / 2) * 32 + x / 2];
                    }
                }
            }
        }
    }
}

/// The input tensor `[indices.len(), c, h, w]` and labels of the chosen samples.
pub fn encode_batch(
    fp: FixedPoint,
    transform: InputTransform,
    data: &Dataset,
    indices: &[usize],
) -> (Vec<i32>, Vec<u8>) {
    let (c, h, w) = transform.shape();
    let len = c * h * w;
    let mut x = vec![0i32; indices.len() * len];
    for (out, &i) in x.chunks_mut(len).zip(indices) {
        encode_image(out, fp, transform, data.image(i));
    }
    (x, indices.iter().map(|&i| data.labels[i]).collect())
}
