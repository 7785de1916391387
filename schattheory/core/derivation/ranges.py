r"""Each claim a step makes (``old <= new``, ``before <= after``, a chosen parameter's condition, an exact rewrite)
decided over the whole range where the derivation uses it, not at one example point.

The range is the symbols' own assumptions (positive, integer), the assumptions of the lemmas the chain starts from
(with their substitutions), the derivation's own ``assumptions``, those of an enclosing
:func:`schattheory.foundation.assumptions.assuming` block, and the integration ranges of later steps: a bound on ln
N(eps) that Dudley's integral integrates is used for every eps in (0, D] (D the diameter, or sqrt(n) D unnormalised).

:func:`decide` returns a :class:`Verdict`:

- ``proved``: SymPy shows the inequality (its difference nonnegative) from the symbols' assumptions, or under the
  range's inequalities by the reparametrisation of :mod:`schattheory.foundation.assumptions`; an equality simplifies to
  0;
- ``checked numerically``: SymPy could not, and an attack found no violation: random log-uniform points over the
  range (magnitudes 1e-12 .. 1e12, integers where the symbol is one), a dense log-spaced grid in each symbol with the
  others at the example point, then local optimisation (Nelder-Mead in log coordinates) from the worst points;
  never reported as proved;
- ``refuted``: a point of the range where the claim fails, confirmed at 50 digits.

>>> import sympy as sp
>>> from schattheory.foundation.symbols import R, eps
>>> decide(sp.Le(sp.log(1 + 2 * R / eps), sp.Rational(1, 10 ** 6)), (sp.Le(eps, 1),)).status
'refuted'
>>> decide(sp.Le(eps, eps + R)).status
'proved'
>>> decide(sp.Le(sp.log(1 + R / eps), R / eps)).status   # true, but SymPy does not show it
'checked numerically'
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy as sp

from schattheory.core import proof_cache

__all__ = ["Verdict", "decide", "PROVED", "NUMERIC", "POINT", "REFUTED"]

PROVED, NUMERIC, POINT, REFUTED = "proved", "checked numerically", "checked at the example point only", "refuted"
_DPS = 50
_SAMPLES = 2000
_GRID = 121
_LOG10_RANGE = 12.0


@dataclass(frozen=True)
class Verdict:
    """How a claim was decided: ``status`` (proved / checked numerically / refuted), and the evidence."""

    status: str
    evidence: str = ""
    point: tuple = ()

    @property
    def ok(self) -> bool:
        return self.status != REFUTED


def _difference(rel):
    """The quantity that must be >= 0 (inequalities) or == 0 (equalities), and whether it is an equality."""
    if isinstance(rel, (sp.LessThan, sp.StrictLessThan)):
        return rel.rhs - rel.lhs, False
    if isinstance(rel, (sp.GreaterThan, sp.StrictGreaterThan)):
        return rel.lhs - rel.rhs, False
    if isinstance(rel, sp.Equality):
        return rel.lhs - rel.rhs, True
    raise TypeError(f"not a relation: {rel}")


#: CPU seconds SymPy gets to prove one claim (simplify, then the reparametrised sign decision) before the attack.
#: CPU time, not wall time: a verdict must not depend on how loaded the machine is (the prover's work is the same)
PROOF_BUDGET = 1.5
#: wall seconds the parent waits at most, whatever the load (a child stuck without using CPU is abandoned)
PROOF_WALL_CAP = 120.0


def _prove_slow(diff, equality, domain) -> bool:
    from schattheory.foundation.assumptions import nonnegative_under

    try:
        if equality:
            return sp.simplify(diff) == 0
        if sp.simplify(diff).is_nonnegative:
            return True
        return bool(domain) and nonnegative_under(diff, assume=[r for r in domain if _is_inequality(r)])
    except Exception:  # SymPy's deciders raise on odd expressions: then it is not proved
        return False


def _worker(conn, diff, equality, domain, budget):
    import signal

    def out_of_time(signum, frame):
        conn.send(False)
        conn.close()
        os._exit(0)

    signal.signal(signal.SIGPROF, out_of_time)
    signal.setitimer(signal.ITIMER_PROF, budget)  # this process's CPU time (user + system), not the wall clock
    try:
        result = _prove_slow(diff, equality, domain)
        signal.setitimer(signal.ITIMER_PROF, 0)
        conn.send(result)
    finally:
        conn.close()


def _proved(diff, equality, domain, budget=None) -> bool:
    """SymPy's proof within ``budget`` CPU seconds (a forked process); the quick assumption query first, then the
    shipped verdict of the identical claim (:mod:`schattheory.core.proof_cache`)."""
    try:
        if (diff == 0) if equality else diff.is_nonnegative:
            return True
    except Exception:  # noqa: BLE001 - an undecidable query is simply not a proof
        pass
    budget = PROOF_BUDGET if budget is None else budget
    if budget <= 0:
        return False
    text = proof_cache.claim_text(diff, equality, domain, budget)
    known = proof_cache.lookup(text)
    if known is not None:
        return known
    proved = _prove_forked(diff, equality, domain, budget)
    proof_cache.record(text, proved)
    return proved


def _prove_forked(diff, equality, domain, budget) -> bool:
    import multiprocessing as mp_proc

    ctx = mp_proc.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_worker, args=(child, diff, equality, domain, budget), daemon=True)
    proc.start()
    child.close()
    try:
        return bool(parent.recv()) if parent.poll(max(PROOF_WALL_CAP, budget)) else False
    except EOFError:
        return False
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(1)
        parent.close()


def _is_inequality(rel) -> bool:
    return isinstance(rel, (sp.StrictLessThan, sp.LessThan, sp.StrictGreaterThan, sp.GreaterThan))


#: verdicts already reached in this process: a derivation rebuilt (the report re-derives the main bound the
#: registry derived on import) asks the same questions, and each costs up to PROOF_BUDGET seconds of a forked prover
_DECIDED: dict = {}


def decide(rel, domain=(), example=None, *, seed: int = 0) -> Verdict:
    """Decide ``rel`` over the range given by the symbols' assumptions and ``domain`` (relationals)."""
    rel = sp.sympify(rel)
    if rel is sp.true:
        return Verdict(PROVED, "true as stated")
    if rel is sp.false:
        return Verdict(REFUTED, "false as stated")
    domain = tuple(d for d in (sp.sympify(x) for x in domain) if d is not sp.true)
    try:
        memo = (rel, domain, frozenset((example or {}).items()), seed)
        hash(memo)
    except TypeError:  # an unhashable example value: decided afresh
        memo = None
    if memo is not None and memo in _DECIDED:
        return _DECIDED[memo]
    verdict = _decide(rel, domain, example, seed)
    if memo is not None:
        _DECIDED[memo] = verdict
    return verdict


