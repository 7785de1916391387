r"""The domain a statement speaks of, and the check of values against it.

A Bound holds on a domain: the assumptions of its symbols (``p`` positive, ``N`` a positive integer, ...) and its
``assumptions`` relationals (``eps <= R``, ``q < 2``). Evaluating it outside that domain gives a number that means
nothing (``p = -1``) or a bare ``ZeroDivisionError`` (``N = 0``); :func:`check_scalar_values` and
:func:`check_array_values` refuse such values with an :class:`~schattheory.foundation.errors.InputError` naming the
violated assumption. The array check is vectorised: one comparison per assumption over the whole sweep.

A removable singularity (``(n^{(2-q)/4} - \alpha^{1-q/2})/(1 - q/2)`` at ``q = 2``) is evaluated by its limit:
:func:`removable_limit` tries a two-sided SymPy limit in each parameter in turn, exact in the others, and accepts it
only when a 50-digit evaluation next to the point agrees with it.

>>> import sympy as sp
>>> from schattheory.foundation.symbols import R, eps
>>> check_scalar_values("demo", (eps, R), (sp.Le(eps, R),), {eps: 5, R: 1})
Traceback (most recent call last):
...
schattheory.foundation.errors.InputError: epsilon=5: violates the assumption epsilon <= R of demo (at R=1)
"""

from __future__ import annotations

from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from schattheory.foundation.errors import InputError

__all__ = ["symbol_conditions", "check_scalar_values", "check_array_values", "removable_limit"]

#: relative slack of a non-strict inequality checked in floating point (values at the boundary pass)
_ARRAY_RTOL = 1e-12


def symbol_conditions(sym) -> tuple[str, ...]:
    """The assumptions a symbol carries that a value must meet: ``positive``, ``nonnegative``, ``integer``."""
    out = []
    if sym.is_positive:
        out.append("positive")
    elif sym.is_nonnegative:
        out.append("nonnegative")
    if sym.is_integer:
        out.append("integer")
    return tuple(out)


def _describe(cond) -> str:
    return sp.sstr(cond)


def _others(at: dict, skip) -> str:
    parts = [f"{sp.sstr(k)}={_fmt(v)}" for k, v in at.items() if k not in skip]
    return f" (at {', '.join(parts)})" if parts else ""


def _fmt(v) -> str:
    if isinstance(v, mpmath.mpf):
        return mpmath.nstr(v, 12)
    return str(v)


def _scalar_ok(value, condition: str) -> bool:
    if mpmath.isnan(value):
        return False
    if condition == "positive":
        return value > 0
    if condition == "nonnegative":
        return value >= 0
    if condition == "integer":
        return mpmath.isinf(value) or value == mpmath.floor(value)
    raise ValueError(condition)


def check_scalar_values(key: str, params, assumptions, values: dict, dps: int = 50) -> None:
    """Raise InputError when ``values`` (symbol -> number) violates a symbol's or a stated assumption.

    Numbers are compared at ``dps`` digits; a non-strict inequality passes at the boundary to a relative slack of
    10^-(dps-5), a strict one does not.
    """
    from schattheory.numerics.backends import mpmath_evaluator, to_mpf

    with mpmath.workdps(dps):
        nums = {}
        for sym in params:
            if sym not in values or isinstance(sym, sp.MatrixSymbol):
                continue
            val = to_mpf(values[sym], str(sym))
            if isinstance(val, mpmath.mpc):
                raise InputError(str(sym), values[sym], f"must be real ({key})")
            nums[sym] = val
            for cond in symbol_conditions(sym):
                if not _scalar_ok(val, cond):
                    raise InputError(str(sym), values[sym], f"must be {cond} ({key} assumes {sym} {cond})")
        for rel in assumptions:
            free = sorted(rel.free_symbols, key=str)
            if any(s not in nums for s in free):
                continue  # a relational in symbols not given (e.g. matrix shapes): nothing to check
            left = mpmath_evaluator(rel.lhs, tuple(free))(*[nums[s] for s in free], dps=dps)
            right = mpmath_evaluator(rel.rhs, tuple(free))(*[nums[s] for s in free], dps=dps)
            if not _relation_holds(rel, left, right, dps):
                first = free[0] if len(free) == 1 else _first_named(rel, free)
                at = {s: values.get(s, nums[s]) for s in free}
                raise InputError(
                    str(first),
                    values.get(first, _fmt(nums[first])),
                    f"violates the assumption {_describe(rel)} of {key}{_others(at, {first})}",
                )


def _first_named(rel, free):
    """The symbol an error names: the left side's own symbol when it is one (eps in eps <= R), else the first."""
    for side in (rel.lhs, rel.rhs):
        if isinstance(side, sp.Symbol) and side in free:
            return side
    return free[0]


def _relation_holds(rel, left, right, dps) -> bool:
    if mpmath.isnan(left) or mpmath.isnan(right):
        return False
    slack = (
        mpmath.mpf(10) ** (5 - dps) * max(abs(left), abs(right))
        if not (mpmath.isinf(left) or mpmath.isinf(right))
        else 0
    )
    if isinstance(rel, sp.StrictLessThan):
        return left < right
    if isinstance(rel, sp.StrictGreaterThan):
        return left > right
    if isinstance(rel, sp.LessThan):
        return left <= right + slack
    if isinstance(rel, sp.GreaterThan):
        return left + slack >= right
    if isinstance(rel, sp.Eq):
        return abs(left - right) <= slack
    if isinstance(rel, sp.Ne):
        return left != right
    return True


