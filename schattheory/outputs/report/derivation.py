r"""The report's main-theorem section: the bound derived step by step, and its forms at p -> 0+, p = 1, p -> oo.

The derivation is the engine's (:func:`schattheory.bounds.derivations.main_bound.derive_main_bound`: the network cover
from the repaired per-layer mixed cover); the three forms are limits of the transcribed per-layer complexity

.. math:: C_\ell(p) = X^{2p/(p+2)}\, \rho^{2/(p+2)}\, a^{2/(p+2)}\, \Omega^{p/(p+2)}

(X = B prod_i ||A_i|| / gamma, rho = r_l(p) the rank proxy, a = U_l + d_{l-1}, Omega = W_l), taken symbolically
with a time budget, checked against an mpmath sequence at p = 2^(+-k), and compared with the limits declared on the
independently encoded bound ``ledent2025.per_layer``.
"""

from __future__ import annotations

import re

import sympy as sp

from schattheory.outputs.report.sections import Section

__all__ = ["build", "TITLE", "forms"]

TITLE = "The main theorem: derivation and its forms at p -> 0, p = 1, p -> oo"
_EXAMPLE_POINT = {"X": 3, "rho": 5, "a": 128, "Omega": 1}


def forms(C, p, timeout: float = 20.0) -> list:
    """[(label, point, value, method, numeric check)] for p -> 0+, p = 1, p -> oo of the expression C."""
    import mpmath

    from schattheory.numerics.limits import numeric_sequence, timed_limit

    at = {s: sp.Integer(_EXAMPLE_POINT[s.name]) for s in C.free_symbols if s.name in _EXAMPLE_POINT}
    out = []
    for label, point in (("p -> 0+", 0), ("p = 1", 1), ("p -> oo", sp.oo)):
        if point == 1:
            value, method = sp.simplify(C.subs(p, 1)), "substitution"
        else:
            res = timed_limit(C, p, point, timeout=timeout, at=at)
            value, method = res.value, res.method
        check = ""
        if value is not None and point != 1 and not (C.free_symbols - {p} - set(at)):
            seq = numeric_sequence(C, p, point, at, count=6, start=8, step=8)
            last = seq[-1][1]
            want = sp.N(value.subs(at), 30)
            with mpmath.workdps(30):
                gap = abs(last - mpmath.mpf(str(want))) / max(abs(mpmath.mpf(str(want))), 1)
            check = (
                f"mpmath at p = {sp.sstr(seq[-1][0])} with {', '.join(f'{k}={v}' for k, v in at.items())}: "
                f"{mpmath.nstr(last, 12)} vs {sp.N(want, 12)} (relative gap {mpmath.nstr(gap, 2)})"
            )
        out.append((label, point, value, method, check))
    return out


