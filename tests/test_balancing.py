"""Balancing lemma: closed form vs numeric minimisation, integer versions vs exhaustive scans, limits of c_p."""

import math

import mpmath
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from schattheory.core.registry import get
from schattheory.foundation.symbols import a, b, p, r
from schattheory.lemmas.balancing import balance, c_p, integer_bound, integer_minimum, objective, r_star

POS = st.floats(min_value=1e-2, max_value=1e4, allow_nan=False)
PEXP = st.floats(min_value=0.02, max_value=30)


def _scan(A, Bv, P, shifted, stop=None):
    """Independent exhaustive scan over j (no closed form used): stop once the objective rises for good."""
    lo = 0 if shifted else 1
    f = (lambda jj: A * jj + Bv * (jj + 1) ** (-2 / P)) if shifted else (lambda jj: A * jj + Bv * jj ** (-2 / P))
    best, jj, rising = f(lo), lo, 0
    while rising < 3 and jj < (stop or 10**7):
        jj += 1
        val = f(jj)
        best, rising = (val, 0) if val < best else (best, rising + 1)
    return best


def _zero(expr):
    return sp.simplify(sp.powsimp(sp.expand_power_base(expr, force=True), force=True)) == 0


def test_closed_form_symbolically():
    val, rs = balance(a, b, p)
    f = objective(r, a, b, p)
    assert _zero(sp.diff(f, r).subs(r, rs))
    assert _zero(f.subs(r, rs) - val)
    assert (sp.diff(f, r, 2)).is_positive


@given(POS, POS, PEXP)
def test_continuous_minimum_matches_numeric_search(A, Bv, P):
    from scipy.optimize import minimize_scalar

    val = float(balance(sp.Float(A), sp.Float(Bv), sp.Float(P))[0])
    centre = math.log(float(r_star(sp.Float(A), sp.Float(Bv), sp.Float(P))))  # only places the search window
    res = minimize_scalar(
        lambda t: A * math.exp(t) + Bv * math.exp(-2 * t / P),
        bounds=(centre - 8, centre + 8),
        method="bounded",
        options={"xatol": 1e-12},
    )
    assert res.fun >= val * (1 - 1e-9)
    assert res.fun <= val * (1 + 1e-6)


@given(POS, POS, PEXP)
def test_integer_versions_against_exhaustive_scan(A, Bv, P):
    for shifted in (True, False):
        bound = float(integer_bound(sp.Float(A), sp.Float(Bv), sp.Float(P), shifted=shifted))
        scanned = _scan(A, Bv, P, shifted, stop=10**6)
        assert scanned <= bound * (1 + 1e-12), (shifted, scanned, bound)
        found, _ = integer_minimum(A, Bv, P, shifted=shifted)
        assert abs(float(found) - scanned) <= 1e-9 * max(1, scanned)


@pytest.mark.parametrize("P", [sp.Rational(1, 2), 1, 2, 5])
def test_integer_bound_is_sharp_up_to_a(P):
    """min_j a j + b (j+1)^(-2/p) lies in [f(r*) - a, f(r*)]: with b >> a the ratio to c_p a^.. b^.. tends to 1,
    so no smaller constant than c_p would do (a wrong, smaller c_p fails here)."""
    A = sp.Integer(1)
    for Bv in (sp.Integer(10) ** 3, sp.Integer(10) ** 6, sp.Integer(10) ** 9):
        found, _ = integer_minimum(A, Bv, P, shifted=True)
        value = mpmath.mpf(sp.N(balance(A, Bv, P)[0], 40))
        assert value - 1 - mpmath.mpf(10) ** -30 <= found <= value
    assert found / value > 1 - 1e-2


def test_c_p_values_and_limits():
    assert c_p(2) == 2
    for point in (0, sp.oo):
        assert sp.limit(c_p(p), p, point) == 1
    # the library's c_p at p = 2^-k and 2^k (50 digits) approaches 1 at the rate of its expansion: c_p - 1 is about
    # (p/2) ln(2/p) as p -> 0 and about 2 ln(p/2) / p as p -> oo
    for k in (10, 20, 40):
        small, big = sp.Integer(2) ** -k, sp.Integer(2) ** k
        near0, nearoo = (mpmath.mpf(str(sp.N(c_p(x), 50))) for x in (small, big))
        assert 0 < near0 - 1 < 40 * k * mpmath.mpf(2) ** -k
        assert 0 < nearoo - 1 < 2 * k * 10 / mpmath.mpf(2) ** k


@pytest.mark.parametrize("pp", [sp.Rational(1, 100), sp.Rational(1, 2), 1, 2, 3, 50])
def test_c_p_between_one_and_two(pp):
    val = sp.N(c_p(pp), 30)
    assert 1 < val <= 2


def test_registered_limits_match():
    bnd = get("balancing.continuous")
    for lim in bnd.limits:
        res = bnd.limit(lim.symbol, lim.point)
        assert res.method == "symbolic" and sp.simplify(res.value - lim.value) == 0, lim.describe()
    cst = get("balancing.constant")
    for lim in cst.limits:
        assert sp.simplify(cst.limit(lim.symbol, lim.point).value - lim.value) == 0
