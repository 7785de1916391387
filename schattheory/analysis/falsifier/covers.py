r"""Proven lower bounds on covering numbers, and the attack on statements that bound a covering number from above.

Every bound used here rests on one lemma (proved below) and on a subset of the set K that it names.

**Lemma (volume in a subspace).** Let V be a k-dimensional subspace of the ambient space, P a linear projection
onto V with :math:`d(Px, Py)\le d(x, y)` for all x, y, and suppose :math:`\|x-y\|_2\le c\,d(x,y)` for x, y in V
(Euclidean structure of the coordinates of V). If :math:`K\supseteq V\cap B_2(\rho)` then
:math:`\mathcal N(K, d, \varepsilon)\ge\lceil(\rho/(c\varepsilon))^k\rceil`.

*Proof.* Let :math:`z_1..z_N` be an eps-net of K (centres anywhere). For y in :math:`V\cap B_2(\rho)` pick i with
:math:`d(y, z_i)\le\varepsilon`; then :math:`d(y, Pz_i) = d(Py, Pz_i)\le d(y, z_i)\le\varepsilon`, and both y and
:math:`Pz_i` lie in V, so :math:`\|y - Pz_i\|_2\le c\varepsilon`. Hence the N Euclidean balls of radius
:math:`c\varepsilon` about the :math:`Pz_i` cover the k-dimensional ball :math:`V\cap B_2(\rho)`; comparing
k-dimensional volumes, :math:`N (c\varepsilon)^k\ge\rho^k`, and N is an integer. (With P = identity and V the whole
space this is the plain volume bound.) For a (quasi-)norm ball in its own (quasi-)norm, the balls are translates
:math:`x+\varepsilon B` of the unit ball B, whose volume is positive and finite, so the same comparison gives
:math:`\mathcal N\ge\lceil(R/\varepsilon)^k\rceil` in R^k.

**Subsets and constants used** (k, rho, c in the lemma; r <= min(m, n) a block height, n' = max(m, n)):

- ``NormBall(R, k, p)``, own (quasi-)norm, every norm and every p-norm: :math:`\lceil(R/\varepsilon)^k\rceil`.
- ``SchattenBall(p, R, m, n)``: V = the matrices supported on an r x n' block (rows if n' = n, columns if n' = m),
  k = r n'; P = zeroing the other rows (columns), i.e. multiplying by a coordinate projection E, so
  :math:`\sigma_i(EZ)\le\sigma_i(Z)` and P contracts every Schatten (quasi-)norm, Frobenius and spectral. On V the
  rank is at most r, so :math:`\|Z\|_{S_p}\le r^{\max(0,1/p-1/2)}\|Z\|_F` (Hoelder over r singular values for
  p < 2; :math:`\|\cdot\|_{S_p}\le\|\cdot\|_F` for p >= 2): rho = :math:`R\,r^{-\max(0,1/p-1/2)}`. The metric
  constant c: Frobenius 1; spectral :math:`\sqrt r` (:math:`\|Z\|_F\le\sqrt{\operatorname{rank}Z}\|Z\|_\sigma`);
  its own S_p quasi-norm :math:`r^{\max(0,1/2-1/p)}` (:math:`\|Z\|_F\le r^{1/2-1/p}\|Z\|_{S_p}` for p > 2,
  :math:`\|Z\|_F\le\|Z\|_{S_p}` for p <= 2). In its own quasi-norm the whole ball also gives
  :math:`\lceil(R/\varepsilon)^{mn}\rceil`.
- ``LowRankBall(r, R, m, n)``, Frobenius: V = an r' x n' block, r' = min(floor(r), m, n) (every matrix of V has
  rank <= r'), rho = R, c = 1, k = r' n'; for r' = 0 the set is {0} and N = 1.
- ``MaureyClass(a, b, d, m, r_M)``, Frobenius on the outputs, for the data X the statement allows (entrywise
  :math:`\|X\|_2\le b`, so p = q = 2, and :math:`\|A\|_{2,s}\le m^{e}\|A\|_F`, e = max(0, 1/s - 1/2) =
  max(0, 1/2 - 1/r_M), by Hoelder over the m column norms): X = (b/sqrt(d)) I_d gives the class
  :math:`\{(b/\sqrt d)A\}\supseteq B_F(a b m^{-e}/\sqrt d)` in R^{d x m} (k = d m, V everything, c = 1); X = b e_1^T
  (one row) gives a Euclidean ball of radius :math:`a b m^{-e}` in R^m (k = m); and the single entry A_11 gives the
  interval [-ab, ab] (k = 1).
- ``EmpiricalL2(B)`` with a matrix set of m x d matrices: the inputs x_i = B e_i, i = 1..d (admissible, as
  :math:`\|x_i\|_2 = B`) make :math:`d_X(A, A') = B\|A - A'\|_F/\sqrt d`, an exact rescaling, so
  :math:`\mathcal N(K, d_X, \varepsilon) = \mathcal N(K, \|\cdot\|_F, \varepsilon\sqrt d/B)`.

Each bound is also at least 0 (N >= 1). The best of them at the point is the reported left side, with its argument.
"""