@lru_cache(maxsize=512)
def _array_checks(params: tuple, assumptions: tuple):
    """Per parameter position: its symbol conditions; per assumption: (relation, numpy lhs-rhs, arg positions)."""
    from schattheory.numerics.backends import numpy_evaluator

    per_symbol = tuple((i, sym, symbol_conditions(sym)) for i, sym in enumerate(params) if symbol_conditions(sym))
    rels = []
    index = {s: i for i, s in enumerate(params)}
    for rel in assumptions:
        free = sorted(rel.free_symbols, key=str)
        if any(s not in index for s in free):
            continue
        rels.append(
            (
                rel,
                tuple(index[s] for s in free),
                numpy_evaluator(rel.lhs, tuple(free)),
                numpy_evaluator(rel.rhs, tuple(free)),
            )
        )
    return per_symbol, tuple(rels)


def _first_bad(mask, arrays):
    flat = np.flatnonzero(np.broadcast_to(mask, np.broadcast(*arrays, mask).shape) if arrays else mask)
    return int(flat[0]) if flat.size else 0


def check_array_values(key: str, params: tuple, assumptions: tuple, args) -> None:
    """The vectorised check of float arguments (positional, in ``params`` order); raise at the first violation."""
    per_symbol, rels = _array_checks(tuple(params), tuple(assumptions))
    arrays = [np.asarray(a) for a in args]
    for i, sym, conds in per_symbol:
        x = arrays[i]
        for cond in conds:
            if cond == "positive":
                bad = ~(x > 0)
            elif cond == "nonnegative":
                bad = ~(x >= 0)
            else:
                with np.errstate(invalid="ignore"):
                    bad = (x != np.floor(x)) & np.isfinite(x)
            if bad.any():
                at = _first_bad(bad, [x])
                shown = x.flat[at] if x.ndim else x
                where = f" at index {at}" if x.ndim else ""
                raise InputError(str(sym), _py(shown), f"must be {cond} ({key} assumes {sym} {cond}){where}")
    for rel, pos, lhs_fn, rhs_fn in rels:
        sub = [arrays[j] for j in pos]
        with np.errstate(all="ignore"):
            left, right = np.asarray(lhs_fn(*sub), dtype=float), np.asarray(rhs_fn(*sub), dtype=float)
            slack = _ARRAY_RTOL * np.maximum(np.abs(left), np.abs(right))
            slack = np.where(np.isfinite(slack), slack, 0.0)
            if isinstance(rel, sp.StrictLessThan):
                ok = left < right
            elif isinstance(rel, sp.StrictGreaterThan):
                ok = left > right
            elif isinstance(rel, sp.LessThan):
                ok = left <= right + slack
            elif isinstance(rel, sp.GreaterThan):
                ok = left + slack >= right
            else:
                continue
        if not np.all(ok):
            bad = ~np.asarray(ok)
            at = _first_bad(bad, sub)
            full = np.broadcast_arrays(*sub, bad)
            point = {params[j]: _py(full[n].flat[at]) for n, j in enumerate(pos)}
            first = _first_named(rel, list(point))
            where = f" at index {at}" if bad.ndim else ""
            raise InputError(
                str(first),
                point[first],
                f"violates the assumption {_describe(rel)} of {key}{_others(point, {first})}{where}",
            )


def _py(x):
    x = np.asarray(x).item()
    return int(x) if isinstance(x, float) and x.is_integer() and abs(x) < 2**53 else x


def removable_limit(expr, params: tuple, values: dict, dps: int = 50, timeout: float = 10.0):
    """The value of ``expr`` at a point where it is 0/0 but has a limit: an ``mpmath.mpf``, or None.

    Each parameter in turn is let tend to its value (two-sided SymPy limit within ``timeout``, the others fixed at
    their exact values); the first finite limit is accepted only if ``expr`` evaluated at 50 digits at the point moved
    by a relative 10^-20 in every parameter agrees with it to 10^-10.
    """
    from schattheory.numerics.backends import mpmath_evaluator, to_mpf
    from schattheory.numerics.limits import _symbolic_limit

    exact = {}
    for sym in params:
        val = values[sym]
        exact[sym] = sp.nsimplify(val) if not isinstance(val, sp.Basic) else val
        if isinstance(val, float):
            exact[sym] = sp.Rational(val)
    fn = mpmath_evaluator(expr, tuple(params))
    for sym in params:
        rest = sp.sympify(expr).subs({s: v for s, v in exact.items() if s != sym})
        if sym not in rest.free_symbols:
            continue
        value, _why = _symbolic_limit(rest, sym, exact[sym], "+-", timeout)
        if value is None or not value.is_number or value.has(sp.oo, -sp.oo, sp.zoo, sp.nan, sp.AccumBounds):
            continue
        with mpmath.workdps(dps):
            lim = to_mpf(value)
            if not mpmath.isfinite(lim):
                continue
            near = []
            for sign in (1, -1):
                shifted = [
                    to_mpf(exact[s]) * (1 + sign * mpmath.mpf(10) ** -20)
                    if exact[s] != 0
                    else sign * mpmath.mpf(10) ** -20
                    for s in params
                ]
                try:
                    near.append(fn(*shifted, dps=dps))
                except (ZeroDivisionError, ValueError):
                    near = []
                    break
            if near and all(abs(v - lim) <= mpmath.mpf(10) ** -10 * max(1, abs(lim)) for v in near):
                return lim
    return None