def build(context=None) -> Section:
    from schattheory.bounds.derivations.main_bound import (
        compare_with_transcribed,
        derive_main_bound,
        transcribed_per_layer,
    )
    from schattheory.foundation.symbols import p
    from schattheory.lemmas.mixed_cover import c_star

    bound = derive_main_bound()
    der = bound.derivation
    cmp = compare_with_transcribed()
    C = transcribed_per_layer()
    fs = forms(C, p)
    cfs = forms(c_star(p), p)
    if context is not None:
        context["main_theorem"] = bound
    lhs = (
        sp.sstr(bound.lhs)
        if isinstance(bound.lhs, sp.Basic)
        else re.sub(r"\\text\{([^}]*)\}", r"\1", bound.lhs or "gap")
    )
    lines = [
        f"**Derived covering step** (`{bound.key}`, status *{bound.status.value}*; weakest step in the chain: "
        f"*{der.weakest_status().value}*):",
        "",
        "```",
        f"{lhs} <= {sp.sstr(bound.expr)}",
        "```",
        "",
        "and the transcribed per-layer complexity of Theorem 3.6 (dominant form, not derived)",
        "",
        "```",
        f"C_l(p) = {sp.sstr(C)}",
        "```",
        "",
        "X = B prod_i ||A_i|| / gamma (margin-normalised norm factor), rho = r_l(p) = sum_i (sigma_i/sigma_1)^p "
        "(rank proxy), a = U_l + d_(l-1), Omega = W_l (1 for dense layers under the default convention).",
        "",
        "**The chain of steps** (replayable; each names the lemma it uses and its status):",
        "",
        "```",
        der.describe(),
        "```",
        "",
        f"**Against the transcribed form** (SOURCES.md [P4.1], [P4.3]): the correct per-layer cover's rate is "
        f"{sp.sstr(cmp['derived'])}, not the transcribed summand; it matches {cmp['matches']}; differences: "
        f"{cmp['extra']}. The first release derived c_p C_l(p) from a mixed cover that charged the tail its "
        "spectral norm; that cover is false and the derivation is withdrawn. The certified explicit bound built "
        "on the correct cover is `ledent2025.fc.explicit` (proofs/main_bound).",
        "",
        "**The three forms of the transcribed per-layer complexity** (sympy with a time budget; the numeric "
        "column is an independent mpmath sequence at an example point):",
        "",
    ]
    from schattheory.outputs.report.markdown import table

    declared = _declared()
    rows = []
    for label, point, value, method, check in fs:
        dec = declared.get(point)
        agree = "" if dec is None else ("yes" if sp.simplify(dec - value) == 0 else f"NO (declared {sp.sstr(dec)})")
        rows.append([label, sp.sstr(value), method, check or "-", agree or "-"])
    lines += [
        table(["p", "C_l(p)", "method", "numeric check", "equals the limit declared on ledent2025.per_layer"], rows),
        "",
    ]
    lines += [
        "Reading the forms: as p -> 0+ the rank proxy rho tends to the rank, so C_l -> rank_l (U_l + d_(l-1)), "
        "a parameter count of a rank-r factorisation, and the bound becomes sqrt(L/N sum_l rank_l (U_l + "
        "d_(l-1))): sample complexity 2 W r L^2 for square layers (claim C04). At p = 1 it is the weighted "
        "geometric mean (rho a)^(2/3) (Omega X^2)^(1/3). As p -> oo it tends to Omega X^2 = W_l (B prod ||A_i|| "
        "/ gamma)^2, a purely norm-based complexity (width-free when W_l = 1, which is why the p -> oo claim "
        "C06 depends on the W_l convention).",
        "",
        "On the whole network the same limits give sqrt(L/N sum_l rank_l (U_l + d_(l-1))) (p -> 0+), "
        "sqrt(L/N sum_l (r_l(1) (U_l + d_(l-1)))^(2/3) (W_l X^2)^(1/3)) (p = 1) and X sqrt(L sum_l W_l / N) "
        "(p -> oo)." + _on_network(context),
        "",
        "The balancing constant of the repaired cover, c*_p = " + sp.sstr(c_star(p)) + " (balancing at "
        "exponent 2p/(2-p); the cover needs p < 2): "
        + "; ".join(f"{lab}: {sp.sstr(val)} ({meth})" for lab, _, val, meth, _ in cfs)
        + ".",
    ]
    summary = [
        f"main theorem's covering step derived ({len(der.steps)} steps, weakest status "
        f"{der.weakest_status().value}); transcribed C_l -> "
        + ", ".join(f"{sp.sstr(v)} at {lab}" for lab, _, v, _, _ in fs)
    ]
    data = {
        "key": bound.key,
        "expr": sp.sstr(bound.expr),
        "per_layer": sp.sstr(C),
        "steps": der.describe().splitlines()[1:],
        "ratio_to_transcribed": sp.sstr(cmp["ratio"]),
        "forms": [{"p": lab, "value": sp.sstr(v), "method": m, "numeric_check": c} for lab, _, v, m, c in fs],
    }
    return Section("theorem", TITLE, markdown="\n".join(lines) + "\n", summary=summary, data=data)


def _on_network(context) -> str:
    """The registered main bound on the report's network near p -> 0+, at p = 1 and near p -> oo (same p for every
    layer), through the bound families' API: the limits seen on real numbers."""
    net = (context or {}).get("network")
    stats = getattr(net, "stats", None)
    if stats is None or stats.data is None:
        return ""
    from schattheory.outputs.report.network import bounds_api

    api, _ = bounds_api()
    if api is None:
        return ""
    parts = []
    for label, p in (("p = 1e-6", 1e-6), ("p = 1", 1.0), ("p = 1e6", 1e6)):
        try:
            v = api.evaluate_network(stats, "ledent2025", "dominant", p)
        except Exception:  # noqa: BLE001  (a family that cannot be evaluated here: say nothing)
            return ""
        parts.append(f"{label}: {v.value:.4g}" if v.value is not None else f"{label}: 10^{v.log10_value:.2f}")
    return (
        " On the report's network the dominant main bound (fully-connected form, W_l = 1, every layer at the "
        "same p) is " + "; ".join(parts) + "."
    )


def _declared() -> dict:
    """Limits declared on the separately encoded per-layer bound (issue 4's registry entry), keyed by point."""
    try:
        from schattheory.core.registry import get

        return {lim.point: lim.value for lim in get("ledent2025.per_layer").limits}
    except KeyError:
        return {}