from __future__ import annotations

import math
import time

import mpmath
import numpy as np
import sympy as sp

from schattheory.analysis.falsifier.points import domain_mask, param_kinds, sample
from schattheory.analysis.falsifier.result import Counterexample
from schattheory.foundation.errors import InputError
from schattheory.foundation.quantities import (
    EmpiricalL2,
    LogCoveringNumber,
    LowRankBall,
    MaureyClass,
    NormBall,
    SchattenBall,
)

__all__ = ["log_cover_lower_bound", "attack_cover", "integer_roles", "SUPPORTED"]

SUPPORTED = (NormBall, SchattenBall, LowRankBall, MaureyClass)
_F_METRICS = ("F", "2")


class _Lib:
    """Elementary functions for floats (search) or mpf (confirmation at 50 digits)."""

    def __init__(self, exact: bool):
        self.exact = exact
        self.log = mpmath.log if exact else math.log
        self.exp = mpmath.exp if exact else math.exp
        self.ceil = mpmath.ceil if exact else math.ceil
        self.num = mpmath.mpf if exact else float
        self.tiny = mpmath.mpf(10) ** -25 if exact else 1e-9


def _volume(lib, k, log_ratio):
    """ln ceil((rho/(c eps))^k) given ln(rho/(c eps)); 0 when the ratio is below 1 (N >= 1 always)."""
    if k <= 0 or log_ratio <= 0:
        return lib.num(0)
    v = k * log_ratio
    if v < 60:  # N is an integer: round up (guarded against rounding the exact integer case up)
        return lib.log(lib.ceil(lib.exp(v) * (1 - lib.tiny)))
    return v


def _blocks(small: int):
    if small <= 64:
        return range(1, small + 1)
    return sorted({1, small} | {2**i for i in range(1, int(math.log2(small)) + 1)})


def _int(x) -> int:
    return int(math.floor(float(x) + 1e-9))


