"""Dudley: registered closed forms vs mpmath quadrature and numeric optimisation; the operation on Bounds."""

import mpmath
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from schattheory.core.registry import get
from schattheory.foundation.errors import InputError
from schattheory.foundation.symbols import N, R, alpha, c, eps, q
from schattheory.lemmas.dudley import dudley, dudley_expr, numeric_optimum, quadrature


@settings(max_examples=15)
@given(st.integers(min_value=30, max_value=10**6), st.fractions(min_value=sp.Rational(1, 10), max_value=5))
def test_inverse_square_closed_form_vs_quadrature(n_val, R_val):
    if 3 * R_val > n_val:
        return
    opt = get("dudley.inverse_square.optimal").evaluate({R: R_val, N: n_val}, dps=30)
    astar = 3 * mpmath.mpf(R_val.numerator) / R_val.denominator / mpmath.sqrt(n_val)
    quad = quadrature(R**2 / eps**2, {R: sp.Rational(R_val)}, n_value=n_val, alpha_value=astar, dps=30)
    assert abs(opt - quad) < mpmath.mpf(10) ** -20 * opt
    for al in (mpmath.mpf(1) / n_val, 1 / mpmath.sqrt(n_val)):
        any_alpha = get("dudley.inverse_square").evaluate({R: R_val, N: n_val, alpha: al}, dps=30)
        assert (
            abs(any_alpha - quadrature(R**2 / eps**2, {R: sp.Rational(R_val)}, n_value=n_val, alpha_value=al, dps=30))
            < mpmath.mpf(10) ** -20 * any_alpha
        )
        assert any_alpha >= opt * (1 - mpmath.mpf(10) ** -25)


@pytest.mark.parametrize(
    "cv,qv,nv",
    [
        (5, 1, 1000),
        (sp.Rational(1, 2), sp.Rational(1, 2), 10**4),
        (20, sp.Rational(3, 2), 10**5),
        (2, sp.Rational(1, 5), 50),
    ],
)
def test_power_law_closed_forms_vs_quadrature_and_search(cv, qv, nv):
    vals = {c: cv, q: qv, N: nv}
    opt = get("dudley.power_law.optimal").evaluate(vals, dps=30)
    best, astar = numeric_optimum(c * eps ** (-q), {c: cv, q: qv}, n_value=nv, dps=25)
    assert abs(best - opt) < 1e-12 * opt
    closed_astar = float(sp.N((9 * sp.Rational(cv) / nv) ** (1 / sp.Rational(qv)), 30))
    assert abs(float(astar) - closed_astar) < 1e-5 * closed_astar
    zero = get("dudley.power_law.alpha0").evaluate(vals, dps=30)
    tiny = quadrature(c * eps ** (-q), {c: cv, q: qv}, n_value=nv, alpha_value=mpmath.mpf(10) ** -40, dps=30)
    assert abs(zero - tiny) < 1e-8 * zero and zero >= opt


def test_classical_notes_values():
    """SOURCES.md [C1.9], [C10.3]: alpha = 1/n gives 4/n^(3/2) + 18 R ln n / n; with R = 2R'/gamma, Graf's 36."""
    F = get("dudley.inverse_square").expr
    assert sp.simplify(F.subs(alpha, 1 / N) - (4 / N ** sp.Rational(3, 2) + 18 * R * sp.log(N) / N)) == 0
    Rp, gam = sp.symbols("Rp gamma_", positive=True)
    term = sp.expand(F.subs(alpha, 1 / N).subs(R, 2 * Rp / gam) - 4 / N ** sp.Rational(3, 2))
    assert sp.simplify(term - 36 * Rp * sp.log(N) / (gam * N)) == 0


def test_generic_operation_reproduces_registered_closed_forms():
    e2, form2 = dudley_expr(R**2 / eps**2, eps, n=N, normalised=False)
    assert sp.simplify(e2 - get("dudley.inverse_square.optimal").expr) == 0 and "3*R/sqrt(N)" in form2
    eq, _ = dudley_expr(c * eps ** (-q), eps, n=N, normalised=False)
    assert sp.simplify(eq - get("dudley.power_law.optimal").expr) == 0
    e0, _ = dudley_expr(c * eps ** (-q), eps, n=N, normalised=False, alpha=0, assumptions=(sp.Lt(q, 2),))
    assert sp.simplify(e0 - get("dudley.power_law.alpha0").expr) == 0


def test_divergent_entropy_refused():
    with pytest.raises(InputError, match="converge"):
        dudley_expr(c * eps**-3, eps, n=N, normalised=False, alpha=0)


def test_no_closed_form_keeps_alpha_and_quadrature_works():
    logn = R**2 / eps**2 + 3 * sp.log(1 + 1 / eps)
    expr, form = dudley_expr(logn, eps, n=N, normalised=False)
    assert "quadrature" in form or "numeric_optimum" in form
    best, _ = numeric_optimum(logn, {R: 2}, n_value=1000, dps=15, iterations=45)
    # adding entropy can only increase the optimum of the R^2/eps^2 part
    assert best >= get("dudley.inverse_square.optimal").evaluate({R: 2, N: 1000}, dps=20)


def test_operation_on_a_bound_is_derived_and_replays():
    rad = dudley(get("dudley.example.inverse_square"))
    assert rad.status.value == "derived" and rad.provenance.derived_from == ("dudley.example.inverse_square",)
    assert sp.simplify(rad.expr - get("dudley.inverse_square.optimal").expr) == 0
    assert rad.derivation.replay() == rad.derivation.expr
    rad.check()
    with pytest.raises(InputError):
        dudley(get("dudley.example.inverse_square"), eps_sym=sp.Symbol("zeta"))
