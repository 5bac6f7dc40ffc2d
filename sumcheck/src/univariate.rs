//! Round polynomials: coefficients, and the compressed form that travels in proofs.
//!
//! A round polynomial `s(X) = c_0 + c_1 X + .. + c_d X^d` is sent as
//! `[c_0, c_2, c_3, .., c_d]`: the verifier recovers `c_1` from the claim
//! `s(0) + s(1) = 2 c_0 + c_1 + c_2 + .. + c_d` (so the sum check holds by construction and a
//! wrong message shows up in the final evaluation check).

use kaizen_field::{Field, Fr};

/// A univariate polynomial by its coefficients (lowest degree first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniPoly {
    /// `coeffs[i]` multiplies `X^i`.
    pub coeffs: Vec<Fr>,
}

/// A round polynomial without its linear coefficient: `[c_0, c_2, .., c_d]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompressedPoly {
    /// `[c_0, c_2, c_3, .., c_d]`.
    pub coeffs_except_linear: Vec<Fr>,
}

impl UniPoly {
    /// `s(x)` by Horner's rule.
    pub fn evaluate(&self, x: Fr) -> Fr {
        self.coeffs
            .iter()
            .rev()
            .fold(Fr::ZERO, |acc, c| acc * x + *c)
    }

    /// Degree bound (`coeffs.len() - 1`).
    pub fn degree(&self) -> usize {
        self.coeffs.len().saturating_sub(1)
    }

    /// Drops the linear coefficient.
    pub fn compress(&self) -> CompressedPoly {
        let mut c = self.coeffs.clone();
        if c.len() > 1 {
            c.remove(1);
        }
        CompressedPoly {
            coeffs_except_linear: c,
        }
    }

    /// The polynomial of degree `d = evals.len()` with `s(t) = evals[t]` for
    /// `t = 0..d-1` and leading coefficient `leading` (the "evaluation at infinity").
    pub fn from_evals_and_leading(evals: &[Fr], leading: Fr) -> Self {
        let d = evals.len();
        // h(X) = s(X) - leading X^d has degree < d and h(t) = evals[t] - leading t^d.
        let h: Vec<Fr> = evals
            .iter()
            .enumerate()
            .map(|(t, e)| *e - leading * Fr::from_u64(t as u64).pow(&[d as u64]))
            .collect();
        let mut coeffs = interpolate_integer_nodes(&h);
        coeffs.resize(d, Fr::ZERO);
        coeffs.push(leading);
        Self { coeffs }
    }

    /// `self * (a + b X)`.
    pub fn mul_linear(&self, a: Fr, b: Fr) -> Self {
        let mut out = vec![Fr::ZERO; self.coeffs.len() + 1];
        for (i, c) in self.coeffs.iter().enumerate() {
            out[i] += *c * a;
            out[i + 1] += *c * b;
        }
        Self { coeffs: out }
    }

    /// `self * s`.
    pub fn scale(&self, s: Fr) -> Self {
        Self {
            coeffs: self.coeffs.iter().map(|c| *c * s).collect(),
        }
    }
}

impl CompressedPoly {
    /// Number of coefficients sent (the degree, for degree >= 1).
    pub fn len(&self) -> usize {
        self.coeffs_except_linear.len()
    }

    /// Whether nothing was sent.
    pub fn is_empty(&self) -> bool {
        self.coeffs_except_linear.is_empty()
    }

    /// Restores `c_1` from `claim = s(0) + s(1)`.
    pub fn decompress(&self, claim: Fr) -> UniPoly {
        let c = &self.coeffs_except_linear;
        let Some((c0, rest)) = c.split_first() else {
            return UniPoly {
                coeffs: vec![Fr::ZERO, claim],
            };
        };
        let c1 = claim - c0.double() - rest.iter().copied().sum::<Fr>();
        let mut coeffs = Vec::with_capacity(c.len() + 1);
        coeffs.push(*c0);
        coeffs.push(c1);
        coeffs.extend_from_slice(rest);
        UniPoly { coeffs }
    }
}

/// Coefficients of the polynomial of degree `< m` through `(t, values[t])`, `t = 0..m-1`
/// (Newton forward differences, then expansion of the falling factorials).
fn interpolate_integer_nodes(values: &[Fr]) -> Vec<Fr> {
    let m = values.len();
    let mut diffs = values.to_vec();
    // newton[k] = Δ^k h(0) / k!
    let mut newton = Vec::with_capacity(m);
    let mut fact = Fr::ONE;
    for k in 0..m {
        if k > 0 {
            fact *= Fr::from_u64(k as u64);
        }
        newton.push(diffs[0] * fact.inverse().unwrap_or(Fr::ZERO));
        for i in 0..diffs.len().saturating_sub(1) {
            diffs[i] = diffs[i + 1] - diffs[i];
        }
        diffs.pop();
    }
    // Σ_k newton[k] · X (X - 1) .. (X - k + 1)
    let mut coeffs = vec![Fr::ZERO; m];
    let mut basis = vec![Fr::ONE]; // falling factorial of degree k
    for (k, n) in newton.iter().enumerate() {
        for (c, b) in coeffs.iter_mut().zip(&basis) {
            *c += *n * *b;
        }
        // basis *= (X - k)
        let mut next = vec![Fr::ZERO; basis.len() + 1];
        let kk = Fr::from_u64(k as u64);
        for (i, b) in basis.iter().enumerate() {
            next[i] -= *b * kk;
            next[i + 1] += *b;
        }
        basis = next;
    }
    coeffs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_evals_and_leading_roundtrips() {
        for d in 1..=6usize {
            let coeffs: Vec<Fr> = (0..=d as u64)
                .map(|i| Fr::from_u64(i * i + 3) - Fr::from_u64(7))
                .collect();
            let p = UniPoly {
                coeffs: coeffs.clone(),
            };
            let evals: Vec<Fr> = (0..d as u64).map(|t| p.evaluate(Fr::from_u64(t))).collect();
            let q = UniPoly::from_evals_and_leading(&evals, coeffs[d]);
            assert_eq!(q, p, "degree {d}");
            let claim = p.evaluate(Fr::ZERO) + p.evaluate(Fr::ONE);
            assert_eq!(p.compress().decompress(claim), p, "degree {d}");
        }
    }
}
