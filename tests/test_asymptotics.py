"""The asymptotic engine: growth exponents on expressions with known answers, sample complexity, comparisons,
the named worst-case substitutions and the computed sample-complexity table."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from schattheory.analysis.asymptotics import (
    SUBSTITUTIONS,
    Exponential,
    compare,
    growth,
    sample_complexity,
    sample_complexity_table,
)
from schattheory.foundation import symbols as S

W, L, r, N, p, eps = S.W, S.L, S.r, S.N, S.p, S.eps

# (expression, {variable: exponent or Exponential(rate)}) -- answers worked out by hand
KNOWN = [
    (W**2 * L**3 * sp.log(W * L) ** 2, {W: 2, L: 3}),
    (sp.sqrt(W) * r / L, {W: sp.Rational(1, 2), r: 1, L: -1}),
    (W**2 + W * r, {W: 2, r: 1}),
    (sp.log(W) * sp.log(sp.log(W)), {W: 0}),
    (2**L * W, {L: Exponential(sp.log(2)), W: 1}),
    (sp.exp(3 * L) * L**5, {L: Exponential(3)}),
    ((2 * W) ** (2 / (p + 2)) * r ** (2 / (p + 2)), {W: 2 / (p + 2), r: 2 / (p + 2)}),
    (L * r**L, {L: Exponential(sp.log(r)), r: L}),
    (sp.Max(W, L) * W, {W: 2, L: 1}),
    (W**2 * sp.log(1 + sp.ceiling(16 * L**2 * W * r)) + 2 * L * sp.atan(1 / L), {W: 2, L: 0, r: 0}),
    (sp.sqrt(W * sp.log(W)) / sp.sqrt(N), {W: sp.Rational(1, 2), N: sp.Rational(-1, 2)}),
    (L**3 * W * r * (sp.log(L) + sp.log(W)), {L: 3, W: 1, r: 1}),
    (sp.log(2**L), {L: 1}),
]


@pytest.mark.parametrize("expr,expected", KNOWN, ids=[sp.sstr(e)[:40] for e, _ in KNOWN])
def test_growth_exponents_on_a_table_with_known_answers(expr, expected):
    g = growth(expr, list(expected))
    for v, e in expected.items():
        if isinstance(e, Exponential):
            assert isinstance(g[v], Exponential) and sp.simplify(g[v].rate - e.rate) == 0, (v, g[v])
        else:
            assert not isinstance(g[v], Exponential) and sp.simplify(g[v] - e) == 0, (v, g[v])
        assert g.evidence[v]


def test_growth_strips_polylogs_and_says_so():
    g = growth(W**2 * sp.log(W) ** 3, [W])
    assert g[W] == 2 and g.stripped[W] == (sp.log(W),)
    assert "polylog" in g.evidence[W]


def test_growth_numeric_slopes_agree_with_the_exponent():
    g = growth(W**3 * L, [W])
    assert all(abs(s - 3) < 1e-9 for _, s in g.slopes[W])
    g = growth(W**2 * sp.log(W), [W])
    slopes = [s for _, s in g.slopes[W]]
    assert slopes[-1] < slopes[0] and abs(slopes[-1] - 2) < 0.1  # polylog: slope -> 2 from above


def test_growth_exponential_slopes_grow():
    g = growth(2**L, [L])
    slopes = [s for _, s in g.slopes[L]]
    assert slopes[0] < slopes[1] < slopes[2]


def test_growth_falls_back_to_a_timed_limit_where_no_rule_applies():
    g = growth(W**2 * sp.erf(W), [W], numeric=False)  # no structural rule for erf: SymPy's limit decides
    assert g[W] == 2 and "limit" in g.evidence[W] and "NUMERIC" not in g.evidence[W]


def test_growth_numeric_fallback_says_it_is_numeric():
    g = growth(W**2 * (2 + sp.sin(W)), [W], numeric=False, at={}, timeout=5)  # oscillates: no symbolic limit
    assert "NUMERIC" in g.evidence[W] and isinstance(g[W], sp.Float) and abs(g[W] - 2) < 0.05


def test_decaying_exponentials_do_not_count_as_growth():
    assert growth(W**2 * (1 + sp.exp(-W)), [W], numeric=False)[W] == 2


def test_sample_complexity_solves_for_n_and_drops_polylogs():
    assert sample_complexity(sp.sqrt(2 * W * r * L**2 / N)).expr == 2 * W * r * L**2 / eps**2
    sc = sample_complexity(sp.sqrt(W * sp.log(N) / N))
    assert sc.expr == W / eps**2 and sc.dropped
    assert sample_complexity(W / N).expr == W / eps
    with pytest.raises(ValueError):
        sample_complexity(W * N)


def test_compare_gives_the_improvement_factor():
    c = compare(L**2 * W**2, 2 * W * r * L**2)
    assert c.ratio == W / (2 * r)
    assert compare(L**2 * W**2, 2 * W * r * L**2, {r: 1}).ratio == W / 2
    assert compare(L**2 * W**2, 2 * W * r * L**2, {r: sp.sqrt(W)}).ratio == sp.sqrt(W) / 2


@given(st.integers(2, 9), st.integers(2, 9), st.integers(1, 4), st.integers(0, 10**6))
def test_named_substitutions_hold_on_random_matrices(m, n, rank, seed):
    rng = np.random.default_rng(seed)
    k = min(rank, m, n)
    A = rng.normal(size=(m, k)) @ rng.normal(size=(k, n)) * rng.uniform(0.01, 100)
    A = np.pad(A, ((0, max(m, n) - m), (0, max(m, n) - n)))  # square, as the substitutions assume
    for sub in SUBSTITUTIONS.values():
        left, right = sub.check(A)
        assert left <= right * (1 + 1e-9) + 1e-12, sub.name


@pytest.fixture(scope="module")
def table():
    return {row["label"]: row for row in sample_complexity_table()}


def test_table_rows_are_computed_from_the_registered_forms(table):
    row = table["Schatten bound, p -> 0+ (either W_l convention)"]
    assert row["sample_complexity"] == 2 * W * r * L**2 / eps**2
    assert row["growth"] == {"W": 1, "L": 2, "r": 1} and row["exploits_low_rank"] and row["depth_exponent"] == 2
    assert table["parameter counting (dominant)"]["sample_complexity"] == L**2 * W**2 / eps**2
    assert not table["parameter counting (dominant)"]["exploits_low_rank"]
    assert table["parameter counting (Graf et al. 2022)"]["depth_exponent"] == 1
    assert table["spectral (Bartlett et al. 2017)"]["growth"] == {"W": 1, "L": 3, "r": 1}
    assert isinstance(table["Frobenius (Golowich et al. 2018)"]["growth"]["L"], Exponential)
    assert table["Schatten bound, p -> oo, W_l = 1"]["growth"]["W"] == 0
    assert table["Schatten bound, p -> oo, W_l = w_l"]["growth"]["W"] == 1
    for row in table.values():
        assert row["substitutions"] and "X = B prod_l ||A_l|| / gamma = 1" in row["substitutions"][-1]
