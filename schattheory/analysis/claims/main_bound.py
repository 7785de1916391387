"""C04 to C06, C12 and C13: the main bound's limits in p, its p = 1 form, its interpolation and its depth."""

from __future__ import annotations

import numpy as np
import sympy as sp

from schattheory.analysis.asymptotics import growth, sample_complexity
from schattheory.analysis.claims.context import growth_by_name, growth_text, slopes
from schattheory.analysis.claims.result import plain
from schattheory.analysis.claims.verdicts import AllOf, Check, Consistency, Conventions, Exponents
from schattheory.bounds.ledent2025 import SUMMAND
from schattheory.core.registry import get
from schattheory.foundation import symbols as S
from schattheory.numerics.limits import timed_limit

__all__ = ["main_p_to_zero", "main_p_one", "main_p_to_infinity", "interpolation", "depth_claim"]


def _main_limit(ctx, point, variant):
    key = "ledent2025.square.dominant" if variant == "fc" else "ledent2025.square_wl_width.dominant"
    b = get(key)
    res = timed_limit(b.expr, S.p, point, timeout=ctx.timeout)
    declared = next(lim for lim in b.limits if lim.point == point)
    sc = sample_complexity(res.value)
    g = growth(sc.expr, [S.W, S.L, S.r], numeric=False)
    ex = b.example_values
    fn = b.numeric("mpmath")
    pts = [sp.Integer(2) ** (-k) for k in (4, 8, 16)] if point == 0 else [sp.Integer(2) ** k for k in (4, 8, 16)]
    seq = tuple((float(x), float(fn(*[x if s_ == S.p else ex[s_] for s_ in b.params]))) for x in pts)
    target = float(declared.value.subs(ex))
    consistent = Consistency(
        f"{key}: symbolic limit p -> {point} equals the declared one",
        res.method == "symbolic" and sp.simplify(res.value - declared.value) == 0,
        f"{res.value} ({res.method})",
    )
    return res, declared, sc, g, seq, target, consistent


def main_p_to_zero(ctx):
    res, declared, sc, g, seq, target, consistent = _main_limit(ctx, 0, "fc")
    res_w, *_, consistent_w = _main_limit(ctx, 0, "fc_wl_width")
    fc3 = get("ledent2025.fc.dominant")
    lim3 = next(lim for lim in fc3.limits if lim.point == 0)
    r3 = timed_limit(lim3.of, lim3.symbol, 0, timeout=ctx.timeout)
    finding = AllOf(
        "C04",
        (
            Exponents("sample complexity at p -> 0+", growth_by_name(g), {"W": 1, "r": 1, "L": 2}),
            Check("the same limit under W_l = w_l", sp.simplify(res_w.value - res.value) == 0),
            consistent,
            consistent_w,
            Consistency(
                "L = 3 per-layer form: limit p -> 0+ equals the declared one",
                sp.simplify(r3.value - lim3.value) == 0,
                f"{r3.value} ({r3.method})",
            ),
            Consistency("the bound at p = 2^-16 approaches the limit", abs(seq[-1][1] - target) <= 1e-3 * abs(target)),
        ),
    )
    return dict(
        finding=finding,
        checked_against=(
            "ledent2025.square.dominant",
            "ledent2025.square_wl_width.dominant",
            "ledent2025.fc.dominant",
            "ledent2025.per_layer",
        ),
        convention="independent of the W_l convention (W_l^(p/(p+2)) -> 1) and of the margin placement "
        "((B prod s/gamma)^(2p/(p+2)) -> 1); rank proxy r_l(p) -> rank_l",
        evidence={
            "limit p->0+ (square)": f"{res.value} ({res.method})",
            "sample_complexity": sp.sstr(sc.expr),
            "growth": growth_by_name(g),
            "limit p->0+ (L = 3, per-layer)": f"{r3.value} ({r3.method})",
            "general form": "N ~ L sum_l rank_l (w_l + w_{l-1}) = 2 W r L^2 for square layers",
        },
        numeric=(("p", "bound at the example point (W=64, r=4, L=4, N=1e4, X=3)"),) + seq + (("limit", target),),
        derivation="C_l(p) -> rank_l (w_l + w_{l-1}) as p -> 0+, so the bound tends to sqrt(L/N sum_l rank_l "
        f"(w_l + w_{{l-1}})) and N ~ {sp.sstr(sc.expr)} with norms normalised, "
        f"growth {growth_text({'growth': growth_by_name(g)})}.",
    )


