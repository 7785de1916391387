r"""Assumptions on symbols given once (``p < 2``, ``r >= 1``, ``eps <= R``) and carried through the engines.

SymPy's own assumptions say only "positive", "integer" and the like; a bound such as ``p < 2`` cannot be attached
to a symbol. Here such bounds are given once, for a block of code (:func:`assuming`) or for one call
(``assume=``), and every engine that decides a sign (growth exponents, sample complexity, comparisons, limits in
:mod:`schattheory.analysis.asymptotics`, the Dudley step's convergence at 0) works in a *reparametrisation* in which
they are built in: each constrained symbol x is written through a fresh symbol u > 0 (or >= 0) ranging over exactly
the allowed values,

=====================  ==========================  =====================
assumption             substitution                u
=====================  ==========================  =====================
``x > a`` (``>= a``)   x = a + u                   u > 0 (u >= 0)
``x < b``, x > 0       x = b / (1 + u)             u > 0 (u >= 0 for <=)
``x < b``              x = b - u                   u > 0 (u >= 0 for <=)
``a < x < b``          x = a + (b - a) / (1 + u)   u > 0 (u >= 0 for <=)
=====================  ==========================  =====================

and answers are written back in the original symbols. No rewriting ``p = 2 - tau`` by hand.

>>> import sympy as sp
>>> from schattheory.foundation.symbols import p, W
>>> positive_under(2 - p)
False
>>> with assuming(p < 2):
...     positive_under(2 - p), positive_under(W**(2/(p+2)) - W**(p/(p+2)) + 0 * W)
(True, False)
>>> positive_under(2/(p + 2) - p/(p + 2), assume=[p < 2])
True
"""

from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass

import sympy as sp

from schattheory.foundation.errors import InputError

__all__ = [
    "assuming",
    "active",
    "collect",
    "Reparametrisation",
    "reparametrise",
    "positive_under",
    "nonnegative_under",
    "check_point",
]

_ACTIVE: contextvars.ContextVar = contextvars.ContextVar("schattheory_assumptions", default=())


def _relations(items) -> tuple:
    out = []
    for rel in items or ():
        if isinstance(rel, (list, tuple, set)):
            out += _relations(rel)
            continue
        if isinstance(rel, bool) or rel is sp.true or rel is sp.false:
            raise InputError(
                "assumption",
                rel,
                "evaluated to a truth value before it could be kept: the symbols "
                "already decide it (or a Python number was compared)",
            )
        if not isinstance(rel, (sp.StrictLessThan, sp.LessThan, sp.StrictGreaterThan, sp.GreaterThan)):
            raise InputError("assumption", rel, "must be an inequality between SymPy expressions, e.g. p < 2")
        out.append(rel)
    return tuple(out)


@contextlib.contextmanager
def assuming(*relations):
    """Within the block, every engine decides signs under ``relations`` too (added to any active ones)."""
    token = _ACTIVE.set(_ACTIVE.get() + _relations(relations))
    try:
        yield active()
    finally:
        _ACTIVE.reset(token)


def active() -> tuple:
    """The assumptions of the enclosing :func:`assuming` blocks."""
    return _ACTIVE.get()


def collect(obj=None, assume=None) -> tuple:
    """The assumptions that apply to ``obj``: its own (a Bound's ``assumptions``), ``assume`` and the active ones."""
    own = tuple(getattr(obj, "assumptions", ()) or ())
    return _relations(own) + _relations(assume) + active()


def _bounds(relations) -> dict:
    """symbol -> {"lower": [(expr, strict)], "upper": [...]}, from relations with a lone symbol on one side."""
    out: dict = {}
    for rel in dict.fromkeys(relations):  # the same assumption from two places counts once
        lhs, rhs = rel.lhs, rel.rhs
        strict = isinstance(rel, (sp.StrictLessThan, sp.StrictGreaterThan))
        less = isinstance(rel, (sp.StrictLessThan, sp.LessThan))
        if isinstance(lhs, sp.Symbol) and lhs not in rhs.free_symbols:
            sym, other, side = lhs, rhs, "upper" if less else "lower"
        elif isinstance(rhs, sp.Symbol) and rhs not in lhs.free_symbols:
            sym, other, side = rhs, lhs, "lower" if less else "upper"
        else:
            raise InputError("assumption", rel, "needs a lone symbol on one side (e.g. p < 2, eps <= R, r >= 1)")
        out.setdefault(sym, {"lower": {}, "upper": {}})[side].setdefault(other, []).append(strict)
    # x >= y and x > y together are the strict one; two different bounds on one side are ambiguous
    out = {sym: {side: [(other, any(st)) for other, st in b[side].items()] for side in b} for sym, b in out.items()}
    for sym, b in out.items():
        for side in ("lower", "upper"):
            if len(b[side]) > 1:
                raise InputError("assumption", sym, f"has {len(b[side])} {side} bounds; give the tightest only")
    return out