def log_cover_lower_bound(cover: LogCoveringNumber, v: dict, exact: bool = False):
    """(lower bound on ln N, argument) at the numeric values ``v`` (symbol -> number) of the cover's symbols."""
    lib = _Lib(exact)

    def val(e):
        e = sp.sympify(e)
        if e.is_Symbol:
            return lib.num(v[e])
        if e is sp.oo:
            return mpmath.inf if exact else math.inf
        if not e.free_symbols:
            return mpmath.mpf(str(sp.N(e, 80))) if exact else float(e)
        free = tuple(sorted(e.free_symbols, key=str))
        return lib.num(_lambdified(e, free, exact)(*[v[x] for x in free]))

    s, metric = cover.set, cover.metric
    eps = val(cover.eps)
    log_eps = lib.log(eps)
    notes = []
    if isinstance(metric, EmpiricalL2):
        if not isinstance(s, (SchattenBall, LowRankBall)):
            raise InputError("metric", metric, "a data-dependent metric is supported on matrix sets only")
        ncols = _int(val(s.shape[1]))
        B = val(metric.input_norm)
        log_eps = log_eps + lib.log(lib.num(ncols)) / 2 - lib.log(B)
        notes.append(
            f"inputs x_i = B e_i (i = 1..{ncols}) make d_X = B ||.||_F / sqrt({ncols}): "
            f"scale eps sqrt(d)/B in Frobenius norm"
        )
        kind = "F"
    else:
        kind = metric.kind
    best, why = lib.num(0), "N >= 1"
    cands = []
    if isinstance(s, NormBall):
        k = _int(val(s.dim))
        cands.append(
            (
                k,
                lib.log(val(s.radius)) - log_eps,
                f"volume: the radius-R ball of a (quasi-)norm in R^{k} needs (R/eps)^k translates of eps B",
            )
        )
    elif isinstance(s, SchattenBall):
        p, R = val(s.p), val(s.radius)
        m, n = _int(val(s.shape[0])), _int(val(s.shape[1]))
        big, small = max(m, n), min(m, n)
        for r in _blocks(small):
            lr = lib.log(lib.num(r))
            log_rho = lib.log(R) - max(lib.num(0), 1 / p - lib.num(1) / 2) * lr
            log_c = {"F": 0, "2": 0, "sigma": lr / 2, "own": max(lib.num(0), lib.num(1) / 2 - 1 / p) * lr}[kind]
            cands.append(
                (
                    r * big,
                    log_rho - log_c - log_eps,
                    f"volume in the {r} x {big} block (rank <= {r}): Frobenius ball of radius "
                    f"R {r}^-max(0,1/p-1/2) inside B_Sp(R), metric constant c = "
                    f"{ {'F': '1', '2': '1', 'sigma': 'sqrt(r)', 'own': 'r^max(0,1/2-1/p)'}[kind] }",
                )
            )
        if kind == "own":
            cands.append((m * n, lib.log(R) - log_eps, f"volume of B_Sp(R) in its own quasi-norm in R^{m}x{n}"))
    elif isinstance(s, LowRankBall):
        if kind not in _F_METRICS:
            raise InputError("metric", metric, "the low-rank set is supported in the Frobenius metric only")
        m, n = _int(val(s.shape[0])), _int(val(s.shape[1]))
        rr = min(_int(val(s.rank)), m, n)
        if rr >= 1:
            cands.append(
                (
                    rr * max(m, n),
                    lib.log(val(s.radius)) - log_eps,
                    f"volume in the {rr} x {max(m, n)} block: every matrix there has rank <= {rr}",
                )
            )
    elif isinstance(s, MaureyClass):
        if kind not in _F_METRICS:
            raise InputError("metric", metric, "the Maurey class is supported in the Frobenius metric only")
        a, b = val(s.a), val(s.b)
        d, m = _int(val(s.shape[0])), _int(val(s.shape[1]))
        r_M = val(s.r_M)
        inv_s = 1 - (0 if (mpmath.isinf(r_M) if exact else math.isinf(r_M)) else 1 / r_M)
        e = max(lib.num(0), inv_s - lib.num(1) / 2)
        lab = lib.log(a) + lib.log(b)
        lm = lib.log(lib.num(m))
        cands.append(
            (
                d * m,
                lab - lib.log(lib.num(d)) / 2 - e * lm - log_eps,
                f"X = (b/sqrt(d)) I_{d}: the class contains the Frobenius ball of radius a b m^-e/sqrt(d) in "
                f"R^({d}x{m}), e = max(0, 1/2 - 1/r_M)",
            )
        )
        cands.append((m, lab - e * lm - log_eps, "X = b e_1^T (one row): a Euclidean ball of radius a b m^-e in R^m"))
        cands.append((1, lab - log_eps, "A supported on one entry: the interval [-ab, ab]"))
    else:
        raise InputError("set", s, f"no lower bound known for {type(s).__name__}")
    for k, lr, text in cands:
        lb = _volume(lib, k, lr)
        if lb > best:
            best, why = lb, text + f"; N >= ceil((rho/(c eps))^{k})"
    if notes:
        why = notes[0] + "; " + why
    return best, why


_LAMBDAS: dict = {}


def _lambdified(expr, free, exact):
    key = (expr, free, exact)
    if key not in _LAMBDAS:
        _LAMBDAS[key] = sp.lambdify(free, expr, "mpmath" if exact else "math")
    return _LAMBDAS[key]


def integer_roles(cover: LogCoveringNumber) -> set:
    """Symbols that are dimensions or ranks of the cover's set (searched over integers)."""
    s = cover.set
    parts = {
        NormBall: lambda: [s.dim],
        SchattenBall: lambda: list(s.shape),
        LowRankBall: lambda: [s.rank, *s.shape],
        MaureyClass: lambda: list(s.shape),
    }[type(s)]()
    return {x for x in parts if isinstance(x, sp.Symbol)}


