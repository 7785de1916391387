"""C01 to C03: the Schatten quasi-norm, its limits in p, and weight decay as a Schatten 2/L penalty."""

from __future__ import annotations

import numpy as np
import sympy as sp

from schattheory.analysis.claims.verdicts import AllOf, Check, Consistency
from schattheory.core.registry import get
from schattheory.foundation import symbols as S
from schattheory.lemmas.weight_decay import balanced_factorization, min_weight_decay
from schattheory.numerics.limits import numeric_sequence, timed_limit
from schattheory.numerics.matrix import schatten_norm
from schattheory.numerics.schatten import (
    FrobeniusNorm,
    NuclearNorm,
    SchattenNorm,
    SpectralNorm,
    limit_norm_at_infinity,
    rank_proxy_form,
)

__all__ = ["schatten_definition", "schatten_limits", "weight_decay"]


def schatten_definition(ctx):
    A = S.A
    special = {
        "oo": SchattenNorm(A, sp.oo) == SpectralNorm(A),
        "2": SchattenNorm(A, 2) == FrobeniusNorm(A),
        "1": SchattenNorm(A, 1) == NuclearNorm(A),
    }
    sig = S.spectrum(3)
    deriv = sp.diff(rank_proxy_form(sig, S.p), S.p)
    # each term log(sigma_i/sigma_1) (sigma_i/sigma_1)^p is <= 0 when sigma_i <= sigma_1
    u = sp.Symbol("u", positive=True)
    term = sp.diff(u**S.p, S.p)  # u^p log u, u = sigma_i/sigma_1 in (0, 1]
    nonpos = bool(sp.simplify(term.subs(u, sp.Rational(1, 2))).is_negative) and term.subs(u, 1) == 0
    rng = np.random.default_rng(1)
    M = rng.normal(size=(6, 4))
    sv = np.linalg.svd(M, compute_uv=False)
    numeric = (
        (1, float(schatten_norm(M, 1)), float(sv.sum())),
        (2, float(schatten_norm(M, 2)), float(np.sqrt((sv**2).sum()))),
        (2**12, float(schatten_norm(M, 2**12)), float(sv[0])),
    )
    proxies = tuple((float(pp), float(np.sum((sv / sv[0]) ** pp))) for pp in (2.0**-8, 0.5, 1, 2, 8, 64))
    finding = AllOf(
        "C01",
        (
            Check("S_oo, S_2, S_1 are the spectral, Frobenius and nuclear norms", all(special.values())),
            Check("each term of d r(p)/dp is <= 0 (r(p) non-increasing)", nonpos),
            Check(
                "r(p) non-increasing on p = 2^-8 .. 64 for a random 6 x 4 matrix",
                all(proxies[i][1] >= proxies[i + 1][1] for i in range(len(proxies) - 1)),
            ),
            Consistency(
                "schatten_norm at p = 1, 2 equals numpy's nuclear and Frobenius norms",
                all(abs(a_ - b_) <= 1e-9 * b_ for _, a_, b_ in numeric[:2]),
            ),
            Consistency(
                "schatten_norm at p = 2^12 within 1% of the spectral norm",
                abs(numeric[2][1] - numeric[2][2]) <= 1e-2 * numeric[2][2],
            ),
        ),
    )
    return dict(
        finding=finding,
        checked_against=("schatten.norm", "schatten.rank_proxy", "schatten.monotonicity"),
        convention="(sum sigma_i^p)^(1/p) is a norm for p >= 1 and a quasi-norm for 0 < p < 1",
        evidence={
            "special_values": special,
            "d r(p)/dp": sp.sstr(deriv),
            "sign": "each term (sigma_i/sigma_1)^p log(sigma_i/sigma_1) <= 0: r(p) is non-increasing, "
            "from rank(A) at p -> 0+ to the multiplicity of sigma_1 at p -> oo",
        },
        numeric=numeric + tuple(("r(p)", pp, val) for pp, val in proxies),
        derivation="SchattenNorm evaluates to the spectral, Frobenius and nuclear norms at p = oo, 2, 1; the rank "
        "proxy r(p) = ||A||_{S_p}^p/||A||^p has derivative sum_i u_i^p log u_i <= 0 (u_i <= 1), so "
        "smaller p weighs small singular values more (rank-sensitive).",
    )