def main_p_one(ctx):
    rho, a, X, Om = S.rho, S.a, S.X, S.Omega
    C1 = SUMMAND.subs(S.p, 1)
    geo = sp.Rational(2, 3) * sp.log(rho * a) + sp.Rational(1, 3) * sp.log(X**2 * Om)
    same = sp.simplify(sp.expand_log(sp.log(C1), force=True) - sp.expand_log(geo, force=True)) == 0
    p0, p1, pinf = (
        ctx.row("Schatten bound, p -> 0+"),
        ctx.row("Schatten bound, p = 1"),
        ctx.row("Schatten bound, p -> oo, W_l = 1"),
    )
    between = all(
        min(p0["growth"][v], pinf["growth"][v]) <= p1["growth"][v] <= max(p0["growth"][v], pinf["growth"][v])
        for v in ("W", "r")
    )
    rng = np.random.default_rng(5)
    fn = sp.lambdify((rho, a, X, Om), C1, "math")
    pts = []
    for _ in range(5):
        rv, av, xv, ov = rng.uniform(1, 50), rng.uniform(10, 2000), rng.uniform(0.1, 100), 1.0
        par, nrm = rv * av, xv**2 * ov
        pts.append((round(par, 3), round(nrm, 3), fn(rv, av, xv, ov)))
    inside = all(min(x, y) <= c <= max(x, y) for x, y, c in pts)
    finding = AllOf(
        "C05",
        (
            Check("log C(1) = 2/3 log(parametric) + 1/3 log(norm)", same),
            Check("the W and r exponents at p = 1 lie between those at p -> 0+ and p -> oo", between),
            Consistency("C(1) between the two counts at 5 random points", inside),
        ),
    )
    return dict(
        finding=finding,
        checked_against=("ledent2025.per_layer", "ledent2025.square.dominant"),
        convention="W_l = 1; 'balances' read as: a weighted geometric mean with weight 2/3 on the parametric count "
        "and 1/3 on the norm count (not an equal balance)",
        evidence={
            "C(1)": sp.sstr(C1),
            "log C(1) = 2/3 log(rho a) + 1/3 log(X^2 Omega)": same,
            "sample complexity at p = 1": sp.sstr(p1["sample_complexity"]),
            "growth p=0+ / p=1 / p=oo": f"{growth_text(p0)} | {growth_text(p1)} | {growth_text(pinf)}",
        },
        numeric=(("parametric rho a", "norm X^2", "C(1)"),) + tuple(pts),
        derivation="C_l(1) = (r_l(1) (w_l + w_{l-1}))^(2/3) (X^2 W_l)^(1/3) lies between the parametric and the "
        f"norm-based counts; the sample complexity {sp.sstr(p1['sample_complexity'])} sits between "
        f"{sp.sstr(p0['sample_complexity'])} (p -> 0+) and {sp.sstr(pinf['sample_complexity'])} "
        "(p -> oo, W_l = 1).",
    )


def main_p_to_infinity(ctx):
    res, declared, sc, g, seq, target, consistent = _main_limit(ctx, sp.oo, "fc")
    res_w, declared_w, sc_w, g_w, seq_w, target_w, consistent_w = _main_limit(ctx, sp.oo, "fc_wl_width")
    claim = {"W": 2, "L": 1}
    finding = Conventions(
        "C06",
        (
            ("W_l = 1", AllOf("p -> oo", (Exponents("sample complexity", growth_by_name(g), claim), consistent))),
            ("W_l = w_l", AllOf("p -> oo", (Exponents("sample complexity", growth_by_name(g_w), claim), consistent_w))),
        ),
    )
    return dict(
        finding=finding,
        checked_against=("ledent2025.square.dominant", "ledent2025.square_wl_width.dominant", "ledent2025.per_layer"),
        convention="examined under W_l = 1 (S2's code) and W_l = w_l (caveat C1); norms normalised "
        "(B prod s / gamma = 1)",
        evidence={
            "limit p->oo, W_l = 1": f"{res.value} ({res.method})",
            "sample complexity, W_l = 1": sp.sstr(sc.expr),
            "growth, W_l = 1": growth_by_name(g),
            "limit p->oo, W_l = w_l": f"{res_w.value} ({res_w.method})",
            "sample complexity, W_l = w_l": sp.sstr(sc_w.expr),
            "growth, W_l = w_l": growth_by_name(g_w),
            "claimed": "W^2 L",
            "note": "W_l = 1 makes the p -> oo endpoint a width-free spectral bound, which known lower bounds "
            "rule out; the depth is L^2 from the sqrt(L/N) prefactor times the sum over L layers",
        },
        numeric=(("p", "bound, W_l = 1"),)
        + seq
        + (("limit", target), ("p", "bound, W_l = w_l"))
        + seq_w
        + (("limit", target_w),),
        derivation=f"C_l(p) -> X^2 W_l as p -> oo, so N ~ L sum_l X^2 W_l: {sp.sstr(sc.expr)} (W_l = 1) or "
        f"{sp.sstr(sc_w.expr)} (W_l = w_l) with norms normalised, against the claimed W^2 L.",
    )


