//! `open_claims`: many evaluation claims on one committed table reduced to one point.
//!
//! This is the one place the lead swaps for `recursion`'s claim aggregation later; it does what
//! that aggregation does for claims at several points, by the textbook sumcheck:
//!
//! ```text
//! claims T~(z_k) = v_k (k < K),  α = squeeze
//! Σ_k α^k v_k = Σ_x T(x) E(x),   E(x) = Σ_k α^k eq(z_k, x)        (product sumcheck, n rounds)
//! → T~(ρ) = e_T (opened by the caller), E~(ρ) = e_E checked here in O(K n)
//! ```
//! Every claim's point is a segment's local point behind the segment's offset bits, so the
//! prover builds `E` segment by segment (`O(Σ_k 2^(vars_k))`) and the verifier evaluates
//! `eq(z_k, ρ)` as `eq(offset bits, ρ_top) · eq(local, ρ_rest)`.
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::Fr;
use kaizen_sumcheck::{
    eq_eval, eq_table, prove_product, verify_product, DenseTable, ProductProof, ProductStatement,
    Transcript,
};

use super::ProofError;

/// Label of the claim count.
pub const LABEL_OPEN: &[u8] = b"zkpot/open-claims";
/// Label of the combination challenge `α`.
pub const LABEL_ALPHA: &[u8] = b"zkpot/open-alpha";

/// A claim on a table: the segment at `offset` (a multiple of `2^local.len()`) takes `value`
/// at `local`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableClaim {
    /// Offset of the segment in the table.
    pub offset: usize,
    /// The segment-local point.
    pub local: Vec<Fr>,
    /// The claimed value.
    pub value: Fr,
}

/// `eq(bits(offset >> m), top)`, `m = total - top.len()` the segment's variables.
pub(crate) fn prefix_eq(offset: usize, m: usize, top: &[Fr]) -> Fr {
    let index = offset >> m;
    let k = top.len();
    top.iter()
        .enumerate()
        .map(|(j, r)| {
            if (index >> (k - 1 - j)) & 1 == 1 {
                *r
            } else {
                Fr::ONE - *r
            }
        })
        .product()
}

fn alpha_and_sum<T: Transcript>(transcript: &mut T, claims: &[TableClaim]) -> (Fr, Fr) {
    transcript.absorb_u64(LABEL_OPEN, claims.len() as u64);
    let alpha = transcript.challenge(LABEL_ALPHA);
    let mut power = Fr::ONE;
    let mut sum = Fr::ZERO;
    for c in claims {
        sum += power * c.value;
        power *= alpha;
    }
    (alpha, sum)
}

/// Prover: reduces `claims` on `table` (`2^n` entries) to one point. Returns the product
/// proof, the point `ρ` and `T~(ρ)`. The claims' values are not checked here (a false claim
/// gives a proof the verifier rejects).
pub fn prove_open_claims<T: Transcript>(
    table: &[Fr],
    claims: &[TableClaim],
    transcript: &mut T,
) -> (ProductProof, Vec<Fr>, Fr) {
    let n = table.len().trailing_zeros() as usize;
    let (alpha, sum) = alpha_and_sum(transcript, claims);
    let mut e = vec![Fr::ZERO; table.len()];
    let mut power = Fr::ONE;
    for c in claims {
        let eq = eq_table(&c.local);
        if let Some(dst) = e.get_mut(c.offset..c.offset + eq.len()) {
            for (o, x) in dst.iter_mut().zip(&eq) {
                *o += power * *x;
            }
        }
        power *= alpha;
    }
    let st = ProductStatement::prod2(n);
    let tables = vec![DenseTable::new(table.to_vec()), DenseTable::new(e)];
    let (proof, point) = prove_product(&st, tables, sum, transcript);
    let value = proof.factor_evals.first().copied().unwrap_or(Fr::ZERO);
    (proof, point, value)
}

