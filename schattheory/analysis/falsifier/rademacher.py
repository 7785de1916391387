r"""Empirical Rademacher complexity of linear classes: exact values on adversarial samples, and Monte Carlo.

The class is :math:`\{Z\mapsto\langle W,Z\rangle:\|W\|\le R\}` on m x d matrices (``LinearClass``: S_p, Frobenius
or (2,1)), the sample n inputs with :math:`\|Z_i\|_F\le B`, and
:math:`\hat{\mathfrak R}_S = \mathbb E_s\sup_W\frac1n\sum_i s_i\langle W, Z_i\rangle = \frac1n\mathbb E_s
\sup_W\langle W, M_s\rangle`, :math:`M_s=\sum_i s_iZ_i`. A bound on it must hold for *every* admissible sample.

**Exact lower bounds by explicit witnesses** (sup >= the value at one admissible W, which may depend on s):

1. all :math:`Z_i = B E_{11}`: W = R sign(sum s) E_11 (every norm of E_11 is 1) gives
   :math:`\hat{\mathfrak R}_S\ge R B\,\mathbb E|s_1+\dots+s_n|/n`, with
   :math:`\mathbb E|S_n| = 2^{-n}\sum_k\binom nk|2k-n|` computed in exact integers;
2. :math:`Z_i = B E_{i1}` (n <= m; one column): W = R s e_1^T/sqrt(n) has every Schatten norm, Frobenius and (2,1)
   norm equal to R, and gives :math:`R B/\sqrt n`;
3. :math:`Z_i = B E_{ii}` (n <= min(m, d)) for the S_p class, p >= 1: W = R n^{-1/p} diag(s) (:math:`\|W\|_{S_p}=R`)
   gives :math:`R B n^{-1/p}`.

**Monte Carlo** (Gaussian inputs scaled to :math:`\|Z_i\|_F = B`): the per-draw supremum is exact by duality,
:math:`R\|M_s\|_*` with the dual norm (S_q, 1/p + 1/q = 1, for p >= 1; spectral for p <= 1, since the convex
hull of the S_p unit ball is the nuclear ball; Frobenius; (2,oo) = the largest column norm for (2,1)). Flipping
s_i changes the per-draw value :math:`R\|M_s\|_*/n` by at most :math:`c_i = 2R\|Z_i\|_*/n`. The mean of T
independent draws is a function of nT independent signs with differences c_i/T, so McDiarmid's inequality gives
:math:`P(\text{mean}-\hat{\mathfrak R}_S\ge t)\le\exp(-2t^2T/\sum_i c_i^2)`: with probability >= 1 - alpha,
:math:`\hat{\mathfrak R}_S\ge\text{mean}-\sqrt{\sum_i c_i^2\ln(1/\alpha)/(2T)}` (the lower confidence limit, LCL).
A statement is refuted by Monte Carlo only when its right side is below the LCL, alpha = 10^-9.
"""

from __future__ import annotations

import math
import time
from fractions import Fraction

import mpmath
import numpy as np
import sympy as sp

from schattheory.analysis.falsifier.points import domain_mask, param_kinds, sample
from schattheory.analysis.falsifier.result import Counterexample
from schattheory.foundation.errors import InputError
from schattheory.foundation.quantities import EmpiricalRademacher

__all__ = ["expected_abs_sum", "witness_lower_bound", "monte_carlo_lcl", "attack_rademacher", "ALPHA"]

ALPHA = 1e-9


def expected_abs_sum(n: int) -> Fraction:
    """E|s_1 + ... + s_n| over independent signs, exactly."""
    return Fraction(sum(math.comb(n, k) * abs(2 * k - n) for k in range(n + 1)), 2**n)


def _values(q: EmpiricalRademacher, v: dict, exact: bool):
    num = mpmath.mpf if exact else float

    def val(e):
        e = sp.sympify(e)
        if e.is_Symbol:
            return num(v[e])
        return num(mpmath.mpf(str(sp.N(e.subs(v), 80)))) if exact else float(e.subs(v))

    c = q.linear_class
    return (
        c.norm,
        val(c.radius),
        int(val(c.shape[0])),
        int(val(c.shape[1])),
        val(c.p),
        val(q.input_norm),
        int(val(q.samples)),
    )


def witness_lower_bound(q: EmpiricalRademacher, v: dict, exact: bool = False):
    """(lower bound on the empirical Rademacher complexity, argument) from the explicit witnesses above."""
    norm, R, m, d, p, B, n = _values(q, v, exact)
    num = mpmath.mpf if exact else float
    if n < 1:
        raise InputError("n", n, "needs at least one sample")
    if n <= 2000:
        e = expected_abs_sum(n)
        cands = [
            (
                R * B * num(e.numerator) / num(e.denominator) / n,
                f"all Z_i = B E_11: R B E|s_1+...+s_n|/n, E|S_{n}| = {e.numerator}/{e.denominator}",
            )
        ]
    else:
        cands = []
    if n <= m:
        cands.append(
            (
                R * B / mpmath.sqrt(n) if exact else R * B / math.sqrt(n),
                "Z_i = B E_i1 (one column), witness W = R s e_1^T/sqrt(n): R B/sqrt(n)",
            )
        )
    if norm == "S_p" and n <= min(m, d) and p >= 1:
        cands.append((R * B * num(n) ** (-1 / p), "Z_i = B E_ii, witness W = R n^(-1/p) diag(s): R B n^(-1/p)"))
    return max(cands, key=lambda t: t[0]) if cands else (num(0), "no witness")