def interpolation(ctx):
    b = get("ledent2025.per_layer")
    lims, parts = {}, []
    for lim in b.limits:
        res = timed_limit(b.expr, S.p, lim.point, timeout=ctx.timeout)
        lims[f"p -> {lim.point}"] = f"{res.value} ({res.method}); declared {lim.value}"
        parts.append(
            Check(
                f"limit p -> {lim.point} is the declared endpoint {lim.value}",
                res.ok and sp.simplify(res.value - lim.value) == 0,
                f"{res.value} ({res.method})",
            )
        )
    # flat rank-r spectrum: log C(p) = (2/(p+2)) log(r a) + (p/(p+2)) log(X^2 Omega): monotone in p
    t = 2 / (S.p + 2)
    dlog = sp.simplify(sp.diff(t * sp.log(S.rho * S.a) + (1 - t) * sp.log(S.X**2 * S.Omega), S.p))
    sign_rule = sp.simplify(dlog * (S.p + 2) ** 2 / 2 - (sp.log(S.X**2 * S.Omega) - sp.log(S.rho * S.a)))
    parts.append(
        Check("d log C/dp has the sign of log(X^2 W_l) - log(r a) (monotone between the endpoints)", sign_rule == 0)
    )
    by_x = {}
    for row in ctx.sweep["rows"]:
        by_x.setdefault(row["X"], []).append((row["alpha"], round(row["best_p_fc"], 4)))
    varies = [x for x, best in by_x.items() if len({p_ for _, p_ in best}) > 1]
    parts.append(
        Check(
            "the best p (first layer) changes with the spectrum sigma_i = i^(-alpha) at some X",
            bool(varies),
            f"it does at X in {varies}, not at X in {[x for x in by_x if x not in varies]}",
        )
    )
    return dict(
        finding=AllOf("C12", tuple(parts)),
        checked_against=("ledent2025.per_layer", "ledent2025.fc.dominant"),
        convention="W_l = 1 (with W_l = w_l the p -> oo endpoint carries the width); the p -> oo endpoint under "
        "W_l = 1 is width-free, which lower bounds rule out (caveat C1)",
        evidence={
            "limits": lims,
            "d log C / dp (flat spectrum)": sp.sstr(dlog),
            "rule": "d log C/dp has the sign of log(X^2 W_l) - log(r a): small p is best exactly when the "
            "parametric count r (U + d) is below the norm count X^2 W_l",
            "continuity": "C(p) is a composition of continuous functions of p on (0, oo), r(p) included",
        },
        numeric=(("X", "(alpha, best p of the first layer)"),) + tuple((x, tuple(b)) for x, b in by_x.items()),
        derivation="C_l(p) = (r_l(p) a_l)^(2/(p+2)) (X^2 W_l)^(p/(p+2)) is a weighted geometric mean moving from "
        "the rank count (p -> 0+) to the norm count (p -> oo). On the synthetic sweep the best p changes "
        f"with the decay exponent alpha at X in {varies}; at X in {[x for x in by_x if x not in varies]} "
        "it is the same for every spectrum.",
    )


def depth_claim(ctx):
    main = ctx.row("Schatten bound, p -> 0+")
    linear = [r["label"] for r in ctx.table.values() if r["depth_exponent"] == 1]
    finding = AllOf(
        "C13",
        (
            Exponents("main bound at p -> 0+, depth", {"L": main["depth_exponent"]}, {"L": 2}),
            Check("some classical bound has depth exponent 1", bool(linear), ", ".join(linear)),
        ),
    )
    return dict(
        finding=finding,
        checked_against=(
            "ledent2025.square.dominant",
            "counting.graf2022.rademacher",
            "bartlett2017.dominant",
            "neyshabur2018.dominant",
            "counting.dominant",
        ),
        convention="norms normalised; depth exponent of the sample complexity with polylogs stripped",
        evidence={
            "main bound depth exponent (p -> 0+)": main["depth_exponent"],
            "depth exponents": {r["label"]: plain(r["depth_exponent"]) for r in ctx.table.values()},
            "classical bounds with O(L)": linear,
        },
        numeric=slopes(main["sample_complexity"], S.L, "main, p -> 0+")
        + slopes(ctx.row("parameter counting (Graf")["sample_complexity"], S.L, "Graf et al. (slope -> 1)"),
        derivation=f"N ~ {sp.sstr(main['sample_complexity'])} at p -> 0+ (one L from sqrt(L/N), one from the sum "
        f"over layers); depth exponent 1 for: {', '.join(linear) or 'none'}.",
    )
