//! Fashion-MNIST: 28x28 grey images in 10 classes.
//!
//! Sources: any directory holding the four standard files (raw or `.gz`), by default
//! [`FashionMnist::DEBIAN_DIR`] (Debian package `dataset-fashion-mnist`); or the subset
//! embedded in this crate ([`FashionMnist::embedded`]): the first 1,000 training and the first
//! 200 test images, made by `scripts/make-subset.sh` into `nn/data/`.

use std::path::{Path, PathBuf};

use crate::data::idx::{parse_idx, read_idx, Idx};
use crate::error::{FileProblem, NnError, Result};

/// Number of Fashion-MNIST classes.
pub const CLASSES: usize = 10;
/// Image side.
pub const SIDE: usize = 28;

/// Images and labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    /// `len * 28 * 28` grey bytes, row-major.
    pub images: Vec<u8>,
    /// One label in `0..10` per image.
    pub labels: Vec<u8>,
}

impl Dataset {
    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The bytes of image `i`.
    pub fn image(&self, i: usize) -> &[u8] {
        &self.images[i * SIDE * SIDE..(i + 1) * SIDE * SIDE]
    }

    /// The first `n` images (all if fewer).
    pub fn take(&self, n: usize) -> Dataset {
        let n = n.min(self.len());
        Dataset {
            images: self.images[..n * SIDE * SIDE].to_vec(),
            labels: self.labels[..n].to_vec(),
        }
    }

    /// Checks an images file against a labels file and pairs them.
    fn from_idx(images_path: &Path, images: Idx, labels_path: &Path, labels: Idx) -> Result<Self> {
        if images.dims.len() != 3
            || images.dims[1] as usize != SIDE
            || images.dims[2] as usize != SIDE
        {
            return Err(NnError::BadFile {
                path: images_path.to_path_buf(),
                what: FileProblem::BadDims {
                    found: images.dims,
                    expected: "[n, 28, 28]",
                },
            });
        }
        if labels.dims.len() != 1 {
            return Err(NnError::BadFile {
                path: labels_path.to_path_buf(),
                what: FileProblem::BadDims {
                    found: labels.dims,
                    expected: "[n]",
                },
            });
        }
        if images.dims[0] != labels.dims[0] {
            return Err(NnError::BadFile {
                path: labels_path.to_path_buf(),
                what: FileProblem::CountMismatch {
                    images: images.dims[0],
                    labels: labels.dims[0],
                },
            });
        }
        if let Some((index, &label)) = labels
            .data
            .iter()
            .enumerate()
            .find(|(_, &l)| l as usize >= CLASSES)
        {
            return Err(NnError::BadFile {
                path: labels_path.to_path_buf(),
                what: FileProblem::BadLabel {
                    index,
                    label,
                    classes: CLASSES,
                },
            });
        }
        Ok(Dataset {
            images: images.data,
            labels: labels.data,
        })
    }
}

/// Training and test sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FashionMnist {
    /// Training set (60,000 images in full).
    pub train: Dataset,
    /// Test set (10,000 images in full).
    pub test: Dataset,
}

const FILES: [&str; 4] = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
];

const EMBEDDED: [&[u8]; 4] = [
    include_bytes!("../../data/train-images-idx3-ubyte.gz"),
    include_bytes!("../../data/train-labels-idx1-ubyte.gz"),
    include_bytes!("../../data/t10k-images-idx3-ubyte.gz"),
    include_bytes!("../../data/t10k-labels-idx1-ubyte.gz"),
];

impl FashionMnist {
    /// Where Debian's `dataset-fashion-mnist` installs the files.
    pub const DEBIAN_DIR: &'static str = "/usr/share/datasets/fashion-mnist";

    /// Loads the four files from `dir`, each as `NAME.gz` if present, else `NAME`.
    pub fn load_dir(dir: &Path) -> Result<Self> {
        let path = |name: &str| -> PathBuf {
            let gz = dir.join(format!("{name}.gz"));
            if gz.exists() {
                gz
            } else {
                dir.join(name)
            }
        };
        let paths: Vec<PathBuf> = FILES.iter().map(|n| path(n)).collect();
        let mut idx = Vec::with_capacity(4);
        for p in &paths {
            idx.push(read_idx(p)?);
        }
        Self::from_parts(&paths, idx)
    }

    /// The embedded subset (1,000 training, 200 test images).
    pub fn embedded() -> Result<Self> {
        let paths: Vec<PathBuf> = FILES
            .iter()
            .map(|n| PathBuf::from(format!("<embedded>/{n}.gz")))
            .collect();
        let mut idx = Vec::with_capacity(4);
        for (p, bytes) in paths.iter().zip(EMBEDDED) {
            idx.push(parse_idx(p, bytes)?);
        }
        Self::from_parts(&paths, idx)
    }

    fn from_parts(paths: &[PathBuf], idx: Vec<Idx>) -> Result<Self> {
        let mut it = idx.into_iter();
        let mut next = || {
            it.next().ok_or(NnError::Shape {
                context: "dataset files",
                expected: 4,
                actual: 0,
            })
        };
        let (ti, tl, si, sl) = (next()?, next()?, next()?, next()?);
        Ok(Self {
            train: Dataset::from_idx(&paths[0], ti, &paths[1], tl)?,
            test: Dataset::from_idx(&paths[2], si, &paths[3], sl)?,
        })
    }
}
