//! Multilinear tables: evaluation, binding, small-integer life cycle, eq tables.

mod common;

use common::*;
use kaizen_field::{batch, Field, Fr};
use kaizen_sumcheck::{eq_eval, eq_table, DenseTable, Multilinear, SmallTable};

#[test]
fn evaluate_equals_inner_product_with_eq() {
    let s = seed();
    let mut rng = rng(1);
    for n in 0..8 {
        let t = rand_table(&mut rng, n);
        let p = rand_vec(&mut rng, n);
        let want = batch::inner_product(t.evals(), &eq_table(&p));
        assert_eq!(t.evaluate(&p), want, "n = {n}, seed {s}");
    }
}

#[test]
fn variable_order_point0_is_the_top_bit() {
    // f(x0, x1) with table [f(0,0), f(0,1), f(1,0), f(1,1)] = [1, 2, 3, 4].
    let t = DenseTable::new((1..=4).map(Fr::from_u64).collect());
    assert_eq!(t.evaluate(&[Fr::ONE, Fr::ZERO]), Fr::from_u64(3));
    assert_eq!(t.evaluate(&[Fr::ZERO, Fr::ONE]), Fr::from_u64(2));
    let mut b = t.clone();
    b.bind_top(Fr::ONE);
    assert_eq!(b.evals(), &[Fr::from_u64(3), Fr::from_u64(4)]);
    assert_eq!(
        eq_table(&[Fr::ONE, Fr::ZERO]),
        vec![Fr::ZERO, Fr::ZERO, Fr::ONE, Fr::ZERO]
    );
}

#[test]
fn bind_then_evaluate_is_evaluate() {
    let s = seed();
    let mut rng = rng(2);
    let t = rand_table(&mut rng, 6);
    let p = rand_vec(&mut rng, 6);
    let mut b = t.clone();
    b.bind_top(p[0]);
    b.bind_top(p[1]);
    assert_eq!(b.evaluate(&p[2..]), t.evaluate(&p), "seed {s}");
}

#[test]
fn small_tables_bind_like_dense_ones() {
    let s = seed();
    let mut rng = rng(3);
    for n in 1..16 {
        let small: SmallTable<i8> = rand_i8_table(&mut rng, n);
        let dense = small.to_dense();
        let p = rand_vec(&mut rng, n);
        assert_eq!(
            small.evaluate(&p),
            dense.evaluate(&p),
            "i8 n = {n}, seed {s}"
        );
        for k in 1..=n.min(5) {
            let mut d = dense.clone();
            for r in &p[..k] {
                d.bind_top(*r);
            }
            assert_eq!(
                small.bind_prefix(&p[..k]),
                d,
                "prefix {k}, n = {n}, seed {s}"
            );
        }
        let mut m = Multilinear::Small(small);
        m.bind_top(p[0]);
        let mut d = dense.clone();
        d.bind_top(p[0]);
        assert_eq!(m, Multilinear::<i8>::Dense(d), "n = {n}, seed {s}");
    }
    let wide: SmallTable<i32> =
        SmallTable::new(vec![i32::MIN, i32::MAX, -1, 0, 7, i32::MIN, 1, -5]);
    let p = rand_vec(&mut rng, 3);
    assert_eq!(wide.evaluate(&p), wide.to_dense().evaluate(&p), "seed {s}");
    let w16 = rand_i16_table(&mut rng, 9);
    let p = rand_vec(&mut rng, 9);
    assert_eq!(w16.evaluate(&p), w16.to_dense().evaluate(&p), "seed {s}");
}

#[test]
fn eq_eval_matches_table() {
    let mut rng = rng(4);
    let w = rand_vec(&mut rng, 5);
    let t = eq_table(&w);
    for x in 0..32usize {
        let bits: Vec<Fr> = (0..5)
            .map(|j| Fr::from_u64(((x >> (4 - j)) & 1) as u64))
            .collect();
        assert_eq!(eq_eval(&w, &bits), t[x], "x = {x}");
    }
}