def attack_cover(bound, rng, deadline: float, stats: dict, *, batch: int = 200):
    """Refute ``ln N(K, d, eps) <= expr`` (or ``<``) by a proven lower bound above the right side: random points,
    then Nelder-Mead on the logarithms of the continuous parameters from the most promising ones."""
    from schattheory.numerics.backends import numpy_evaluator

    cover = bound.lhs
    params = tuple(s for s in bound.params if not isinstance(s, sp.MatrixSymbol))
    kinds = param_kinds(params, integer_roles(cover))
    rhs_np = numpy_evaluator(bound.expr, params)
    best: list = []
    t_opt = time.monotonic() + 0.6 * max(0.0, deadline - time.monotonic())

    def score(vals, right=None):
        try:
            lb, _ = log_cover_lower_bound(cover, vals)
            if right is None:
                with np.errstate(all="ignore"):
                    right = float(rhs_np(*[vals[s] for s in params]))
        except (OverflowError, ValueError, ZeroDivisionError, TypeError):
            return -np.inf
        if not np.isfinite(right) or (lb == 0 and right == 0):
            return -np.inf
        return (lb - right) / (abs(lb) + abs(right))  # lb = 0 (N >= 1) refutes a negative right side

    while time.monotonic() < t_opt:
        pts = sample(kinds, rng, batch, max_dim=1e6)
        mask = domain_mask(bound.assumptions, pts, batch)
        idx = np.flatnonzero(mask)
        if not idx.size:
            continue
        stats["points"] = stats.get("points", 0) + int(idx.size)
        with np.errstate(all="ignore"):
            rhs = np.broadcast_to(np.asarray(rhs_np(*[pts[s] for s in params]), dtype=float), (batch,))
        for i in idx:
            if time.monotonic() >= t_opt:
                break
            vals = {s: (int(pts[s][i]) if kinds[s] in ("dim", "index") else float(pts[s][i])) for s in params}
            sc = score(vals, rhs[i])
            if sc > 1e-9:
                found = confirm_cover(bound, vals)
                if found:
                    return found
            if np.isfinite(sc):
                best.append((sc, vals))
        best = sorted(best, key=lambda t: -t[0])[:8]
    return _optimise_cover(bound, params, kinds, best, score, deadline, stats)


def _optimise_cover(bound, params, kinds, starts, score, deadline, stats):
    from scipy.optimize import minimize

    from schattheory.analysis.falsifier.search import OutOfTime

    cont = [s for s in params if kinds[s] in ("exponent", "positive")]
    if not cont:
        return None
    for _, start in starts:
        if time.monotonic() >= deadline:
            break

        def values_at(x, start=start):
            vals = dict(start)
            vals.update({s: float(np.exp(np.clip(xi, -345.0, 345.0))) for s, xi in zip(cont, x)})
            return vals

        def objective(x):
            vals = values_at(x)
            if time.monotonic() > deadline:
                raise OutOfTime
            if not domain_mask(bound.assumptions, {s: np.array([vals[s]]) for s in params}, 1)[0]:
                return 1.0
            stats["points"] = stats.get("points", 0) + 1
            sc = score(vals)
            return -sc if np.isfinite(sc) else 1.0

        try:
            res = minimize(
                objective,
                np.log([start[s] for s in cont]),
                method="Nelder-Mead",
                options={"maxfev": 300, "xatol": 1e-10, "fatol": 1e-14},
            )
        except OutOfTime:
            return None
        if -res.fun > 1e-9:
            found = confirm_cover(bound, values_at(res.x))
            if found:
                return found
    return None


def confirm_cover(bound, vals):
    """The counterexample at ``vals`` when the lower bound exceeds the right side at 50 and 70 digits."""
    from schattheory.analysis.falsifier.search import EXACT_MARGIN, _assumption_text

    try:
        out = None
        for dps in (50, 70):
            with mpmath.workdps(dps):
                lb, why = log_cover_lower_bound(bound.lhs, vals, exact=True)
                right = bound.evaluate(vals, dps)
                if not (lb - right > EXACT_MARGIN * max(abs(lb), abs(right))):
                    return None
                if bound.relation not in ("<=", "<"):
                    return None
                out = out or (lb, right, why)
    except (InputError, ZeroDivisionError, OverflowError, ValueError, ArithmeticError):
        return None
    lb, right, why = out
    method = "packing" if why == "N >= 1" or "interval" in why or "^1)" in why else "volume"
    return Counterexample(
        bound.key, bound.relation, {str(k): v for k, v in vals.items()}, lb, right, method, _assumption_text(bound), why
    )
