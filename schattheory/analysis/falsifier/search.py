"""Adversarial search for statements whose two sides are computable (closed forms and spectral quantities).

Random points of the domain (:mod:`.points`: extreme magnitudes, p near 0 and large, small and huge integers),
then local optimisation of the relative violation from the most promising points (Nelder-Mead on the logarithms
of the continuous parameters, the integers held fixed). Matrices are searched over spectra with exact zeros,
repeated values, rank one, flat, decaying and 300-decade-wide shapes, and over pairs built to make the classical
inequalities tight (B = A, B = -A, disjoint supports, C = A^T).

A violation counts only when it survives re-evaluation through ``Bound.evaluate`` at 50 and at 70 digits, with a
relative margin far above the noise of either (:func:`confirm`); the domain is re-checked there at 50 digits, so a
point at the edge of an assumption cannot slip through.
"""

from __future__ import annotations

import time

import mpmath
import numpy as np
import sympy as sp

from schattheory.analysis.falsifier.points import domain_mask, param_kinds, sample
from schattheory.analysis.falsifier.result import Counterexample
from schattheory.foundation.errors import InputError

__all__ = ["attack_scalar", "attack_spectral", "confirm", "violation_score"]

#: relative margin a violation must exceed at 50 and 70 digits (statements exact in their inputs)
EXACT_MARGIN = mpmath.mpf(10) ** -30
#: relative margin for statements whose spectra are computed from float64 matrices (A + B, A C)
FLOAT_MARGIN = mpmath.mpf(10) ** -6
_CANDIDATE = 1e-9


class OutOfTime(Exception):
    """The search's budget ran out inside an optimiser."""


def violation_score(relation: str, lhs, rhs):
    """Relative amount by which ``lhs relation rhs`` fails (<= 0 where it holds); works on arrays."""
    lhs = np.asarray(lhs, dtype=float)
    rhs = np.asarray(rhs, dtype=float)
    with np.errstate(all="ignore"):
        scale = np.abs(lhs) + np.abs(rhs)
        diff = {"<=": lhs - rhs, "<": lhs - rhs, ">=": rhs - lhs, "==": np.abs(lhs - rhs)}[relation]
        out = np.where(scale > 0, diff / np.where(scale > 0, scale, 1.0), 0.0)
    return np.where(np.isfinite(out), out, -np.inf)


def _fails(relation, left, right, margin) -> bool:
    scale = max(abs(left), abs(right))
    if relation in ("<=", "<"):
        return left - right > margin * scale
    if relation == ">=":
        return right - left > margin * scale
    return abs(left - right) > margin * scale


def confirm(bound, values: dict, margin=EXACT_MARGIN):
    """(lhs, rhs) at 50 digits when the relation fails at both 50 and 70 digits by more than ``margin``, else None."""
    try:
        sides = {}
        for dps in (50, 70):
            with mpmath.workdps(dps):
                left = bound.evaluate(values, dps, side="lhs")
                right = bound.evaluate(values, dps)
                if not (mpmath.isfinite(left) and mpmath.isfinite(right)):
                    return None
                if not _fails(bound.relation, left, right, margin):
                    return None
            sides[dps] = (left, right)
        return sides[50]
    except (InputError, ZeroDivisionError, OverflowError, ValueError, TypeError, ArithmeticError):
        return None


def _assumption_text(bound) -> tuple:
    conds = [f"{s} {c}" for s in bound.params if not isinstance(s, sp.MatrixSymbol) for c in _conditions(s)]
    return tuple(conds + [sp.sstr(a) for a in bound.assumptions])


def _conditions(sym):
    from schattheory.numerics.domain import symbol_conditions

    return symbol_conditions(sym)


def _scalar(v, kind):
    return int(round(v)) if kind in ("dim", "index") else float(v)


class _Evaluators:
    def __init__(self, bound, params):
        from schattheory.numerics.backends import mpmath_evaluator, numpy_evaluator

        self.params = params
        self.np_l = numpy_evaluator(bound.lhs, params)
        self.np_r = numpy_evaluator(bound.expr, params)
        self.mp_l = mpmath_evaluator(bound.lhs, params)
        self.mp_r = mpmath_evaluator(bound.expr, params)

    def sides(self, batch, size, mp_budget=32):
        args = [batch[s] for s in self.params]
        with np.errstate(all="ignore"):
            left = np.broadcast_to(np.asarray(self.np_l(*args), dtype=float), (size,)).copy()
            right = np.broadcast_to(np.asarray(self.np_r(*args), dtype=float), (size,)).copy()
        bad = np.flatnonzero(~(np.isfinite(left) & np.isfinite(right)))[:mp_budget]
        for i in bad:  # float64 overflowed: the same point at 30 digits, as a float of its logarithm's sign
            try:
                pt = [a[i] for a in args]
                lv, rv = self.mp_l(*pt, dps=30), self.mp_r(*pt, dps=30)
                scale = max(abs(lv), abs(rv))
                if scale == 0 or not mpmath.isfinite(scale):
                    continue
                left[i], right[i] = float(lv / scale), float(rv / scale)
            except (ZeroDivisionError, OverflowError, ValueError, TypeError, ArithmeticError):
                continue
        return left, right