def _decide(rel, domain, example, seed) -> Verdict:
    diff, equality = _difference(rel)
    if _proved(diff, equality, domain):
        return Verdict(
            PROVED, "SymPy" + (" under " + ", ".join(map(sp.sstr, domain)) if domain and not equality else "")
        )
    try:
        text = proof_cache.attack_text(rel, domain, example, seed)
    except (TypeError, ValueError, sp.SympifyError):  # an example value SymPy cannot write: attacked afresh
        text = None
    known = proof_cache.lookup_attack(text) if text is not None else None
    if known is not None:
        return Verdict(*known)
    verdict = _attack(rel, diff, equality, domain, dict(example or {}), seed)
    if text is not None and verdict.status != REFUTED:  # a refutation carries its point: always found afresh
        proof_cache.record_attack(text, verdict.status, verdict.evidence)
    return verdict


# ---- the numeric attack --------------------------------------------------------------------------------------
def _lambdify(expr, syms):
    with np.errstate(all="ignore"):
        return sp.lambdify(syms, expr, modules="numpy")


def _draw(sym, rng, size):
    """Values for ``sym`` over its own domain: log-uniform magnitudes, integers where it is one, signs if real."""
    mags = 10.0 ** rng.uniform(-_LOG10_RANGE, _LOG10_RANGE, size)
    if sym.is_integer:
        mags = np.maximum(np.round(10.0 ** rng.uniform(0, 6, size)), 1.0)
        if not sym.is_positive:
            mags = np.where(rng.random(size) < 0.1, 0.0, mags)
    elif sym.is_nonnegative and not sym.is_positive:
        mags = np.where(rng.random(size) < 0.05, 0.0, mags)
    if not (sym.is_nonnegative or sym.is_positive):
        mags = mags * np.where(rng.random(size) < 0.5, -1.0, 1.0)
    return mags


