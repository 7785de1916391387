"""Assumptions on symbols given once and carried through growth, sample complexity, comparisons, limits and the
Dudley step. Expected answers are checked by an independent route (mpmath slopes and quadrature, substitution)."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from schattheory.analysis.asymptotics import compare, growth, limit, sample_complexity
from schattheory.core.bound import Bound
from schattheory.foundation.assumptions import assuming, nonnegative_under, positive_under, reparametrise
from schattheory.foundation.errors import InputError
from schattheory.foundation.provenance import Provenance
from schattheory.foundation.symbols import N, R, W, c, eps, p, r

TWO_BRANCHES = W ** (2 / (p + 2)) + W ** (p / (p + 2))


def _slope(expr, at, k=80):
    """d log f / d log W between W = 2^k and 2^(k+1), by mpmath at 40 digits."""
    f = sp.lambdify(W, sp.log(expr.subs(at)), "mpmath")
    with mpmath.workdps(40):
        return float((f(mpmath.mpf(2) ** (k + 1)) - f(mpmath.mpf(2) ** k)) / mpmath.log(2))


@pytest.mark.parametrize("rel, pval", [(p < 2, sp.Rational(1, 2)), (p > 2, 5)])
def test_growth_picks_the_branch_the_assumption_allows(rel, pval):
    with assuming(rel):
        g = growth(TWO_BRANCHES, [W])[W]
    assert g.free_symbols == {p}
    assert float(g.subs(p, pval)) == pytest.approx(_slope(TWO_BRANCHES, {p: pval}), abs=0.02)


def test_growth_without_the_assumption_refuses_instead_of_guessing():
    # SymPy's limit answers p/(p+2) for every p: wrong for p < 2; the engine must not pass it on
    with pytest.raises(ValueError, match="assuming"):
        growth(TWO_BRANCHES, [W], numeric=False)


def test_a_bounds_own_assumptions_are_used():
    b = Bound(
        "test.two_branches",
        expr=TWO_BRANCHES / sp.sqrt(N),
        params=(p, W, N),
        provenance=Provenance("new result"),
        assumptions=(p < 2,),
        example={p: 1, W: 4, N: 9},
    )
    assert growth(b, [W], numeric=False)[W] == 2 / (p + 2)
    cmp = compare(b, sp.sqrt(W / N))
    assert sp.simplify(cmp.growth[W] - (2 / (p + 2) - sp.Rational(1, 2))) == 0
    assert "p < 2" in cmp.evidence


def test_sample_complexity_under_p_below_two():
    f = W * N ** (p / 2 - 1)  # decreasing in N only when p < 2
    with pytest.raises(ValueError, match="does not decrease"):
        sample_complexity(f)
    sc = sample_complexity(f, assume=[p < 2])
    # independent check: the bound at the computed N equals eps, at a point with p < 2
    at = {p: sp.Rational(1, 3), W: 7, eps: sp.Rational(1, 10)}
    assert sp.nsimplify(f.subs(N, sc.expr).subs(at)) == sp.Rational(1, 10)


def test_limits_use_the_other_symbols_assumptions_and_refuse_excluded_points():
    x = sp.Symbol("x", positive=True)
    assert limit(x**p, p, sp.oo, assume=[x < 1]).value == 0
    assert limit(x**p, p, sp.oo, assume=[x > 1]).value is sp.oo
    with pytest.raises(InputError, match="excluded"):
        limit(x**p, p, sp.oo, assume=[p < 2])
    with assuming(p < 2):  # p -> 0+ is allowed under p < 2
        assert limit(x**p, p, 0).value == 1


def test_r_at_least_one_and_eps_at_most_R():
    assert not nonnegative_under(r - 1) and nonnegative_under(r - 1, assume=[r >= 1])
    assert not nonnegative_under(sp.log(R / eps))
    assert nonnegative_under(sp.log(R / eps), assume=[eps <= R])
    with assuming(eps <= R, r >= 1):
        assert nonnegative_under(sp.log(R / eps) * (r - 1))
    rep = reparametrise([eps <= R])
    assert sp.simplify(rep.restore(rep.apply(eps))) == eps


def test_assumptions_are_scoped():
    with assuming(p < 2):
        assert positive_under(2 - p)
    assert not positive_under(2 - p)
    with pytest.raises(InputError):
        with assuming(sp.Integer(1) < 2):  # already a truth value
            pass


def test_dudley_step_under_p_below_two_without_rewriting_p():
    from schattheory.core.derivation import Start, derive
    from schattheory.lemmas.steps import DudleyStep

    cover = Bound(
        "test.power_cover",
        expr=c * eps ** (-p),
        params=(c, eps, p),
        lhs=sp.Symbol("lnN"),
        provenance=Provenance("new result"),
        example={c: 1, eps: sp.Rational(1, 2), p: 1},
    )
    steps = [Start(bound=cover), DudleyStep(eps, N, alpha=0)]
    with pytest.raises(InputError, match="alpha"):
        derive("test.power_cover.dudley", steps, example={c: 1, p: 1, N: 100})
    with assuming(p < 2):
        out = derive(
            "test.power_cover.dudley", [Start(bound=cover), DudleyStep(eps, N, alpha=0)], example={c: 1, p: 1, N: 100}
        )
    expr = getattr(out, "expr", out)
    # Dudley with alpha -> 0, normalised, diameter 1: 12/sqrt(N) * int_0^1 sqrt(c eps^-p) d eps, by quadrature
    # after eps = t^4 (which removes the endpoint singularity at p = 3/2)
    at = {c: 2, p: sp.Rational(3, 2), N: 100}
    with mpmath.workdps(30):
        integrand = lambda t: 4 * t**3 * mpmath.sqrt(2 * (t**4) ** mpmath.mpf(-1.5))  # noqa: E731
        ref = 12 / mpmath.sqrt(100) * mpmath.quad(integrand, [0, 1])
    assert float(expr.subs(at)) == pytest.approx(float(ref), rel=1e-10)


def test_a_bounds_limit_uses_its_own_assumptions():
    x = sp.Symbol("x", positive=True)
    b = Bound(
        "test.power",
        expr=x**p,
        params=(x, p),
        provenance=Provenance("new result"),
        assumptions=(x < 1,),
        example={x: sp.Rational(1, 2), p: 1},
    )
    assert b.limit(p, sp.oo).value == 0  # SymPy alone cannot tell: x^p -> 0 needs x < 1
    from schattheory.numerics.limits import timed_limit

    assert timed_limit(x**p, p, sp.oo).value != 0  # without it: SymPy's answer depends on the sign of log(x)


def test_a_bound_stated_twice_counts_once_and_strict_wins():
    """x >= y and x > y (a registered statement may carry both) are one lower bound, the strict one; a limit in
    another symbol is not refused because of them."""
    import sympy as sp

    from schattheory.core.registry import get
    from schattheory.foundation.assumptions import _bounds, check_point
    from schattheory.foundation.symbols import p

    x, y = sp.symbols("x y", positive=True)
    assert _bounds([x >= y, x > y]) == {x: {"lower": [(y, True)], "upper": []}}
    check_point(p, 0, [x >= y, x > y, x >= 2 * y])  # nothing about p: no refusal
    assert get("schatten.rank_proxy").limit(p, 0, timeout=20).value == 3
