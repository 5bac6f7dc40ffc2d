//! The LogUp prover: multiplicities, the two fraction trees, and one sumcheck per tree layer
//! (transcript steps in the [module doc](super)).

use kaizen_field::{par, Field, Fr};
use rayon::prelude::*;

use super::table::LookupTable;
use super::verify::{fold_children, layer_statement};
use super::{
    FracLayerProof, Fraction, LogupClaims, LogupProof, LABEL_LOGUP_CHALLENGE, LABEL_LOGUP_EVALS,
    LABEL_LOGUP_LAMBDA, LABEL_LOGUP_MU, LABEL_LOGUP_ROOTS, LABEL_LOGUP_STATEMENT, MAX_WITNESS_VARS,
};
use crate::poly::DenseTable;
use crate::product::{ProductStatement, ProductSumcheck, Term};
use crate::prover::prove;
use crate::transcript::Transcript;
use crate::verifier::EvaluationClaim;

/// A witness entry that is not a row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("witness entry {index} is not in the lookup table")]
pub struct NotInTable {
    /// Index of the first offending entry.
    pub index: usize,
}

/// How often each table row occurs in `witness` (one count per row).
pub fn multiplicities(table: &LookupTable, witness: &[Fr]) -> Result<Vec<u64>, NotInTable> {
    let rows = table.rows().len();
    let index = table.indexer();
    let mut m = vec![0u64; rows];
    for (i, v) in witness.iter().enumerate() {
        let row = index(v).ok_or(NotInTable { index: i })?;
        m[row] += 1;
    }
    Ok(m)
}

/// The levels of a fraction tree, `levels[l]` with `2^l` entries (`levels[n]` the leaves).
/// With `unit_leaves` the leaf numerators are all 1 and `p[n]` is left empty: the level
/// above is `p = q0 + q1`, `q = q0 q1` (one multiplication per node instead of three), and
/// the leaf layer's sumcheck runs on the two `q` halves only (see [`prove_tree`]).
struct FracTree {
    p: Vec<Vec<Fr>>,
    q: Vec<Vec<Fr>>,
    unit_leaves: bool,
}

impl FracTree {
    /// The tree of the fractions `p_leaves[i] / q_leaves[i]`; `None` numerators are all 1.
    fn new(p_leaves: Option<Vec<Fr>>, q_leaves: Vec<Fr>) -> Self {
        let n = q_leaves.len().trailing_zeros() as usize;
        let unit_leaves = p_leaves.is_none();
        let mut p = vec![p_leaves.unwrap_or_default()];
        let mut q = vec![q_leaves];
        for _ in 0..n {
            let (cp, cq) = (&p[p.len() - 1], &q[q.len() - 1]);
            let unit = cp.is_empty();
            let half = cq.len() / 2;
            let mut np = vec![Fr::ZERO; half];
            let mut nq = vec![Fr::ZERO; half];
            // p0/q0 + p1/q1 = (p0 q1 + p1 q0) / (q0 q1); with p0 = p1 = 1: (q0 + q1) / (q0 q1).
            let fill = |start: usize, op: &mut [Fr], oq: &mut [Fr]| {
                for (off, (a, b)) in op.iter_mut().zip(oq.iter_mut()).enumerate() {
                    let x = start + off;
                    let (q0, q1) = (cq[x], cq[x + half]);
                    *a = if unit {
                        q0 + q1
                    } else {
                        cp[x] * q1 + cp[x + half] * q0
                    };
                    *b = q0 * q1;
                }
            };
            if par::worth_splitting(half) {
                np.par_chunks_mut(par::CHUNK)
                    .zip(nq.par_chunks_mut(par::CHUNK))
                    .enumerate()
                    .for_each(|(c, (op, oq))| fill(c * par::CHUNK, op, oq));
            } else {
                fill(0, &mut np, &mut nq);
            }
            p.push(np);
            q.push(nq);
        }
        p.reverse();
        q.reverse();
        Self { p, q, unit_leaves }
    }

    fn depth(&self) -> usize {
        self.p.len() - 1
    }

    fn root(&self) -> Fraction {
        Fraction {
            // A unit tree of one leaf has no level above its (empty) numerators.
            p: self.p[0].first().copied().unwrap_or(Fr::ONE),
            q: self.q[0][0],
        }
    }
}