@dataclass(frozen=True)
class Reparametrisation:
    """``forward`` writes constrained symbols through fresh ones; ``backward`` writes the fresh ones back."""

    forward: dict
    backward: dict
    relations: tuple = ()

    def apply(self, expr):
        return sp.sympify(expr).xreplace(self.forward)

    def restore(self, expr):
        """An answer in the fresh symbols written in the original ones (simplified where it is short)."""
        if not self.backward or not isinstance(expr, sp.Basic):
            return expr
        out = sp.sympify(expr).xreplace(self.backward)
        try:
            short = sp.cancel(sp.together(out))
            return sp.simplify(short) if sp.count_ops(short) < 60 else short
        except (sp.PolynomialError, TypeError):
            return out

    def __bool__(self) -> bool:
        return bool(self.forward)


def reparametrise(relations, keep=()) -> Reparametrisation:
    """The substitutions that build ``relations`` in (see the module docstring); symbols in ``keep`` (a limit's
    variable) are left alone."""
    relations = _relations(relations)
    fwd, back = {}, {}
    for sym, b in _bounds(relations).items():
        if sym in keep:
            continue
        ((lo, lo_strict),) = b["lower"] or [(None, True)]
        ((hi, hi_strict),) = b["upper"] or [(None, True)]
        u = (
            sp.Symbol(f"{sym.name}__u", positive=True)
            if (hi_strict if hi is not None else lo_strict)
            else sp.Symbol(f"{sym.name}__u", nonnegative=True)
        )
        if lo is not None and hi is not None:
            fwd[sym], back[u] = lo + (hi - lo) / (1 + u), (hi - lo) / (sym - lo) - 1
        elif hi is not None and sym.is_positive:
            fwd[sym], back[u] = hi / (1 + u), hi / sym - 1
        elif hi is not None:
            fwd[sym], back[u] = hi - u, hi - sym
        else:
            fwd[sym], back[u] = lo + u, sym - lo
    # a bound may mention another constrained symbol (eps <= R with R >= 1): substitute until none is left
    for _ in range(len(fwd)):
        fwd = {k: v.xreplace(fwd) for k, v in fwd.items()}
    return Reparametrisation(fwd, back, relations)


def _decide(expr, relations, test) -> bool:
    expr = sp.sympify(expr)
    if test(expr):
        return True
    rep = reparametrise(relations)
    if not rep:
        return False
    e = rep.apply(expr)
    return bool(test(e) or test(sp.simplify(e)) or test(sp.factor(sp.together(e))))


def positive_under(expr, assume=None) -> bool:
    """Whether ``expr > 0`` follows from the symbols' own assumptions and ``assume`` plus the active ones."""
    return _decide(expr, _relations(assume) + active(), lambda e: e.is_positive is True)


def nonnegative_under(expr, assume=None) -> bool:
    """Whether ``expr >= 0`` follows (see :func:`positive_under`)."""
    return _decide(expr, _relations(assume) + active(), lambda e: e.is_nonnegative is True)


def check_point(symbol, point, relations) -> None:
    """Refuse a limit point outside the closure of what the assumptions allow for ``symbol`` (p -> oo under p < 2)."""
    b = _bounds([r for r in _relations(relations) if symbol in r.free_symbols]).get(symbol)
    if not b:
        return
    point = sp.sympify(point)
    for side, sign in (("upper", 1), ("lower", -1)):
        for bound, _ in b[side]:
            diff = sign * (point - bound)
            if point.is_infinite and sign * point is sp.oo or diff.is_positive:
                rel = "<" if side == "upper" else ">"
                raise InputError(
                    "point", point, f"{symbol} -> {point} is excluded by the assumption {symbol} {rel} {bound}"
                )
