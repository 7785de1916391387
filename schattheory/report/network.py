"""The report's network section: per-layer spectra and ranks, and every bound evaluated on one network.

Per-layer numbers come from :class:`~schattheory.netstats.LayerStats` (core dependencies only). Bound values come
from the bound families and their network evaluation (``schattheory.bounds`` and ``schattheory.networks``); where
those are not available the section says so and still shows the layers.

>>> from schattheory.data import bundled_network
>>> row = layer_row(bundled_network().layers[0])
>>> row["name"], row["shape"], row["rank_proxy_p0"] == row["rank"]
('fc1', [64, 64], True)
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .. import stable
from .markdown import fmt, table
from .sections import Section

__all__ = ["P_GRID", "RANK_TOLS", "layer_row", "NetworkResult", "evaluate_stats", "build"]

#: exponents at which per-layer rank proxies sum_i (sigma_i/sigma_1)^p are tabulated (p = 0: numerical rank)
P_GRID = (0, 0.25, 0.5, 1, 2)
#: relative thresholds: rank_rel{tau} counts sigma_i > tau * sigma_1 (the bottleneck-rank picture)
RANK_TOLS = (1e-2, 1e-3)


def layer_row(lay) -> dict:
    """Shape, norms, numerical and relative ranks, stable/effective rank and rank proxies of one layer."""
    row = {"name": lay.name, "shape": list(lay.shape), "spectral": lay.spectral, "frobenius": lay.frobenius,
           "nuclear": lay.nuclear, "norm21": lay.norm21, "rank": lay.rank, "stable_rank": lay.stable_rank,
           "effective_rank": lay.effective_rank}
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
    bounds: list = field(default_factory=list)     # {key, mode, p, value, log10_value, ...}
    available: bool = False
    status: str = ""
    curves: dict = field(default_factory=dict)     # optional: main bound against p, per layer and network
    spectra: list = field(default_factory=list)    # (name, sigma array) for the figures

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
    return {"n": data.n, "input_norm": data.input_norm, "data_frobenius": data.data_frobenius, "margin": data.margin,
            "margin_loss": data.margin_loss, "num_classes": data.num_classes, "margin_rule": data.margin_rule}


def evaluate_stats(stats, p_values=(0.5, 1.0, 2.0)) -> NetworkResult:
    """Layer rows for ``stats`` and every registered network bound evaluated on it (when the APIs are present)."""
    res = NetworkResult(source=stats.source, layers=[layer_row(lay) for lay in stats.layers],
                        data=_data_dict(stats.data), spectra=[(lay.name, lay.sigma) for lay in stats.layers])
    if stats.data is None:
        res.status = "no data statistics (n, input norm, margin) were given, so no bound can be evaluated"
        return res
    try:
        from ..networks import evaluate as _evaluate  # noqa: F401  (issue 6: bounds on networks)
    except ImportError as exc:
        res.status = ("bound evaluation unavailable: schattheory.networks.evaluate (network evaluation of the "
                      f"registered bounds) is not available in this installation ({exc})")
        return res
    res.status = "bound evaluation module present but not wired yet"
    return res


def build(result: NetworkResult, meta: dict | None = None) -> Section:
    """The Markdown section for one evaluated network."""
    lines = [f"Network: `{result.source}`."]
    if meta:
        cfg = meta.get("config", {})
        lines.append(f"Trained by `examples/digits_study.py` on scikit-learn's digits: depth {cfg.get('depth')}, "
                     f"width {cfg.get('width')}, weight decay {cfg.get('weight_decay')}, {cfg.get('steps')} "
                     f"full-batch gradient steps (heavy-ball momentum), seed {cfg.get('seed')}; training error {fmt(meta.get('train_error'))}, "
                     f"**true test error {fmt(meta.get('test_error'))}**.")
    d = result.data
    if d:
        lines.append(f"Data statistics: n = {d['n']}, B = max ||x||_2 = {fmt(d['input_norm'], 4)}, "
                     f"||X||_F = {fmt(d['data_frobenius'], 4)}, margin gamma = {fmt(d['margin'], 4)} "
                     f"({d['margin_rule']}; margin loss at gamma {fmt(d['margin_loss'])}).")
    lines += ["", "### Layers", ""]
    head = ["layer", "shape", "||A||_sigma", "||A||_F", "||A||_*", "rank", "rank sigma>1e-2 s1", "rank sigma>1e-3 s1",
            "stable rank"] + [f"r(p={p:g})" for p in P_GRID if p]
    rows = [[r["name"], "x".join(map(str, r["shape"])), r["spectral"], r["frobenius"], r["nuclear"], r["rank"],
             r["rank_rel0.01"], r["rank_rel0.001"], r["stable_rank"]] + [r[f"rank_proxy_p{p:g}"] for p in P_GRID if p]
            for r in result.layers]
    lines += [table(head, rows), "",
              "r(p) is the rank proxy sum_i (sigma_i/sigma_1)^p: it tends to the rank as p -> 0+ and to the "
              "multiplicity of sigma_1 as p -> oo; `rank` is the numerical rank (NumPy's tolerance).", ""]
    summary = [f"network {result.source}: {len(result.layers)} layers, ranks (sigma > 1e-2 sigma_1) "
               + " ".join(str(r["rank_rel0.01"]) for r in result.layers)]
    lines += ["### Bounds", ""]
    best = result.best()
    if not best:
        lines.append(f"**Unavailable.** {result.status}")
        summary.append(f"bounds: unavailable ({result.status})")
    else:
        lines.append(result.status)
        lines.append("")
        rows = [[b["key"], b["mode"], b.get("p", ""), b.get("value"), b["log10_value"]] for b in best]
        lines.append(table(["bound", "mode", "p", "value", "log10 value"], rows))
        top = best[0]
        summary.append(f"tightest bound: {top['key']} ({top['mode']}, p={top.get('p', '-')}): "
                       f"log10 = {top['log10_value']:.3f}")
    return Section("network", "The bundled network" if "bundled" in result.source else "The network",
                   markdown="\n".join(lines) + "\n", summary=summary,
                   data={"source": result.source, "layers": result.layers, "data": result.data,
                         "bounds": result.bounds, "status": result.status})
