"""Every declared limit of the bounds, checked three ways: SymPy's limit (timed), a 50-digit mpmath sequence at
the example point, and the float64 evaluator at an extreme point."""

import mpmath
import pytest
import sympy as sp

from schattheory.core import registry
from schattheory.numerics.backends import numpy_evaluator
from schattheory.numerics.limits import numeric_sequence, timed_limit

PREFIXES = (
    "ledent2025.",
    "bartlett2017.",
    "neyshabur2018.",
    "golowich2018.",
    "counting.",
    "vc.",
    "pinto2024.",
    "pac_bayes.",
    "arora2018.",
)
CASES = [(k, i) for k in registry.keys() if k.startswith(PREFIXES) for i in range(len(registry.get(k).limits))]


def _case(key, i):
    b = registry.get(key)
    lim = b.limits[i]
    expr = lim.of if lim.of is not None else b.expr
    if lim.point is sp.oo:
        # max(N, c) = N once N >= c, so it is N along the limit (SymPy's Max has no series expansion)
        expr = expr.replace(lambda e: isinstance(e, sp.Max) and lim.symbol in e.args, lambda e: lim.symbol)
    at = {s: v for s, v in b.example_values.items() if s != lim.symbol and s in expr.free_symbols}
    return b, lim, expr, at


def test_every_bound_with_a_free_p_declares_both_p_limits():
    for key in registry.keys():
        if not key.startswith("ledent2025.") or registry.get(key).mode != "dominant":
            continue
        points = {lim.point for lim in registry.get(key).limits}
        assert {sp.Integer(0), sp.oo} <= points, key


@pytest.mark.parametrize("key,i", CASES)
def test_declared_limit_equals_sympy_limit(key, i):
    b, lim, expr, at = _case(key, i)
    res = timed_limit(expr, lim.symbol, lim.point, lim.dir, timeout=20)
    declared = lim.value
    if res.method != "symbolic":
        # SymPy cannot take it with every parameter symbolic (e.g. Max has no series): take it at the example
        # point, still symbolically in the limit variable
        res = timed_limit(expr.subs(at), lim.symbol, lim.point, lim.dir, timeout=20)
        declared = lim.value.subs(at)
    assert res.method == "symbolic", f"{key}: {res}"
    assert sp.simplify(res.value - declared) == 0 if declared is not sp.oo else res.value is sp.oo


@pytest.mark.parametrize("key,i", CASES)
def test_declared_limit_matches_a_50_digit_sequence(key, i):
    b, lim, expr, at = _case(key, i)
    start = 8 if lim.symbol.name.startswith("p") else 16  # N -> oo limits can converge like N^(-1/2)
    seq = numeric_sequence(expr, lim.symbol, lim.point, at, dps=50, count=6, start=start, step=start)
    values = [v for _, v in seq]
    if lim.value is sp.oo:
        assert all(values[j + 1] > values[j] for j in range(len(values) - 1)) and values[-1] > 10**6
        return
    with mpmath.workdps(50):  # compare at the precision of the sequence, not mpmath's default 15 digits
        _check_sequence(key, values, mpmath.mpf(sp.N(lim.value.subs(at), 60)))


def _check_sequence(key, values, target):
    errors = [abs(v - target) for v in values]
    scale = max(abs(target), abs(values[0]))
    # p-limits converge like 2^-k (k <= 48), N -> oo limits like 2^-k/2 (k <= 96): far below 1e-6 of the scale
    assert errors[-1] <= mpmath.mpf(10) ** -6 * scale, (key, values[-1], target)
    # the sequence approaches the declared value (or equals it to working precision from the start)
    assert errors[-1] <= errors[0] * mpmath.mpf(10) ** -4 or errors[-1] <= mpmath.mpf(10) ** -40 * scale


@pytest.mark.parametrize("key,i", CASES)
def test_declared_limit_matches_float64_at_an_extreme_point(key, i):
    b, lim, expr, at = _case(key, i)
    params = tuple(sorted(expr.free_symbols, key=lambda x: x.name))
    fn = numpy_evaluator(expr, params)
    x = 2.0**-40 if lim.point == 0 else (2.0**40 if lim.symbol.name.startswith("p") else 2.0**80)
    val = float(fn(*[x if s == lim.symbol else float(at[s]) for s in params]))
    if lim.value is sp.oo:
        assert val > 1e6
        return
    target = float(lim.value.subs(at))
    moderate = {**at, lim.symbol: b.example_values.get(lim.symbol, 1)}
    original = lim.of if lim.of is not None else b.expr
    at_example = float(original.subs(moderate))
    scale = max(abs(target), abs(at_example))
    assert abs(val - target) <= 1e-5 * scale, (key, val, target)