def attack_scalar(bound, rng, deadline: float, stats: dict, *, batch: int = 400):
    """Search a statement between closed forms of scalar parameters; a Counterexample or None."""
    params = tuple(s for s in bound.params if not isinstance(s, sp.MatrixSymbol))
    kinds = param_kinds(params)
    ev = _Evaluators(bound, params)
    best: list = []
    t_opt = time.monotonic() + 0.6 * max(0.0, deadline - time.monotonic())
    while time.monotonic() < t_opt:
        pts = sample(kinds, rng, batch)
        mask = domain_mask(bound.assumptions, pts, batch)
        if not mask.any():
            continue
        pts = {s: v[mask] for s, v in pts.items()}
        size = int(mask.sum())
        stats["points"] = stats.get("points", 0) + size
        left, right = ev.sides(pts, size)
        score = violation_score(bound.relation, left, right)
        order = np.argsort(-score)
        for i in order[:3]:
            if score[i] > _CANDIDATE:
                vals = {s: _scalar(pts[s][i], kinds[s]) for s in params}
                found = confirm(bound, vals)
                if found:
                    return _counterexample(bound, vals, found, "search")
        best += [
            (float(score[i]), {s: _scalar(pts[s][i], kinds[s]) for s in params})
            for i in order[:4]
            if np.isfinite(score[i])
        ]
        best = sorted(best, key=lambda t: -t[0])[:12]
    return _optimise(bound, ev, kinds, best, deadline, stats)


def _optimise(bound, ev, kinds, starts, deadline, stats):
    from scipy.optimize import minimize

    cont = [s for s in ev.params if kinds[s] in ("exponent", "positive")]
    if not cont:
        return None
    for _, start in starts:
        if time.monotonic() >= deadline:
            break
        fixed = dict(start)

        def values_at(x):
            vals = dict(fixed)
            for s, xi in zip(cont, x):
                vals[s] = float(np.exp(np.clip(xi, -345.0, 345.0)))
            return vals

        def objective(x):
            vals = values_at(x)
            if time.monotonic() > deadline:
                raise OutOfTime
            pts = {s: np.array([vals[s]], dtype=float) for s in ev.params}
            if not domain_mask(bound.assumptions, pts, 1)[0]:
                return 1.0
            left, right = ev.sides(pts, 1, mp_budget=1)
            stats["points"] = stats.get("points", 0) + 1
            sc = violation_score(bound.relation, left, right)[0]
            return -sc if np.isfinite(sc) else 1.0

        x0 = np.log([fixed[s] for s in cont])
        budget = max(1, int(min(400, 200 * (deadline - time.monotonic()))))
        try:
            res = minimize(
                objective, x0, method="Nelder-Mead", options={"maxfev": budget, "xatol": 1e-10, "fatol": 1e-14}
            )
        except OutOfTime:
            return None
        if -res.fun > _CANDIDATE:
            vals = values_at(res.x)
            found = confirm(bound, vals)
            if found:
                return _counterexample(bound, vals, found, "optimise")
    return None


def _counterexample(bound, vals, sides, method, argument=""):
    point = {str(k): v for k, v in vals.items()}
    return Counterexample(
        bound.key, bound.relation, point, sides[0], sides[1], method, _assumption_text(bound), argument
    )