def _dual(norm, p, M):
    """The dual norm of a batch of matrices M (T, m, d)."""
    if norm == "F":
        return np.sqrt((M**2).sum(axis=(1, 2)))
    if norm == "2,1":
        return np.sqrt((M**2).sum(axis=1)).max(axis=1)
    sv = np.linalg.svd(M, compute_uv=False)
    if p <= 1:
        return sv[:, 0]
    qd = p / (p - 1)
    top = sv[:, :1]
    with np.errstate(all="ignore"):
        out = top[:, 0] * ((sv / np.where(top > 0, top, 1)) ** qd).sum(axis=1) ** (1 / qd)
    return np.where(top[:, 0] > 0, out, 0.0)


def monte_carlo_lcl(norm, R, m, d, p, B, n, rng, draws: int = 400):
    """(mean, LCL) of the empirical Rademacher complexity on one Gaussian sample with ||Z_i||_F = B."""
    with np.errstate(all="ignore"):
        return _monte_carlo(norm, R, m, d, p, B, n, rng, draws)


def _monte_carlo(norm, R, m, d, p, B, n, rng, draws):
    # the value is R B times that of the unit class on unit inputs: computed at R = B = 1 and scaled at the end, so
    # that extreme R, B (1e-150..1e150) neither overflow nor underflow the McDiarmid width (c_i^2 ~ (R B)^2 did)
    Z = rng.standard_normal((n, m, d))
    Z /= np.sqrt((Z**2).sum(axis=(1, 2)))[:, None, None]
    s = rng.choice([-1.0, 1.0], size=(draws, n))
    M = np.einsum("tn,nij->tij", s, Z)
    vals = _dual(norm, p, M) / n
    c = 2 * _dual(norm, p, Z) / n
    mean = float(vals.mean())
    lcl = mean - math.sqrt(float((c**2).sum()) * math.log(1 / ALPHA) / (2 * draws))
    scale = R * B
    return mean * scale, lcl * scale


def attack_rademacher(bound, rng, deadline: float, stats: dict, *, batch: int = 64):
    """Refute ``R_S(class) <= expr`` by an exact witness value, then by a Monte-Carlo LCL, above the right side."""
    from schattheory.analysis.falsifier.search import EXACT_MARGIN, _assumption_text
    from schattheory.numerics.backends import numpy_evaluator

    q = bound.lhs
    c = q.linear_class
    roles = {x for x in (*c.shape, q.samples) if isinstance(x, sp.Symbol)}
    params = tuple(s for s in bound.params if not isinstance(s, sp.MatrixSymbol))
    kinds = param_kinds(params, roles)
    rhs_np = numpy_evaluator(bound.expr, params)
    mc_until = deadline
    while time.monotonic() < mc_until:
        pts = sample(kinds, rng, batch, max_dim=1000)
        for s in roles & set(params):  # keep samples and shapes small enough for exact sums and SVDs
            pts[s] = np.minimum(pts[s], rng.integers(1, 40, batch))
        mask = domain_mask(bound.assumptions, pts, batch)
        with np.errstate(all="ignore"):
            rhs = np.broadcast_to(np.asarray(rhs_np(*[pts[s] for s in params]), dtype=float), (batch,))
        for i in np.flatnonzero(mask):
            vals = {s: (int(pts[s][i]) if kinds[s] in ("dim", "index") else float(pts[s][i])) for s in params}
            stats["points"] = stats.get("points", 0) + 1
            try:
                lb, why = witness_lower_bound(q, vals)
                method = "witness"
                if not (lb > rhs[i] * (1 + 1e-9)) and rng.random() < 0.2:
                    norm, R, m, d, p, B, n = _values(q, vals, False)
                    if m * d <= 64 and n <= 200 and np.isfinite(R * B) and R * B > 0:
                        mean, lcl = monte_carlo_lcl(norm, R, m, d, p, B, n, rng)
                        lb, why, method = (
                            lcl,
                            (
                                f"Monte Carlo, 400 sign draws on Gaussian inputs: mean {mean:.6g}, "
                                f"McDiarmid LCL (alpha = {ALPHA:g})"
                            ),
                            "monte-carlo",
                        )
            except (InputError, OverflowError, ValueError, ZeroDivisionError):
                continue
            if np.isfinite(rhs[i]) and lb > rhs[i] * (1 + 1e-9) + 0:
                with mpmath.workdps(50):
                    try:
                        right = bound.evaluate(vals, 50)
                    except InputError:
                        continue
                    if method == "witness":
                        lb, why = witness_lower_bound(q, vals, exact=True)
                        ok = lb - right > EXACT_MARGIN * max(abs(lb), abs(right))
                    else:
                        lb = mpmath.mpf(lb)
                        ok = lb > right * (1 + mpmath.mpf(10) ** -9)
                    if ok and bound.relation in ("<=", "<"):
                        return Counterexample(
                            bound.key,
                            bound.relation,
                            {str(k): v for k, v in vals.items()},
                            lb,
                            right,
                            method,
                            _assumption_text(bound),
                            why,
                        )
    return None
