"""The report's network section: per-layer spectra and ranks, and every bound evaluated on one network.

Per-layer numbers come from :class:`~schattheory.foundation.netstats.LayerStats` (core dependencies only). Bound values
come from the bound families and their network evaluation (``schattheory.bounds`` and ``schattheory.networks``); a
family that cannot be evaluated on the network is listed with its reason.

The bundled network's first layer is 64 x 64 with a bias: folded into homogeneous coordinates it is 65 x 65.

>>> from schattheory.data import bundled_network
>>> row = layer_row(bundled_network().layers[0])
>>> row["name"], row["shape"], row["rank_proxy_p0"] == row["rank"]
('fc1', [65, 65], True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from schattheory.outputs.report.markdown import fmt, table
from schattheory.outputs.report.sections import Section

__all__ = ["P_GRID", "RANK_TOLS", "DEFAULT_PS", "layer_row", "NetworkResult", "evaluate_stats", "bounds_api", "build"]

#: fixed Schatten exponents at which the p-indexed bounds are evaluated (the same p for every layer)
DEFAULT_PS = (0.5, 1.0, 2.0)

#: exponents at which per-layer rank proxies sum_i (sigma_i/sigma_1)^p are tabulated (p = 0: numerical rank)
P_GRID = (0, 0.25, 0.5, 1, 2)
#: relative thresholds: rank_rel{tau} counts sigma_i > tau * sigma_1 (the bottleneck-rank picture)
RANK_TOLS = (1e-2, 1e-3)


def layer_row(lay) -> dict:
    """Shape, norms, numerical and relative ranks, stable/effective rank and rank proxies of one layer."""
    row = {
        "name": lay.name,
        "shape": list(lay.shape),
        "spectral": lay.spectral,
        "frobenius": lay.frobenius,
        "nuclear": lay.nuclear,
        "norm21": lay.norm21,
        "rank": lay.rank,
        "stable_rank": lay.stable_rank,
        "effective_rank": lay.effective_rank,
    }
    for tau in RANK_TOLS:
        row[f"rank_rel{tau:g}"] = int(np.count_nonzero(lay.sigma > tau * lay.sigma[0]))
    for p in P_GRID:
        row[f"rank_proxy_p{p:g}"] = lay.rank_proxy(p) if p else lay.rank
    return row


@dataclass
class NetworkResult:
    """What the report knows about one network: layer rows, bound rows and whether bounds could be evaluated."""

    source: str
    layers: list
    data: dict | None
    bounds: list = field(default_factory=list)  # {key, family, mode, p, p_rule, value, log10_value, ...}
    skipped: list = field(default_factory=list)  # {family, mode, p_rule, reason}
    available: bool = False
    status: str = ""
    curves: dict = field(default_factory=dict)  # optional: main bound against p, per layer and network
    spectra: list = field(default_factory=list)  # (name, sigma array) for the figures
    stats: object = None  # the NetworkStats evaluated

    def best(self):
        """Per (key, mode) the smallest log10 value over the p's evaluated, sorted tightest first."""
        best = {}
        for row in self.bounds:
            k = (row["key"], row["mode"])
            v = row.get("log10_value")
            if v is not None and math.isfinite(v) and (k not in best or v < best[k]["log10_value"]):
                best[k] = row
        return sorted(best.values(), key=lambda r: r["log10_value"])


def _data_dict(data) -> dict | None:
    if data is None:
        return None
    return {
        "n": data.n,
        "input_norm": data.input_norm,
        "data_frobenius": data.data_frobenius,
        "margin": data.margin,
        "margin_loss": data.margin_loss,
        "num_classes": data.num_classes,
        "margin_rule": data.margin_rule,
    }


def bounds_api():
    """``(schattheory.bounds.network, "")``: the bound families' evaluation on a NetworkStats (always installed; the
    pair keeps the callers' signature)."""
    from schattheory.bounds import network

    return network, ""