# ---- matrices -------------------------------------------------------------------------------------------------
def _spectrum(rng, size: int) -> list:
    kind = rng.integers(0, 7)
    top = 10 ** rng.uniform(-3, 3) if rng.random() < 0.6 else 10 ** rng.uniform(-150, 150)
    if kind == 0:  # rank one
        sig = [top] + [0.0] * (size - 1)
    elif kind == 1:  # flat
        sig = [top] * size
    elif kind == 2:  # decaying
        alpha = rng.uniform(0, 4)
        sig = [top * (i + 1) ** -alpha for i in range(size)]
    elif kind == 3:  # 300 decades wide
        sig = sorted((10 ** rng.uniform(-150, 150) for _ in range(size)), reverse=True)
    elif kind == 4:  # gapped: top cluster, tail far below
        split = int(rng.integers(1, size + 1))
        sig = [top] * split + [top * 10 ** -rng.uniform(16, 100)] * (size - split)
    elif kind == 5:  # repeated values and exact zeros
        vals = [top * rng.uniform(0.1, 1) for _ in range(size)]
        sig = sorted(vals, reverse=True)
        for i in range(1, size):
            if rng.random() < 0.4:
                sig[i] = sig[i - 1]
        zeros = int(rng.integers(0, size))
        sig = sig[: size - zeros] + [0.0] * zeros
    else:
        sig = sorted((top * rng.random() for _ in range(size)), reverse=True)
    return [float(x) for x in sig]


def _orthogonal(rng, n):
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def _matrix(rng, rows, cols):
    """A rotated matrix whose spectrum spans at most three decades (no zeros): its sums and products are formed in
    float64, whose rounding would otherwise decide small singular values (and so S_p for small p)."""
    k = min(rows, cols)
    top = 10 ** rng.uniform(-3, 3)
    sig = sorted((top * 10 ** -rng.uniform(0, 3) for _ in range(k)), reverse=True)
    if rng.random() < 0.3:
        sig = [top] * k
    D = np.zeros((rows, cols))
    D[range(k), range(k)] = sig
    return _orthogonal(rng, rows) @ D @ _orthogonal(rng, cols).T


def _diagonal(rng, rows, cols):
    """A diagonal matrix with exact zeros and repeats (float64 arithmetic on it is exact up to rounding)."""
    k = min(rows, cols)
    D = np.zeros((rows, cols))
    vals = [10 ** rng.uniform(-3, 3) if rng.random() < 0.7 else 0.0 for _ in range(k)]
    if k > 1 and rng.random() < 0.4:
        vals[1] = vals[0]
    D[range(k), range(k)] = vals
    return D


def _matrix_point(bound, mats, rng, sigma_params):
    """Values for the matrix symbols: spectra where the statement needs only spectra, matrices otherwise."""
    from schattheory.numerics.schatten import SpectralFunction

    needs_matrix = any(
        not isinstance(fn.args[0], sp.MatrixSymbol)
        for side in (bound.lhs, bound.expr)
        for fn in sp.sympify(side).atoms(SpectralFunction)
    )
    if not needs_matrix:
        return {m: _spectrum(rng, int(rng.integers(1, 7))) for m in mats}, False
    n1, n2 = int(rng.integers(1, 5)), int(rng.integers(1, 5))
    out = {}
    style = rng.integers(0, 5)
    make = _diagonal if rng.random() < 0.3 else _matrix
    if make is _matrix:  # rotated factors must be square: a rank-deficient float64 product has noise singular
        n2 = n1  # values of size 1e-16 |A||C|, which S_p with small p would amplify into a false alarm
    for m in mats:
        rows, cols = (n1, n2) if m.shape == mats[0].shape else (n2, n1)
        out[m] = make(rng, rows, cols)
    if len(mats) == 2 and mats[0].shape == mats[1].shape:
        A = out[mats[0]]
        if style == 0:
            out[mats[1]] = A.copy()
        elif style == 1:
            out[mats[1]] = -A
        elif style == 2 and n1 * n2 > 1:  # disjoint supports: the p-triangle inequality's equality case
            a, bb = np.zeros((n1, n2)), np.zeros((n1, n2))
            a[0, 0], bb[-1, -1] = 10 ** rng.uniform(-2, 2), 10 ** rng.uniform(-2, 2)
            out[mats[0]], out[mats[1]] = a, bb
    elif len(mats) == 2 and style == 0:
        out[mats[1]] = out[mats[0]].T.copy()
    return out, True


def _spectra_only(bound, mats) -> bool:
    from schattheory.numerics.schatten import SpectralFunction

    return (
        len(mats) == 1
        and mats[0] in bound.params
        and all(
            isinstance(fn.args[0], sp.MatrixSymbol)
            for side in (bound.lhs, bound.expr)
            for fn in sp.sympify(side).atoms(SpectralFunction)
        )
    )


_FORMS: dict = {}