def schatten_limits(ctx):
    out, numeric, parts = {}, [], []
    for key, point, expected in (
        ("schatten.power_sum", 0, 3),
        ("schatten.norm", sp.oo, S.sigma(1)),
        ("schatten.rank_proxy", 0, 3),
    ):
        b = get(key)
        declared = next(lim for lim in b.limits if lim.point == point)
        if point is sp.oo:
            res = limit_norm_at_infinity(3, timeout=ctx.timeout)
        else:
            res = timed_limit(b.expr, S.p, point, timeout=ctx.timeout)
        at = {k_: v for k_, v in b.example_values.items() if k_ != S.p}
        seq = numeric_sequence(b.expr, S.p, point, at, count=6, start=4, step=6)
        target = float(declared.value.subs(at))
        parts.append(
            Check(
                f"{key}: the limit p -> {point} is {expected}",
                res.ok and sp.simplify(res.value - expected) == 0,
                f"{res.value} ({res.method})",
            )
        )
        parts.append(
            Consistency(f"{key}: declared limit equals the computed one", sp.simplify(declared.value - expected) == 0)
        )
        parts.append(
            Consistency(
                f"{key}: 50-digit sequence approaches the limit",
                abs(float(seq[-1][1]) - target) <= 1e-6 * max(1.0, abs(target)),
            )
        )
        out[f"{key}, p -> {point}"] = f"{res.value} ({res.method}); declared {declared.value}"
        numeric.append((key, [(float(x), float(v)) for x, v in seq[-3:]]))
    return dict(
        finding=AllOf("C02", tuple(parts)),
        checked_against=("schatten.power_sum", "schatten.norm", "schatten.rank_proxy"),
        convention="the limit of sum_i sigma_i^p is the rank; the quasi-norm (sum sigma_i^p)^(1/p) itself diverges "
        "as p -> 0+ once rank >= 2",
        evidence=out,
        numeric=tuple(numeric),
        derivation="sigma_i^p -> 1 for each nonzero sigma_i as p -> 0+, so the sum counts them; "
        "sigma_1 (1 + sum_{i>1} (sigma_i/sigma_1)^p)^(1/p) -> sigma_1 as p -> oo (SymPy on the "
        "normalised form, mpmath sequence at p = 2^{+-k}).",
    )


def _refactorisations(factors, rng, trials):
    """Other factorisations of the same product: W_i <- M_i W_i, W_{i+1} <- W_{i+1} M_i^-1, far from and near
    the balanced one (M_i random, or the identity plus a small perturbation)."""
    k = factors[0].shape[0]
    for trial in range(trials):
        scale = 1.0 if trial % 2 else 0.02
        fs = list(factors)
        for i in range(len(fs) - 1):
            Mx = np.eye(k) * (trial % 2 == 0) + scale * rng.normal(size=(k, k))
            fs[i] = Mx @ fs[i]
            fs[i + 1] = fs[i + 1] @ np.linalg.inv(Mx)
        yield fs


def weight_decay(ctx):
    a = sp.Symbol("a", positive=True)
    Ls = sp.Symbol("L", positive=True, integer=True)
    # scalar case: factors w_i = a^(1/L) attain sum w_i^2 = L a^(2/L); AM-GM gives the lower bound
    attained = sp.simplify(Ls * (a ** (1 / Ls)) ** 2 - Ls * a ** (2 / Ls)) == 0
    rng = np.random.default_rng(3)
    A = rng.normal(size=(7, 5)) @ np.diag([3, 1, 0.5, 0, 0]) @ rng.normal(size=(5, 5))
    rows, worst, same_product = [], np.inf, True
    for depth in (2, 3, 4):
        target = min_weight_decay(A, depth)
        factors = balanced_factorization(A, depth)
        balanced = sum(float(np.sum(f**2)) for f in factors)
        for fs in _refactorisations(factors, rng, 400):
            prod = fs[0]
            for f in fs[1:]:
                prod = f @ prod
            same_product &= bool(np.allclose(prod, A, atol=1e-6 * np.abs(A).max()))
            worst = min(worst, sum(float(np.sum(f**2)) for f in fs) / target)
        rows.append((depth, balanced, target))
    # A has rank 3 but two float singular values of order 1e-16: their (2/L)-th powers (up to ~1e-8 at L = 4)
    # enter both sides differently, hence 1e-6 rather than rounding-level agreement
    finding = AllOf(
        "C03",
        (
            Check("scalar case: a^(1/L) factors attain L a^(2/L) (AM-GM equality)", attained),
            Check(
                "the balanced factorisation attains L sum sigma^(2/L) at L = 2, 3, 4",
                all(abs(b_ - t_) <= 1e-6 * t_ for _, b_, t_ in rows),
            ),
            Check(
                "1200 other factorisations never go below L sum sigma^(2/L)",
                worst >= 1 - 1e-9,
                f"least ratio {worst:.6g}",
            ),
            Consistency("the other factorisations multiply to the same matrix", same_product),
        ),
    )
    return dict(
        finding=finding,
        checked_against=("schatten.weight_decay", "schatten.norm"),
        convention="min over A = W_L ... W_1 of sum_l ||W_l||_F^2 = L ||A||_{S_{2/L}}^{2/L} (inner widths >= rank)",
        evidence={
            "scalar_equality_case": attained,
            "lower_bound": "Schatten-Hoelder ||W_L...W_1||_{S_{2/L}} <= prod ||W_l||_F, then AM-GM",
            "min_ratio_random_factorisations": worst,
        },
        numeric=tuple(("L", d_, "balanced sum ||W_l||_F^2", b_, "L sum sigma^(2/L)", t_) for d_, b_, t_ in rows),
        derivation="The balanced SVD factors W_1 = Sigma^(1/L) V^T, W_l = Sigma^(1/L), W_L = U Sigma^(1/L) "
        "(weight_decay.balanced_factorization) attain L sum_i sigma_i^(2/L); 1200 random "
        "re-factorisations never go below it (ratio >= 1).",
    )