def _in_domain(fns, cols):
    ok = np.ones(len(cols[0]) if cols else 1, dtype=bool)
    with np.errstate(all="ignore"):
        for strict, fn in fns:
            val = np.asarray(fn(*cols), dtype=float)
            ok &= (val > 0) if strict else (val >= -1e-12 * (1 + np.abs(val)))
    return ok


def _attack(rel, diff, equality, domain, example, seed) -> Verdict:
    syms = sorted(diff.free_symbols | {s for d in domain for s in d.free_symbols if s in diff.free_symbols}, key=str)
    if not syms:
        val = sp.N(diff, _DPS)
        bad = (abs(val) > 0) if equality else (val < 0)
        return Verdict(REFUTED if bad else PROVED, f"a number: {sp.N(val, 10)}")
    if (
        any(isinstance(s, sp.MatrixSymbol) for s in syms)
        or diff.has(sp.Sum, sp.Integral, sp.Function)
        and any(isinstance(f, sp.core.function.AppliedUndef) for f in diff.atoms(sp.Function))
    ):
        return _example_only(diff, equality, example)
    dom = [d for d in domain if _is_inequality(d) and d.free_symbols <= set(syms)]
    dom_fns = []
    for d in dom:
        g, _ = _difference(d)
        dom_fns.append((isinstance(d, (sp.StrictLessThan, sp.StrictGreaterThan)), _lambdify(g, syms)))
    target = sp.Abs(diff) if equality else diff
    scale = sp.Abs(rel.lhs) + sp.Abs(rel.rhs)
    f_t, f_s = _lambdify(target, syms), _lambdify(scale, syms)
    rng = np.random.default_rng(seed)
    cols = [_draw(s, rng, _SAMPLES) for s in syms]
    if example and all(s in example for s in syms):  # a dense grid in each symbol, the others at the example
        base = [float(sp.N(example[s])) for s in syms]
        for i, s in enumerate(syms):
            grid = _draw_grid(s)
            for j in range(len(syms)):
                cols[j] = np.concatenate([cols[j], grid if j == i else np.full(grid.size, base[j])])
    cols = [np.asarray(c, dtype=float) for c in cols]
    keep = _in_domain(dom_fns, cols)
    cols = [c[keep] for c in cols]
    if not cols[0].size:
        return Verdict(NUMERIC, "no sampled point satisfies the range's assumptions; nothing to attack")
    with np.errstate(all="ignore"):
        t = np.asarray(f_t(*cols), dtype=float) * np.ones(cols[0].size)
        sc = np.asarray(f_s(*cols), dtype=float) * np.ones(cols[0].size)
    rel_gap = np.where(np.isfinite(t) & np.isfinite(sc), (-t if equality else t) / np.maximum(sc, 1e-300), np.inf)
    order = np.argsort(rel_gap)
    starts = [[c[i] for c in cols] for i in order[:5]]
    for point in starts + _optimise(f_t, f_s, dom_fns, syms, starts, equality):
        verdict = _confirm(rel, diff, equality, syms, point, dom)
        if verdict is not None:
            return verdict
    return Verdict(
        NUMERIC,
        f"no violation in {cols[0].size} points of the range and local optimisation from the "
        f"5 worst (SymPy could not prove it)",
    )