def _form(bound, mat, nz, k, index_vals):
    """Both sides written out over nz symbolic nonzero singular values and k - nz zeros, lambdified (cached)."""
    from schattheory.core.limit_check import spectrum_form, unresolved_spectral
    from schattheory.numerics.backends import numpy_evaluator

    key = (bound.lhs, bound.expr, mat, nz, k, tuple(sorted(index_vals.items(), key=str)))
    if key not in _FORMS:
        sig = sp.symbols(f"s_f1:{nz + 1}", positive=True)
        spec = {mat: tuple(sig) + (sp.Integer(0),) * (k - nz)}
        sides = [spectrum_form(side, spec, index_vals).subs(index_vals) for side in (bound.lhs, bound.expr)]
        if any(unresolved_spectral(x) for x in sides):
            _FORMS[key] = None
        else:
            scal = tuple(x for x in bound.params if not isinstance(x, sp.MatrixSymbol) and x not in index_vals)
            _FORMS[key] = (
                scal,
                tuple(sig),
                numpy_evaluator(sides[0], scal + tuple(sig)),
                numpy_evaluator(sides[1], scal + tuple(sig)),
            )
    return _FORMS[key]


def _attack_spectra_fast(bound, mat, rng, deadline, stats, batch=256):
    """Spectra-only statements in one matrix: both sides written out over the spectrum, evaluated in batches."""
    params = tuple(s for s in bound.params if not isinstance(s, sp.MatrixSymbol))
    kinds = param_kinds(params)
    index = [s for s in params if kinds[s] == "index" or (s.is_integer and str(s) == "j")]
    while time.monotonic() < deadline:
        k = int(rng.integers(1, 7))
        specs = [_spectrum(rng, k) for _ in range(batch)]
        scal = sample(kinds, rng, batch)
        for s in index:  # one index per batch (it selects which singular values the form speaks of)
            scal[s] = np.full(batch, scal[s][0])
        mask = domain_mask(bound.assumptions, scal, batch)
        index_vals = {s: int(scal[s][0]) for s in index}
        by_nz: dict = {}
        for i in np.flatnonzero(mask):
            nz = sum(1 for x in specs[i] if x > 0)
            if nz:
                by_nz.setdefault(nz, []).append(i)
        for nz, rows in by_nz.items():
            form = _form(bound, mat, nz, k, index_vals)
            if form is None:
                return None
            names, sig, f_l, f_r = form
            rows = np.array(rows)
            args = [scal[s][rows] for s in names] + [np.array([specs[i][j] for i in rows]) for j in range(nz)]
            with np.errstate(all="ignore"):
                left = np.broadcast_to(np.asarray(f_l(*args), dtype=float), rows.shape)
                right = np.broadcast_to(np.asarray(f_r(*args), dtype=float), rows.shape)
            stats["points"] = stats.get("points", 0) + len(rows)
            score = violation_score(bound.relation, left, right)
            for t in np.argsort(-score)[:2]:
                if score[t] > _CANDIDATE:
                    i = rows[t]
                    vals = {s: _scalar(scal[s][i], kinds[s]) for s in params}
                    vals[mat] = specs[i]
                    found = confirm(bound, vals)
                    if found:
                        return _counterexample(bound, vals, found, "search")
    return None