/// Verifier: checks the reduction of `claims` on a table of `2^n` entries. Returns `ρ` and
/// the value `T~(ρ)` the caller MUST open.
pub fn verify_open_claims<T: Transcript>(
    n: usize,
    claims: &[TableClaim],
    proof: &ProductProof,
    transcript: &mut T,
    table: &'static str,
) -> Result<(Vec<Fr>, Fr), ProofError> {
    let (alpha, sum) = alpha_and_sum(transcript, claims);
    let st = ProductStatement::prod2(n);
    let out = verify_product(&st, sum, proof, transcript).map_err(|e| match e {
        kaizen_sumcheck::VerifyError::Malformed(m) => {
            ProofError::Malformed(format!("claim reduction of {table}: {m}"))
        }
        other => ProofError::rejected("claim-reduction", format!("{table}: {other}")),
    })?;
    let (Some(t), Some(e)) = (out.first(), out.get(1)) else {
        return Err(ProofError::Malformed(format!(
            "claim reduction of {table}: factor count"
        )));
    };
    let rho = t.point.clone();
    let mut expected = Fr::ZERO;
    let mut power = Fr::ONE;
    for c in claims {
        let m = c.local.len();
        let Some(split) = n.checked_sub(m) else {
            return Err(ProofError::Malformed(format!(
                "claim on {table}: point length"
            )));
        };
        let (top, rest) = rho.split_at(split.min(rho.len()));
        if rest.len() != m {
            return Err(ProofError::Malformed(format!(
                "claim on {table}: point length"
            )));
        }
        expected += power * prefix_eq(c.offset, m, top) * eq_eval(&c.local, rest);
        power *= alpha;
    }
    if expected != e.value {
        return Err(ProofError::rejected(
            "claim-reduction",
            format!("{table}: eq combination"),
        ));
    }
    Ok((rho, t.value))
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use kaizen_field::Field;
    use kaizen_sumcheck::Sha256Transcript;

    fn table() -> Vec<Fr> {
        (0..64u64).map(|i| Fr::from_u64(i * i + 3)).collect()
    }

    fn claims(t: &[Fr]) -> Vec<TableClaim> {
        // A 4-entry segment at 8, a 16-entry segment at 32, the whole table.
        let pts = [
            (8usize, vec![Fr::from_u64(5), Fr::from_u64(9)]),
            (32, (0..4u64).map(|i| Fr::from_u64(11 + i)).collect()),
            (0, (0..6u64).map(|i| Fr::from_u64(2 * i + 1)).collect()),
        ];
        pts.into_iter()
            .map(|(offset, local)| {
                let n = local.len();
                let seg = DenseTable::new(t[offset..offset + (1 << n)].to_vec());
                TableClaim {
                    offset,
                    value: seg.evaluate(&local),
                    local,
                }
            })
            .collect()
    }

    #[test]
    fn honest_claims_reduce_to_the_tables_value() {
        let t = table();
        let c = claims(&t);
        let mut tp = Sha256Transcript::new(b"test/open");
        let (proof, point, value) = prove_open_claims(&t, &c, &mut tp);
        assert_eq!(DenseTable::new(t.clone()).evaluate(&point), value);
        let mut tv = Sha256Transcript::new(b"test/open");
        let (rho, v) = verify_open_claims(6, &c, &proof, &mut tv, "t").unwrap();
        assert_eq!((rho, v), (point, value));
    }

    #[test]
    fn a_changed_claim_value_or_offset_is_rejected() {
        let t = table();
        let c = claims(&t);
        let (proof, _, _) = prove_open_claims(&t, &c, &mut Sha256Transcript::new(b"test/open"));
        for k in 0..c.len() {
            let mut bad = c.clone();
            bad[k].value += Fr::ONE;
            let r = verify_open_claims(
                6,
                &bad,
                &proof,
                &mut Sha256Transcript::new(b"test/open"),
                "t",
            );
            assert!(
                matches!(
                    r,
                    Err(ProofError::Rejected {
                        check: "claim-reduction",
                        ..
                    })
                ),
                "{k}"
            );
        }
        let mut moved = c.clone();
        moved[0].offset = 12;
        let r = verify_open_claims(
            6,
            &moved,
            &proof,
            &mut Sha256Transcript::new(b"test/open"),
            "t",
        );
        assert!(matches!(
            r,
            Err(ProofError::Rejected {
                check: "claim-reduction",
                ..
            })
        ));
    }
}
