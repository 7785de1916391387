"""Declared limits are verified by Bound.check() for every Bound, registered or not."""

from dataclasses import replace

import pytest
import sympy as sp

from schattheory.core import registry
from schattheory.core.bound import Bound, BoundError, Limit
from schattheory.foundation.provenance import Provenance, cite
from schattheory.foundation.symbols import L, N, W, r


def _with_limit(value, key="user.square.wrong_limit"):
    base = registry.get("ledent2025.square.dominant")
    lim = next(x for x in base.limits if x.point == 0)
    return replace(base, key=key, limits=(replace(lim, value=value),))


def test_wrong_declared_limit_fails_check():
    wrong = _with_limit(42 * L * W * r / sp.sqrt(N))
    with pytest.raises(BoundError, match=r"declared limit .* is wrong or unverified"):
        wrong.check()
    verdict = wrong.limit_checks()[0]
    assert not verdict.ok and "NOT verified" in verdict.describe()


def test_true_declared_limit_passes_for_an_unregistered_copy():
    right = _with_limit(sp.sqrt(2) * L * sp.sqrt(W * r) / sp.sqrt(N), key="user.square.right_limit")
    assert right.check() is right
    assert right.limit_checks()[0].ok


def test_numeric_route_catches_a_wrong_limit_when_sympy_gives_up():
    """With no time for sympy.limit the 50-digit sequence at the example point decides."""
    from schattheory.core.limit_check import check_limits

    x = sp.Symbol("x", positive=True)
    prov = Provenance("classical", (cite("bhatia1997", "p. 1"),))
    good = Bound(
        "user.sinc", expr=sp.sin(x) / x, params=(x,), provenance=prov, example={x: 1}, limits=(Limit(x, 0, 1),)
    )
    bad = replace(good, key="user.sinc.bad", limits=(Limit(x, 0, sp.Rational(11, 10)),))
    assert [c.method for c in check_limits(good, budget=0)] == ["numeric"] and check_limits(good, budget=0)[0].ok
    assert not check_limits(bad, budget=0)[0].ok


def test_limit_without_example_and_without_sympy_is_unverified():
    from schattheory.core.limit_check import check_limits

    x, y = sp.Symbol("x", positive=True), sp.Symbol("y", positive=True)
    prov = Provenance("classical", (cite("bhatia1997", "p. 1"),))
    b = Bound("user.noexample", expr=y * sp.sin(x) / x, params=(x, y), provenance=prov, limits=(Limit(x, 0, y),))
    verdict = check_limits(b, budget=0)[0]
    assert not verdict.ok and "no example value" in verdict.evidence


def test_registration_does_not_verify_limits_but_check_does():
    b = _with_limit(42 * L * W * r / sp.sqrt(N), key="user.square.lazy")
    assert b.check(limits=False) is b
    with pytest.raises(BoundError):
        b.check()


def test_theorem_never_prints_an_unverified_limit_as_a_fact():
    from schattheory.outputs.latex.render import theorem

    wrong = _with_limit(42 * L * W * r / sp.sqrt(N), key="user.square.wrong_tex")
    text = theorem(wrong)
    assert "NOT verified" in text and "tends to" not in text.split("NOT verified")[0].split("Declared limits")[-1]
    right = theorem(registry.get("ledent2025.square.dominant"))
    assert "verified (sympy.limit, or a 50-digit sequence" in right