def _hypothesis_phase(bound, mat, rng, deadline, stats):
    """Hypothesis's own search and shrinking over :func:`schattheory.core.testing.spectra` and
    :func:`schattheory.core.testing.exponents` (when hypothesis, the ``test`` extra, is installed): a violation it finds
    is shrunk to a small one before confirmation."""
    try:
        import random

        from hypothesis import HealthCheck, Phase, find, settings
        from hypothesis import strategies as st
        from hypothesis.errors import HypothesisException, NoSuchExample
    except ImportError:  # the optional test extra is absent: the other phases still run
        return None
    from schattheory.core.testing import exponents, spectra

    params = tuple(x for x in bound.params if not isinstance(x, sp.MatrixSymbol))
    kinds = param_kinds(params)
    by_kind = {
        "exponent": exponents(),
        "dim": st.integers(1, 50),
        "index": st.integers(0, 8),
        "positive": st.floats(1e-150, 1e150) | st.floats(0.01, 100.0),
        "real": st.floats(-1e150, 1e150, allow_nan=False),
    }
    strategy = st.tuples(spectra(1, 6), st.fixed_dictionaries({str(x): by_kind[kinds[x]] for x in params}))

    def point(example):
        sig, sc = example
        vals = {x: _scalar(sc[str(x)], kinds[x]) for x in params}
        vals[mat] = [float(v) for v in sig]
        return vals

    seen: dict = {}

    def violates(example):
        key = repr(example)
        if key not in seen:  # a replayed example gets the same answer, also once the time is up
            seen[key] = False if time.monotonic() > deadline else _violates(example)
        return seen[key]

    def _violates(example):
        vals = point(example)
        if not domain_mask(bound.assumptions, {x: np.array([float(vals[x])]) for x in params}, 1)[0]:
            return False
        sig = vals[mat]
        nz = sum(1 for v in sig if v > 0)
        index_vals = {x: int(vals[x]) for x in params if kinds[x] == "index"}
        form = _form(bound, mat, nz, len(sig), index_vals) if nz else None
        if form is None:
            return False
        names, _, f_l, f_r = form
        args = [np.float64(vals[x]) for x in names] + [np.float64(v) for v in sig if v > 0]
        stats["points"] = stats.get("points", 0) + 1
        try:
            with np.errstate(all="ignore"):
                bad = bool(violation_score(bound.relation, f_l(*args), f_r(*args)) > _CANDIDATE)
        except (OverflowError, ZeroDivisionError, ValueError, TypeError):
            return False
        if bad:
            shrunk.append(example)  # the latest is the smallest so far, should shrinking run out of time
        return bad

    shrunk: list = []
    try:
        example = find(
            strategy,
            violates,
            random=random.Random(int(rng.integers(2**31))),
            # no explain phase: it traces every line the condition runs (SymPy, NumPy, ...), which made this phase
            # overrun its deadline by seconds once a candidate was found; find() reports no failure to explain
            settings=settings(
                max_examples=150,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
                phases=[p for p in Phase if p is not Phase.explain],
            ),
        )
    except (NoSuchExample, HypothesisException, ExceptionGroup):
        if not shrunk:
            return None
        example = shrunk[-1]  # found, but the time ran out while shrinking it
    vals = point(example)
    found = confirm(bound, vals)
    return _counterexample(bound, vals, found, "search") if found else None


def attack_spectral(bound, rng, deadline: float, stats: dict):
    """Search a statement about matrices (Schatten quantities of spectra or of matrix expressions)."""
    mats = sorted(bound.matrices(), key=str)
    in_params = [m for m in mats if m in bound.params]
    if _spectra_only(bound, mats):
        left = max(0.0, deadline - time.monotonic())
        found = _attack_spectra_fast(bound, mats[0], rng, time.monotonic() + 0.5 * left, stats)
        if not found:
            found = _hypothesis_phase(bound, mats[0], rng, time.monotonic() + 0.25 * left, stats)
        if found:
            return found
    sigma_params = sorted((s for s in bound.params if str(s).startswith("sigma_")), key=lambda s: int(str(s)[6:]))
    params = tuple(s for s in bound.params if not isinstance(s, sp.MatrixSymbol))
    kinds = param_kinds(params)
    best_score = -np.inf
    while time.monotonic() < deadline:
        scal = sample(kinds, rng, 16)
        mask = domain_mask(bound.assumptions, scal, 16)
        for i in np.flatnonzero(mask):
            if time.monotonic() >= deadline:
                break
            vals = {s: _scalar(scal[s][i], kinds[s]) for s in params}
            if in_params:
                mvals, floaty = _matrix_point(bound, in_params, rng, sigma_params)
                vals.update(mvals)
            else:  # a definition over sigma_1 >= sigma_2 >= ...: the matrix has exactly those singular values
                floaty = False
                for m in mats:
                    vals[m] = [vals[s] for s in sigma_params]
            stats["points"] = stats.get("points", 0) + 1
            try:
                left = bound.evaluate(vals, 20, side="lhs")
                right = bound.evaluate(vals, 20)
            except (InputError, ZeroDivisionError, OverflowError, ValueError, TypeError, ArithmeticError):
                continue
            with mpmath.workdps(20):
                scale = max(abs(left), abs(right))
                if scale == 0 or not mpmath.isfinite(scale):
                    continue
                sc = float(
                    {"<=": left - right, "<": left - right, ">=": right - left, "==": abs(left - right)}[bound.relation]
                    / scale
                )
            if sc > (1e-6 if floaty else _CANDIDATE):
                found = confirm(bound, vals, FLOAT_MARGIN if floaty else EXACT_MARGIN)
                if found:
                    shown = {k: (v.tolist() if hasattr(v, "tolist") else v) for k, v in vals.items()}
                    return _counterexample(bound, shown, found, "search")
            best_score = max(best_score, sc)
    stats["best_score"] = best_score
    return None