def _row(v, p_rule) -> dict:
    p = v.p
    if isinstance(p, (tuple, list)):
        p = [float(x) for x in p]
    elif p is not None:
        p = float(p)
    return {
        "key": v.key,
        "family": v.family,
        "mode": v.mode,
        "p": p,
        "p_rule": p_rule,
        "value": None if v.value is None or not math.isfinite(v.value) else float(v.value),
        "log10_value": float(v.log10_value),
        "status": (v.details or {}).get("status", ""),
        "note": (v.details or {}).get("note", ""),
        "union_bound": (v.details or {}).get("union_bound", ""),
        "certified": (v.details or {}).get("certified", ""),
    }


def evaluate_stats(stats, ps=DEFAULT_PS, *, curves: bool = True, delta: float = 0.01) -> NetworkResult:
    """Layer rows for ``stats`` and every registered network bound on it: each family in both modes; families
    with a Schatten exponent at each fixed p in ``ps`` (the same p for every layer) and with p optimised per layer
    on the default grid (the explicit mode pays the union bound over the grid)."""
    res = NetworkResult(
        source=stats.source,
        layers=[layer_row(lay) for lay in stats.layers],
        data=_data_dict(stats.data),
        spectra=[(lay.name, lay.sigma) for lay in stats.layers],
        stats=stats,
    )
    if stats.data is None:
        res.status = "no data statistics (n, input norm, margin) were given, so no bound can be evaluated"
        return res
    api, why = bounds_api()
    if api is None:
        res.status = f"bound evaluation unavailable: {why}"
        return res
    from schattheory.foundation.errors import InputError

    p_families = set(api.p_families()) if hasattr(api, "p_families") else set(getattr(api, "_LEDENT", ()))
    for family in api.network_families():
        for mode in ("dominant", "explicit"):
            calls = []
            if family in p_families:
                calls += [("fixed", lambda p=p: api.evaluate_network(stats, family, mode, p, delta=delta)) for p in ps]
                calls.append(
                    (
                        "optimised per layer",
                        lambda: api.optimise_ledent_p(stats, None, mode, delta=delta, family=family),
                    )
                )
            else:
                calls.append((None, lambda: api.evaluate_network(stats, family, mode, delta=delta)))
            for rule, call in calls:
                try:
                    res.bounds.append(_row(call(), rule))
                except (InputError, ValueError, NotImplementedError) as exc:  # a reason the family gives
                    res.skipped.append({"family": family, "mode": mode, "p_rule": rule, "reason": str(exc)})
                except Exception as exc:  # noqa: BLE001  (a failing family is reported, the others still run)
                    res.skipped.append(
                        {
                            "family": family,
                            "mode": mode,
                            "p_rule": rule,
                            "reason": f"evaluation failed: {type(exc).__name__}: {exc}",
                        }
                    )
    res.available = bool(res.bounds)
    res.status = (
        "every registered network bound evaluated (dominant: constants and logs dropped, as in the "
        "paper's comparison; explicit: every constant and the confidence term, where the source gives "
        f"them; delta = {delta:g})"
    )
    if curves:
        res.curves = _curves(api, stats, delta, res)
    return res


def _curves(api, stats, delta, res) -> dict:
    """log10 of the main bound against a common p, per mode, and of every baseline (flat in p)."""
    grid = np.logspace(-2, np.log10(20.0), 60)
    out = {}
    for mode in ("dominant", "explicit"):
        try:
            vals = [api.evaluate_network(stats, "ledent2025", mode, float(p), delta=delta).log10_value for p in grid]
        except Exception:  # a mode the family lacks: no curve, the table says why
            continue
        out[f"ledent2025 ({mode})"] = (grid.tolist(), vals)
    base = {}
    for row in res.bounds:
        if row["p"] is None:
            base[f"{row['key']}"] = row["log10_value"]
    return {"main_vs_p": out, "baselines": base}


def _p_text(row) -> str:
    p = row.get("p")
    if p is None:
        return "-"
    if isinstance(p, list):
        return "opt: " + ", ".join(f"{x:.3g}" for x in p)
    return f"{p:g}"


