"""Limits with a time budget and an honest numeric fallback.

SymPy's ``limit`` can hang or fail on expressions with symbolic parameters. :func:`timed_limit` runs it in a
forked process with a time budget; when it fails or runs out of time, the answer comes from an mpmath sequence at
``point +- 2^-k`` (or ``2^k`` towards infinity) at 50 digits, and the result says ``method="numeric"``.

>>> import sympy as sp
>>> x = sp.Symbol("x", positive=True)
>>> timed_limit(sp.sin(x) / x, x, 0).value
1
"""

from __future__ import annotations

import multiprocessing as mp_proc
from dataclasses import dataclass, field

import mpmath
import sympy as sp

__all__ = ["LimitResult", "timed_limit", "numeric_sequence", "sequence_points"]

DEFAULT_TIMEOUT = 20.0


@dataclass(frozen=True)
class LimitResult:
    """A limit and how it was obtained: ``symbolic`` (sympy.limit), ``numeric`` (mpmath sequence) or ``failed``."""

    value: sp.Expr | None
    method: str
    evidence: str = ""
    sequence: tuple = field(default=(), compare=False)

    @property
    def ok(self) -> bool:
        return self.method in ("symbolic", "numeric") and self.value is not None

    def __str__(self) -> str:
        return f"{self.value} ({self.method}{': ' + self.evidence if self.evidence else ''})"


def sequence_points(point, count: int = 12, start: int = 4, step: int = 4):
    """The points 2^-k (towards 0+), 2^k (towards oo) or point + 2^-k, for k = start, start+step, ..."""
    ks = [start + step * i for i in range(count)]
    point = sp.sympify(point)
    if point is sp.oo:
        return [sp.Integer(2) ** kk for kk in ks]
    if point is -sp.oo:
        return [-(sp.Integer(2) ** kk) for kk in ks]
    return [point + sp.Integer(2) ** (-kk) for kk in ks]


def numeric_sequence(
    expr, symbol, point, at=None, *, dps: int = 50, count: int = 12, start: int = 4, step: int = 4, direction: str = "+"
):
    """Values of ``expr`` at the sequence of :func:`sequence_points` at ``dps`` digits, other symbols set by ``at``."""
    from schattheory.numerics.backends import mpmath_evaluator

    expr = sp.sympify(expr).subs(at or {})
    free = expr.free_symbols - {symbol}
    if free:
        raise ValueError(f"at: give values for {sorted(map(str, free))} to evaluate the sequence numerically")
    fn = mpmath_evaluator(expr, (symbol,))
    pts = sequence_points(point, count, start, step)
    if direction == "-" and sp.sympify(point).is_finite:
        pts = [2 * sp.sympify(point) - x for x in pts]
    out = []
    for x in pts:
        try:
            out.append((x, fn(x, dps=dps)))
        except (ZeroDivisionError, OverflowError, ValueError):
            out.append((x, mpmath.nan))
    return out


def _worker(conn, expr, symbol, point, direction):
    try:
        conn.send(("ok", sp.limit(expr, symbol, point, direction)))
    except Exception as exc:  # sympy raises many kinds on failure
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _symbolic_limit(expr, symbol, point, direction, timeout):
    if timeout is None:
        try:
            return sp.limit(expr, symbol, point, direction), ""
        except Exception as exc:
            return None, f"{type(exc).__name__}: {exc}"
    ctx = mp_proc.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_worker, args=(child, expr, symbol, point, direction), daemon=True)
    proc.start()
    child.close()
    try:
        if parent.poll(timeout):
            status, payload = parent.recv()
            return (payload, "") if status == "ok" else (None, payload)
        return None, f"sympy.limit did not finish in {timeout:g} s"
    except EOFError:
        return None, "sympy.limit process died"
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(1)
        parent.close()


def timed_limit(
    expr,
    symbol,
    point,
    direction: str | None = None,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    at=None,
    dps: int = 50,
    rtol=None,
    assume=None,
) -> LimitResult:
    """The limit of ``expr`` as ``symbol -> point``: symbolic within ``timeout`` seconds, else numeric at ``at``.

    ``direction`` defaults to "+" at finite points and "-" at +oo. The numeric fallback needs numbers for every other
    free symbol (``at``); its value is the last term of the sequence, and the evidence states how far the last two
    terms differ. Assumptions (``assume`` and those of an enclosing
    :func:`schattheory.foundation.assumptions.assuming`) are
    built into the other symbols (:func:`schattheory.foundation.assumptions.reparametrise`); a point they exclude for
    ``symbol`` is refused.
    """
    from dataclasses import replace

    from schattheory.foundation.assumptions import active, check_point, reparametrise

    rels = tuple(assume or ()) + active()
    if not rels:
        return _timed_limit(expr, symbol, point, direction, timeout=timeout, at=at, dps=dps, rtol=rtol)
    check_point(symbol, point, rels)
    rep = reparametrise(rels, keep={symbol})
    if at is not None:  # numbers for the fresh symbols, from the numbers given for the original ones
        at = dict(at)
        at.update({u: sp.sympify(back).subs(at) for u, back in rep.backward.items()})
    res = _timed_limit(rep.apply(expr), symbol, point, direction, timeout=timeout, at=at, dps=dps, rtol=rtol)
    return replace(res, value=rep.restore(res.value)) if res.value is not None else res


def _timed_limit(expr, symbol, point, direction, *, timeout, at, dps, rtol) -> LimitResult:
    expr = sp.sympify(expr)
    point = sp.sympify(point)
    if direction is None:
        direction = "-" if point is sp.oo else "+"
    value, why = _symbolic_limit(expr, symbol, point, direction, timeout)
    if value is not None and not value.has(sp.Limit) and value is not sp.nan and not value.has(sp.AccumBounds):
        return LimitResult(value, "symbolic", "sympy.limit")
    reason = why or f"sympy.limit returned {value}"
    free = (expr.subs(at or {})).free_symbols - {symbol}
    if free:
        return LimitResult(None, "failed", f"{reason}; no numbers for {sorted(map(str, free))} to fall back on")
    seq = numeric_sequence(expr, symbol, point, at, dps=dps, direction=direction)
    last, prev = seq[-1][1], seq[-2][1]
    if mpmath.isnan(last):
        return LimitResult(None, "failed", f"{reason}; the numeric sequence is undefined", tuple(seq))
    with mpmath.workdps(dps):
        gap = abs(last - prev)
        scale = max(abs(last), mpmath.mpf(1))
        if mpmath.isinf(last) or last > mpmath.mpf(10) ** (dps // 2):
            val = sp.oo if last > 0 else -sp.oo
            return LimitResult(
                val, "numeric", f"{reason}; sequence grows without bound (last {mpmath.nstr(last, 8)})", tuple(seq)
            )
        if rtol is not None and gap > rtol * scale:
            return LimitResult(
                None, "failed", f"{reason}; sequence not settled (last gap {mpmath.nstr(gap, 3)})", tuple(seq)
            )
        val = sp.Float(mpmath.nstr(last, dps - 5), dps - 5)
    return LimitResult(
        val, "numeric", f"{reason}; mpmath sequence at {dps} digits, last gap {mpmath.nstr(gap, 3)}", tuple(seq)
    )
