r"""Declared limits verified: every :class:`~schattheory.core.bound.Limit` of a Bound is checked before it is shown.

A declared limit (``the bound -> sqrt(2) L sqrt(W r)/sqrt(N) as p -> 0+``) is a claim like any other. It is
verified, for registered and user Bounds alike, by

1. ``sympy.limit`` in all parameters within a time budget (a forked process); where it finishes, the declared
   value must equal it (exactly, or at the example point to 30 digits);
2. otherwise a 50-digit mpmath sequence at the example point (p = 2^(-+k), or point -+ 2^-k, k = 4, 8, ..., 48)
   that must settle on the declared value (or grow without bound towards a declared +-oo).

A limit neither route can confirm is *not verified* and fails :meth:`Bound.check`. Results are cached per
statement (expression, limits, example), so a Bound is verified once per process; the verified limits of the
registered statements are also shipped (:mod:`schattheory.core.proof_cache`: only verified ones, keyed by everything
the check reads, each re-checked afresh by the tests), so a fresh process does not check them again.

Statements about matrices are written out over fixed exact spectra (:data:`SPECTRA`) by :func:`spectrum_form`, so
``||A||_{S_p}^p -> rank(A)`` becomes an ordinary SymPy expression.

>>> import sympy as sp
>>> from schattheory.foundation.symbols import p
>>> from schattheory.core.bound import Bound, Limit
>>> from schattheory.foundation.provenance import Provenance, cite
>>> b = Bound("demo.lim", expr=2 ** (1 / p), params=(p,), example={p: 1},
...           provenance=Provenance("classical", (cite("bhatia1997", "p. 1"),)), limits=(Limit(p, sp.oo, 1),))
>>> [(c.ok, c.method) for c in check_limits(b)]
[(True, 'symbolic')]
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import mpmath
import sympy as sp

__all__ = [
    "LimitCheck",
    "check_limits",
    "question_text",
    "spectrum_form",
    "unresolved_spectral",
    "SPECTRA",
    "LIMIT_BUDGET",
]

#: seconds given to sympy.limit per declared limit (environment: SCHATTHEORY_LIMIT_BUDGET)
LIMIT_BUDGET = float(os.environ.get("SCHATTHEORY_LIMIT_BUDGET", "4"))
SEQ_DPS = 50
_R = sp.Rational
#: exact spectra standing in for matrix symbols, by the symbol's name (others get _DEFAULT_SPECTRUM)
SPECTRA = {"A": (3, 2, _R(1, 2)), "B": (2, 1, _R(1, 3)), "C": (_R(5, 2), 1, _R(1, 4))}
_DEFAULT_SPECTRUM = (_R(7, 2), _R(3, 2), _R(1, 5))


@dataclass(frozen=True)
class LimitCheck:
    """The verdict on one declared limit: ``ok``, how it was checked (``symbolic``/``numeric``/``failed``), why."""

    limit: object
    ok: bool
    method: str
    evidence: str

    def describe(self) -> str:
        # one wording for both routes: which one finishes first depends on the machine's load (sympy.limit runs
        # under a time budget), and shown or generated text must not change with it; ``method`` keeps the route
        if self.ok and self.method in ("symbolic", "numeric"):
            return f"verified (sympy.limit, or a {SEQ_DPS}-digit sequence where it does not finish)"
        return "NOT verified" if self.ok else f"NOT verified: {self.evidence}"


def spectrum_form(expr, spectra: dict, values: dict | None = None):
    """``expr`` with every spectral function of a matrix in ``spectra`` written out over that spectrum, exactly.

    ``spectra`` maps matrix symbols to sequences of SymPy numbers or symbols (in descending order). The result is an
    ordinary SymPy expression, on which ``sympy.limit`` and exact evaluation work; symbolic indices (``j`` in
    ``SingularValue(A, j + 1)``) are taken from ``values``. Spectral functions of matrix expressions (``A + B``) are
    left alone; :func:`unresolved_spectral` lists what is left.

    >>> from schattheory.numerics.schatten import SchattenNorm, MatrixRank
    >>> from schattheory.foundation.symbols import A, p
    >>> spectrum_form(MatrixRank(A) * SchattenNorm(A, p), {A: (3, sp.Rational(1, 2), 0)})
    2*(3**p + (1/2)**p)**(1/p)
    """
    from schattheory.numerics import schatten as S

    values = values or {}

    def idx(x):
        x = sp.sympify(x).subs(values)
        return int(x) if x.is_Integer else None

    def powsum(sig, p):
        return sp.Add(*[x**p for x in sig if x != 0])

    def repl(e):
        mat = e.args[0]
        if mat not in spectra:
            return e
        sig = [sp.sympify(x) for x in spectra[mat]]
        nz = [x for x in sig if x != 0]
        if isinstance(e, S.SchattenNorm):
            return powsum(sig, e.args[1]) ** (1 / e.args[1])
        if isinstance(e, S.SpectralNorm):
            return sig[0]
        if isinstance(e, S.FrobeniusNorm):
            return sp.sqrt(powsum(sig, 2))
        if isinstance(e, S.NuclearNorm):
            return sp.Add(*nz)
        if isinstance(e, S.MatrixRank):
            return sp.Integer(len(nz))
        if isinstance(e, S.RankProxy):
            return sp.Add(*[(x / sig[0]) ** e.args[1] for x in nz])
        if isinstance(e, S.SingularValue):
            i = idx(e.args[1])
            return e if i is None else (sig[i - 1] if 1 <= i <= len(sig) else sp.Integer(0))
        if isinstance(e, S.TailSchattenNorm):
            r = idx(e.args[1])
            if r is None:
                return e
            tail = [x for x in sig[r:] if x != 0]
            return powsum(tail, e.args[2]) ** (1 / e.args[2]) if tail else sp.Integer(0)
        return e

    return sp.sympify(expr).replace(lambda e: isinstance(e, S.SpectralFunction), repl)


def unresolved_spectral(expr) -> set:
    """The spectral functions still present in ``expr`` (after :func:`spectrum_form`)."""
    from schattheory.numerics.schatten import SpectralFunction

    return set(expr.atoms(SpectralFunction)) if hasattr(expr, "atoms") else set()


_CACHE: dict = {}


def check_limits(bound, *, budget: float | None = None) -> tuple[LimitCheck, ...]:
    """The verdict on each declared limit of ``bound`` (cached per expression, limits and example point)."""
    if not bound.limits:
        return ()
    key = (
        bound.expr,
        bound.lhs if isinstance(bound.lhs, sp.Basic) else None,
        bound.limits,
        bound.example,
        bound.params,
    )
    if key not in _CACHE:
        _CACHE[key] = tuple(_check_one(bound, lim, LIMIT_BUDGET if budget is None else budget) for lim in bound.limits)
    return _CACHE[key]


def _same(a, b, at) -> bool:
    if a == b:
        return True
    if a.has(sp.oo, -sp.oo, sp.zoo) or b.has(sp.oo, -sp.oo, sp.zoo):
        return False
    try:
        if sp.simplify(a - b) == 0:
            return True
    except Exception:  # simplify on odd objects
        pass
    num = (a - b).subs(at)
    if not num.is_number:
        return False
    scale = max(1, abs(sp.N(b.subs(at), 40))) if b.subs(at).is_number else 1
    return abs(sp.N(num, 40)) < sp.Float(10) ** -30 * scale


def _normalised_spectrum_limit(target, sym, point, budget):
    """Spectrum forms as p -> oo: SymPy fails on the raw form; use the normalised decay forms of schatten.py."""
    import re

    from schattheory.foundation.symbols import p
    from schattheory.numerics import schatten

    found = sorted(
        (s for s in target.free_symbols if re.fullmatch(r"sigma_\d+", s.name)), key=lambda s: int(s.name.split("_")[1])
    )
    if not found or [int(s.name.split("_")[1]) for s in found] != list(range(1, len(found) + 1)):
        return None
    if sym != p or point is not sp.oo:
        return None
    if target == schatten.schatten_norm_form(tuple(found), p):
        return schatten.limit_norm_at_infinity(len(found), timeout=budget)
    if target == schatten.rank_proxy_form(tuple(found), p):
        return schatten.limit_rank_proxy(len(found), sp.oo, timeout=budget)
    return None


def _question(bound, lim):
    """What the check of ``lim`` reads: the spectra standing in for matrices, the example point, the quantity."""
    spectra = {m: SPECTRA.get(str(m), _DEFAULT_SPECTRUM) for m in bound.matrices()}
    ex = {k: v for k, v in bound.example if k != lim.symbol}
    quantity = lim.of if lim.of is not None else bound.expr
    return spectra, ex, quantity


def question_text(bound, lim, budget: float = LIMIT_BUDGET) -> str:
    """The key of ``lim``'s shipped verdict (:func:`schattheory.core.proof_cache.limit_text` of its question)."""
    from schattheory.core import proof_cache

    spectra, ex, quantity = _question(bound, lim)
    return proof_cache.limit_text(quantity, lim, ex, spectra, budget, SEQ_DPS)