def _value_text(row) -> str:
    return fmt(row["value"], 4) if row.get("value") is not None else f"10^{row['log10_value']:.2f}"


def main_rows(result, family: str = "ledent2025") -> list:
    """The main family's rows (fixed p and optimised), dominant first."""
    return [r for r in result.bounds if r["family"] == family]


def tightest(result, mode: str):
    rows = [r for r in result.bounds if r["mode"] == mode]
    return min(rows, key=lambda r: r["log10_value"]) if rows else None


def comparison_by_p(result) -> list:
    """For each fixed p (and the per-layer optimum): the main bound against the best baseline, per mode."""
    out = []
    for mode in ("dominant", "explicit"):
        base = [r for r in result.bounds if r["mode"] == mode and r["p"] is None]
        if not base:
            continue
        best_base = min(base, key=lambda r: r["log10_value"])
        for r in main_rows(result):
            if r["mode"] != mode:
                continue
            out.append(
                {
                    "mode": mode,
                    "p": _p_text(r),
                    "main": r,
                    "baseline": best_base,
                    "main_wins": r["log10_value"] < best_base["log10_value"],
                }
            )
    return out


def build(result: NetworkResult, meta: dict | None = None) -> Section:
    """The Markdown section for one evaluated network."""
    lines = [f"Network: `{result.source}`."]
    hom = (getattr(result.stats, "extras", None) or {}).get("homogeneous")
    if hom is not None:
        lines.append(
            f"Evaluated as: {hom.describe()}; the layer norms below are those of these operators and B, "
            "||X||_F are those of the augmented inputs."
        )
    test_error = None
    if meta:
        cfg = meta.get("config", {})
        test_error = meta.get("test_error")
        lines.append(
            f"Trained by `examples/digits_study.py` on scikit-learn's digits: depth {cfg.get('depth')}, "
            f"width {cfg.get('width')}, weight decay {cfg.get('weight_decay')}, {cfg.get('steps')} "
            f"full-batch gradient steps (heavy-ball momentum), seed {cfg.get('seed')}; training error "
            f"{fmt(meta.get('train_error'))}, **true test error {fmt(test_error)}**."
        )
    d = result.data
    if d:
        lines.append(
            f"Data statistics: n = {d['n']}, B = max ||x||_2 = {fmt(d['input_norm'], 4)}, "
            f"||X||_F = {fmt(d['data_frobenius'], 4)}, margin gamma = {fmt(d['margin'], 4)} "
            f"({d['margin_rule']}; margin loss at gamma {fmt(d['margin_loss'])})."
        )
    best_dom = next(
        (
            r
            for r in result.bounds
            if r["family"] == "ledent2025" and r["mode"] == "dominant" and r["p_rule"] == "optimised per layer"
        ),
        None,
    )
    lines += ["", "### Layers", ""]
    head = [
        "layer",
        "shape",
        "||A||_sigma",
        "||A||_F",
        "||A||_*",
        "rank",
        "rank sigma>1e-2 s1",
        "rank sigma>1e-3 s1",
        "stable rank",
    ] + [f"r(p={p:g})" for p in P_GRID if p]
    if best_dom:
        head.append("best p (main bound, dominant)")
    rows = []
    for i, r in enumerate(result.layers):
        row = [
            r["name"],
            "x".join(map(str, r["shape"])),
            r["spectral"],
            r["frobenius"],
            r["nuclear"],
            r["rank"],
            r["rank_rel0.01"],
            r["rank_rel0.001"],
            r["stable_rank"],
        ] + [r[f"rank_proxy_p{p:g}"] for p in P_GRID if p]
        if best_dom:
            row.append(fmt(best_dom["p"][i]))
        rows.append(row)
    lines += [
        table(head, rows),
        "",
        "r(p) is the rank proxy sum_i (sigma_i/sigma_1)^p: it tends to the rank as p -> 0+ and to the "
        "multiplicity of sigma_1 as p -> oo; `rank` is the numerical rank (NumPy's tolerance). The best p "
        "per layer minimises that layer's term of the main bound over the default grid.",
        "",
    ]
    summary = [
        f"network {result.source}: {len(result.layers)} layers, ranks (sigma > 1e-2 sigma_1) "
        + " ".join(str(r["rank_rel0.01"]) for r in result.layers)
        + (f", test error {fmt(test_error)}" if test_error is not None else "")
    ]
    lines += ["### Bounds", ""]
    if not result.bounds:
        lines.append(f"**Unavailable.** {result.status}")
        summary.append(f"bounds: unavailable ({result.status})")
    else:
        gap = None
        if test_error is not None and d:
            gap = test_error - d["margin_loss"]
        lines += [
            result.status + ".",
            "",
            "Every bound here bounds the generalization gap Pr[error] - R_gamma (test error minus the "
            "training margin loss at gamma; for the VC bound, minus the training error). "
            + (
                f"On this network the true gap is {fmt(test_error)} - {fmt(d['margin_loss'])} = {fmt(gap)}; "
                "a bound above 1 is vacuous. "
                if gap is not None
                else ""
            )
            + "Dominant forms drop constants and logarithms (the paper's comparison), so only their ratios "
            "mean something: they are not bounds. The main bound's explicit row is a certified bound "
            "(derived here, proofs/main_bound: union over the norm, margin and p grids charged; dense ReLU "
            "layers, p < 2; not the paper's constants); the column 'certified' says what each row is.",
            "",
        ]
        for mode in ("dominant", "explicit"):
            t = tightest(result, mode)
            if t:
                lines.append(
                    f"- tightest {mode} bound: `{t['key']}` (p {_p_text(t)}) = {_value_text(t)} "
                    f"(log10 {t['log10_value']:.3f})"
                )
                summary.append(f"tightest {mode} bound: {t['key']} (p {_p_text(t)}) = {_value_text(t)}")
        comp = comparison_by_p(result)
        if comp:
            lines += [
                "",
                "**The main bound at each p against the best baseline of the same mode** (baselines: "
                "every family without a Schatten exponent):",
                "",
                table(
                    ["mode", "p", "main bound (ledent2025)", "best baseline", "baseline value", "main wins"],
                    [
                        [
                            c["mode"],
                            c["p"],
                            _value_text(c["main"]),
                            c["baseline"]["key"],
                            _value_text(c["baseline"]),
                            "yes" if c["main_wins"] else "no",
                        ]
                        for c in comp
                    ],
                ),
            ]
            wins = [c for c in comp if c["mode"] == "dominant" and c["main_wins"]]
            summary.append(
                "main bound beats every baseline (dominant) at p = "
                + (", ".join(c["p"] for c in wins) if wins else "none of the p tried")
            )
        rows = [
            [
                r["key"],
                r["mode"],
                _p_text(r),
                _value_text(r),
                r["log10_value"],
                r.get("status", ""),
                r.get("certified", ""),
            ]
            for r in sorted(result.bounds, key=lambda r: (r["mode"], r["log10_value"]))
        ]
        lines += [
            "",
            "**Every bound** (sorted by mode, then value):",
            "",
            table(["bound", "mode", "p", "value", "log10", "status", "certified"], rows),
        ]
        if result.skipped:
            lines += ["", "Not evaluated:", ""]
            seen = set()
            for sk in result.skipped:
                k = (sk["family"], sk["mode"], sk["reason"])
                if k not in seen:
                    seen.add(k)
                    lines.append(f"- `{sk['family']}` ({sk['mode']}): {sk['reason']}")
    return Section(
        "network",
        "The bundled network" if "bundled" in result.source else "The network",
        markdown="\n".join(lines) + "\n",
        summary=summary,
        data={
            "source": result.source,
            "layers": result.layers,
            "data": result.data,
            "bounds": result.bounds,
            "skipped": result.skipped,
            "status": result.status,
            "curves": result.curves,
        },
    )