/// The leaf layer's statement when both numerator halves are 1: the layer statement's terms
/// `p0 q1 + p1 q0 + λ q0 q1` over the factors `(q0, q1)` as `q1 + q0 + λ q0 q1` (same eq
/// point, same degree bound).
fn unit_layer_statement(st: &ProductStatement) -> ProductStatement {
    let lambda = st.terms.get(2).map_or(Fr::ZERO, |t| t.coeff);
    let term = |coeff, factors: Vec<usize>| Term { coeff, factors };
    ProductStatement {
        num_vars: st.num_vars,
        num_factors: 2,
        terms: vec![
            term(Fr::ONE, vec![1]),
            term(Fr::ONE, vec![0]),
            term(lambda, vec![0, 1]),
        ],
        eq_point: st.eq_point.clone(),
    }
}

/// Proves one tree from the root to the leaves; returns the layers and the leaf claim
/// `(point, p_n(point), q_n(point))`.
fn prove_tree<T: Transcript>(
    tree: &FracTree,
    transcript: &mut T,
) -> (Vec<FracLayerProof>, Vec<Fr>, Fr, Fr) {
    let root = tree.root();
    let (mut point, mut p_claim, mut q_claim) = (Vec::new(), root.p, root.q);
    let mut layers = Vec::with_capacity(tree.depth());
    for l in 0..tree.depth() {
        let lambda = transcript.challenge(LABEL_LOGUP_LAMBDA);
        let out;
        let (cp, cq) = (&tree.p[l + 1], &tree.q[l + 1]);
        let half = cq.len() / 2;
        let st = layer_statement(point.clone(), lambda);
        let claim = p_claim + lambda * q_claim;
        let evals = if tree.unit_leaves && l + 1 == tree.depth() {
            // p0 = p1 = 1 as multilinear polynomials: Σ eq (q1 + q0 + λ q0 q1) is the same
            // polynomial as the layer statement's, with the same degree bound, so the same
            // round messages, from two tables instead of four.
            let unit = unit_layer_statement(&st);
            let tables = vec![
                DenseTable::new(cq[..half].to_vec()),
                DenseTable::new(cq[half..].to_vec()),
            ];
            let mut inst = ProductSumcheck::new(&unit, tables, claim);
            out = prove(&mut inst, transcript);
            let t = inst.tables();
            [Fr::ONE, Fr::ONE, t[0].evals()[0], t[1].evals()[0]]
        } else {
            let tables = vec![
                DenseTable::new(cp[..half].to_vec()),
                DenseTable::new(cp[half..].to_vec()),
                DenseTable::new(cq[..half].to_vec()),
                DenseTable::new(cq[half..].to_vec()),
            ];
            let mut inst = ProductSumcheck::new(&st, tables, claim);
            out = prove(&mut inst, transcript);
            let t = inst.tables();
            [
                t[0].evals()[0],
                t[1].evals()[0],
                t[2].evals()[0],
                t[3].evals()[0],
            ]
        };
        transcript.absorb_frs(LABEL_LOGUP_EVALS, &evals);
        let mu = transcript.challenge(LABEL_LOGUP_MU);
        (p_claim, q_claim) = fold_children(&evals, mu);
        point = [&[mu][..], &out.point].concat();
        layers.push(FracLayerProof {
            sumcheck: out.proof,
            evals,
        });
    }
    (layers, point, p_claim, q_claim)
}

/// Proves that every entry of `witness` (`2^n` entries) is a row of `table`, with
/// `multiplicities[y]` the count of row `y` (from [`multiplicities`]). Nothing is checked
/// here: a wrong witness or wrong multiplicities give a proof the verifier rejects. The caller
/// MUST have absorbed commitments to the witness and the multiplicities (see the module doc).
///
/// Panics on shapes that break the statement (witness not a power of two, table too large,
/// multiplicities not one per row): caller bugs.
pub fn prove_logup<T: Transcript>(
    table: &LookupTable,
    witness: &[Fr],
    multiplicities: &[u64],
    transcript: &mut T,
) -> (LogupProof, LogupClaims) {
    let k = table
        .num_vars()
        .unwrap_or_else(|e| panic!("kaizen-sumcheck: prove_logup: table: {e}"));
    assert!(
        witness.len().is_power_of_two()
            && witness.len().trailing_zeros() as usize <= MAX_WITNESS_VARS,
        "kaizen-sumcheck: prove_logup: witness length {} is not a power of two <= 2^{MAX_WITNESS_VARS}",
        witness.len()
    );
    assert_eq!(
        multiplicities.len(),
        1 << k,
        "kaizen-sumcheck: prove_logup: one multiplicity per table row"
    );
    let n = witness.len().trailing_zeros() as usize;
    prove_with_leaves(table, n, transcript, |x| {
        let wq: Vec<Fr> = witness.par_iter().map(|w| x - *w).collect();
        let tp: Vec<Fr> = multiplicities.iter().map(|m| Fr::from_u64(*m)).collect();
        let tq: Vec<Fr> = table.rows().iter().map(|t| x - *t).collect();
        ((None, wq), (Some(tp), tq))
    })
}