def _check_one(bound, lim, budget) -> LimitCheck:
    """One declared limit's verdict: the shipped one if it was verified for the identical question, else checked."""
    from schattheory.core import proof_cache

    spectra, ex, quantity = _question(bound, lim)
    text = proof_cache.limit_text(quantity, lim, ex, spectra, budget, SEQ_DPS)
    known = proof_cache.lookup_limit(text)
    if known is not None:
        return LimitCheck(lim, True, *known)
    verdict = _check_afresh(lim, spectra, ex, quantity, budget)
    proof_cache.record_limit(text, verdict.ok, verdict.method, verdict.evidence)
    return verdict


def _check_afresh(lim, spectra, ex, quantity, budget) -> LimitCheck:
    from schattheory.numerics.limits import numeric_sequence, timed_limit

    def verdict(ok, method, evidence):
        return LimitCheck(lim, ok, method, evidence)

    target, value = spectrum_form(quantity, spectra), spectrum_form(lim.value, spectra)
    reasons = []
    if not unresolved_spectral(target) and not unresolved_spectral(value) and not lim.point.free_symbols:
        result = _normalised_spectrum_limit(target, lim.symbol, lim.point, budget) or timed_limit(
            target, lim.symbol, lim.point, lim.dir, timeout=budget, at=None
        )
        if result.method == "symbolic":
            if _same(result.value, value, ex):
                return verdict(True, "symbolic", "sympy.limit agrees")
            return verdict(
                False, "symbolic", f"sympy.limit gives {sp.sstr(result.value)[:120]}, declared {sp.sstr(value)[:120]}"
            )
        reasons.append(result.evidence)
    missing = sorted(
        map(str, (target.free_symbols | value.free_symbols | lim.point.free_symbols) - {lim.symbol} - set(ex))
    )
    if missing:
        return verdict(
            False, "failed", "; ".join(reasons + [f"no example value for {missing} to check it numerically"])
        )
    target, value = spectrum_form(quantity, spectra, ex).subs(ex), spectrum_form(lim.value, spectra, ex).subs(ex)
    point = lim.point.subs(ex)
    left = unresolved_spectral(target) | unresolved_spectral(value)
    if left:
        return verdict(
            False,
            "failed",
            f"spectral functions of matrix expressions {sorted(map(str, left))} "
            "cannot be written out: declare the limit of a simpler quantity (of=...)",
        )
    seq = [v for _, v in numeric_sequence(target, lim.symbol, point, dps=SEQ_DPS, direction=lim.dir)]
    if any(mpmath.isnan(v) for v in seq[-6:]):
        return verdict(False, "failed", f"the {SEQ_DPS}-digit sequence is undefined near the limit")
    with mpmath.workdps(SEQ_DPS):
        if value in (sp.oo, -sp.oo):
            sign = 1 if value is sp.oo else -1
            tail = [sign * v for v in seq[-6:]]
            grows = all(x < y for x, y in zip(tail, tail[1:])) and tail[-1] >= 10 * max(1, abs(seq[0]))
            return verdict(
                grows,
                "numeric" if grows else "failed",
                "sequence grows without bound"
                if grows
                else f"sequence does not grow towards {value}: {mpmath.nstr(seq[-1], 10)}",
            )
        if not value.is_number:
            return verdict(False, "failed", f"declared value {sp.sstr(value)} is not a number at the example point")
        declared = mpmath.mpf(sp.N(value, SEQ_DPS + 5))
        errors = [abs(v - declared) for v in seq]
        scale = max(1, abs(declared))
        close = errors[-1] <= mpmath.mpf(10) ** -6 * scale
        settling = errors[-1] <= errors[-4] or errors[-1] <= mpmath.mpf(10) ** (10 - SEQ_DPS) * scale
        if close and settling:
            return verdict(
                True, "numeric", f"{SEQ_DPS}-digit sequence ends {mpmath.nstr(errors[-1], 3)} from the declared value"
            )
        return verdict(
            False,
            "numeric",
            f"the {SEQ_DPS}-digit sequence at the example point ends at "
            f"{mpmath.nstr(seq[-1], 15)}, declared {mpmath.nstr(declared, 15)}",
        )