def _draw_grid(sym):
    lo, hi = (0.0, 6.0) if sym.is_integer else (-_LOG10_RANGE, _LOG10_RANGE)
    grid = 10.0 ** np.linspace(lo, hi, _GRID)
    return np.unique(np.round(grid)) if sym.is_integer else grid


def _optimise(f_t, f_s, dom_fns, syms, starts, equality):
    """Nelder-Mead on the relative gap in log coordinates (sign kept for real symbols), from each start."""
    from scipy.optimize import minimize

    out = []
    signs = [np.sign(x) or 1.0 for x in starts[0]] if starts else []
    for start in starts[:2]:
        signs = [np.sign(x) if x else 1.0 for x in start]
        x0 = np.log([abs(x) if x else 1e-12 for x in start])

        def point(z, signs=signs):
            vals = [sg * np.exp(zz) for sg, zz in zip(signs, z)]
            return [np.round(v) if s.is_integer else v for v, s in zip(vals, syms)]

        def objective(z):
            pt = point(z)
            with np.errstate(all="ignore"):
                if not _in_domain(dom_fns, [np.array([v]) for v in pt]).all():
                    return 1e300
                t, sc = float(np.asarray(f_t(*pt))), float(np.asarray(f_s(*pt)))
            if not (np.isfinite(t) and np.isfinite(sc)):
                return 1e300
            return (-t if equality else t) / max(sc, 1e-300)

        try:
            res = minimize(
                objective, x0, method="Nelder-Mead", options={"maxiter": 200, "xatol": 1e-10, "fatol": 1e-18}
            )
            out.append(point(res.x))
        except (ValueError, OverflowError, FloatingPointError):
            continue
    return out


def _confirm(rel, diff, equality, syms, point, dom=()):
    """A 50-digit evaluation at ``point``: a Verdict ``refuted`` when the claim fails there, else None.

    The point (the exact value of its floats) must satisfy the range's relations exactly: a float at the boundary
    (eps = 1/N) that lands outside it is no counterexample."""
    from schattheory.numerics.backends import mpmath_evaluator

    vals = [
        sp.Rational(float(v)) if not (isinstance(s, sp.Symbol) and s.is_integer) else sp.Integer(int(v))
        for s, v in zip(syms, point)
    ]
    at_exact = dict(zip(syms, vals))
    for d in dom:
        try:
            if d.subs(at_exact) is sp.false:
                return None
        except TypeError:  # undecidable comparison: keep the point, the evaluation decides
            pass
    try:
        with mpmath.workdps(_DPS):
            d = mpmath_evaluator(diff, tuple(syms))(*vals, dps=_DPS)
            scale = abs(mpmath_evaluator(rel.lhs, tuple(syms))(*vals, dps=_DPS)) + abs(
                mpmath_evaluator(rel.rhs, tuple(syms))(*vals, dps=_DPS)
            )
            tol = mpmath.mpf(10) ** (10 - _DPS) * max(scale, mpmath.mpf(10) ** -300)
            bad = abs(d) > tol if equality else d < -tol
            if not (isinstance(d, mpmath.mpf) and mpmath.isfinite(d)) or not bad:
                return None
    except (ZeroDivisionError, ValueError, TypeError, OverflowError):
        return None
    at = tuple(zip(syms, vals))
    where = ", ".join(f"{s}={mpmath.nstr(mpmath.mpf(v.p) / v.q, 6)}" for s, v in at)
    return Verdict(REFUTED, f"fails at {where} (50 digits: difference {mpmath.nstr(d, 6)})", at)


def _example_only(diff, equality, example) -> Verdict:
    """Claims in per-layer functions or matrices: no sampling over a range is possible; say so."""
    val = sp.N(sp.sympify(diff).subs(example), _DPS) if example else None
    if val is None or not val.is_number:
        return Verdict(
            POINT,
            "not decidable by SymPy and not sampled (per-layer functions or matrices); no "
            "example value for every symbol",
        )
    bad = abs(val) > sp.Float(10) ** -40 if equality else val < -(sp.Float(10) ** -40)
    return Verdict(REFUTED if bad else POINT, f"at the example point: {sp.N(val, 8)}")