/// Leaf numerators (`None`: all 1) and denominators of one tree.
type Leaves = (Option<Vec<Fr>>, Vec<Fr>);

/// [`prove_logup`] from the leaves `leaves(X) = ([p_w, q_w], [p_t, q_t])` (tests build
/// dishonest leaves with it).
fn prove_with_leaves<T: Transcript>(
    table: &LookupTable,
    n: usize,
    transcript: &mut T,
    leaves: impl FnOnce(Fr) -> (Leaves, Leaves),
) -> (LogupProof, LogupClaims) {
    table.absorb(transcript);
    transcript.absorb_u64(LABEL_LOGUP_STATEMENT, n as u64);
    let x = transcript.challenge(LABEL_LOGUP_CHALLENGE);
    let ((wp, wq), (tp, tq)) = leaves(x);
    let w_tree = FracTree::new(wp, wq);
    let t_tree = FracTree::new(tp, tq);
    let (witness_root, table_root) = (w_tree.root(), t_tree.root());
    transcript.absorb_frs(
        LABEL_LOGUP_ROOTS,
        &[witness_root.p, witness_root.q, table_root.p, table_root.q],
    );
    let (witness_layers, w_point, _w_p, w_q) = prove_tree(&w_tree, transcript);
    let (table_layers, t_point, t_p, _t_q) = prove_tree(&t_tree, transcript);
    (
        LogupProof {
            witness_root,
            table_root,
            witness_layers,
            table_layers,
        },
        LogupClaims {
            witness: EvaluationClaim {
                point: w_point,
                value: x - w_q,
            },
            multiplicities: EvaluationClaim {
                point: t_point,
                value: t_p,
            },
        },
    )
}

#[cfg(test)]
mod tests {
    //! Dishonest leaves that only the leaf checks catch (the public prover cannot build them).

    use super::*;
    use crate::error::{Check, VerifyError};
    use crate::logup::verify_logup;
    use crate::transcript::Sha256Transcript;

    const P: &[u8] = b"kaizen/test/logup-leaves";

    fn rejected(e: VerifyError) -> Check {
        match e {
            VerifyError::Rejected { check, .. } => check,
            other => panic!("expected a rejection, got {other:?}"),
        }
    }

    #[test]
    fn witness_numerator_other_than_one_fails_the_numerator_check() {
        // Witness entry 3 counted twice through its numerator, the row's multiplicity too:
        // the roots agree, every layer is honest, only the leaf numerator betrays it.
        let table = LookupTable::range(3);
        let witness: Vec<Fr> = [1u64, 2, 3, 5].into_iter().map(Fr::from_u64).collect();
        let (proof, _) = prove_with_leaves(&table, 2, &mut Sha256Transcript::new(P), |x| {
            let mut wp = vec![Fr::ONE; 4];
            wp[2] = Fr::from_u64(2);
            let wq = witness.iter().map(|w| x - *w).collect();
            let m = [0u64, 1, 1, 2, 0, 1, 0, 0];
            let tp = m.iter().map(|m| Fr::from_u64(*m)).collect();
            let tq = table.rows().iter().map(|t| x - *t).collect();
            ((Some(wp), wq), (Some(tp), tq))
        });
        let err = verify_logup(&table, 2, &proof, &mut Sha256Transcript::new(P))
            .expect_err("numerator 2 accepted");
        assert_eq!(rejected(err), Check::LookupNumerator);
    }

    #[test]
    fn other_table_rows_fail_the_table_check() {
        // The prover's table leaves use rows 10..18, the statement's range is 0..8.
        let table = LookupTable::range(3);
        let witness: Vec<Fr> = [11u64, 12, 17, 11].into_iter().map(Fr::from_u64).collect();
        let (proof, _) = prove_with_leaves(&table, 2, &mut Sha256Transcript::new(P), |x| {
            let wq = witness.iter().map(|w| x - *w).collect();
            let m = [0u64, 2, 1, 0, 0, 0, 0, 1];
            let tp = m.iter().map(|m| Fr::from_u64(*m)).collect();
            let tq = (10..18u64).map(|t| x - Fr::from_u64(t)).collect();
            ((None, wq), (Some(tp), tq))
        });
        let err = verify_logup(&table, 2, &proof, &mut Sha256Transcript::new(P))
            .expect_err("shifted table accepted");
        assert_eq!(rejected(err), Check::LookupTable);
    }
}
