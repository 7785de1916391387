r"""Evaluate every registered network bound on a real network: spectra once, data statistics, then the bounds.

:func:`evaluate` reads the model one layer at a time (:class:`~schattheory.networks.spectra.NetworkSpectra`), runs
the data forward pass alongside when ``data`` is given (:mod:`schattheory.networks.data`), and evaluates, through the
bound families' API (``schattheory.bounds.network``: ``network_families``, ``evaluate_network``,
``optimise_ledent_p``), every family in ``dominant`` and ``explicit`` mode; the ``ledent2025`` families at each fixed
p (the same p for every layer) and with p optimised per layer over a grid (the explicit mode pays the union bound
over the grid). With data, the forward pass also supplies the activation norms B_{l-1,A} that the loss-augmented
family needs (``stats.extras["activation_norms"]``). No bound formula lives here: values, log10 values and details
come from that API.

The network evaluated is the one the file describes: BatchNorm folded into the layer before it and biases folded
by homogeneous coordinates (:mod:`schattheory.networks.homogeneous`), with the input norm B and ||X||_F of the
augmented inputs (sqrt(B^2 + 1), sqrt(||X||_F^2 + n)); ``biases=False`` evaluates the bias-free network instead,
margins included, and every output says so. ``reference`` (initial weights) makes the families that allow it
measure distances from initialisation (``schattheory.bounds.network.REFERENCE_FAMILIES``).

``method="randomized"`` with ``top_k=K`` decomposes no layer fully: each gets certified intervals from a rank-K
randomized subspace (:mod:`schattheory.networks.certified`), the layers report those intervals, and a bound is
reported only for a family that SymPy shows nondecreasing in every spectral quantity it reads
(:mod:`schattheory.bounds.monotone`), evaluated at the upper ends: a certified upper bound of the value the exact
path would give. Every row says which (``value_kind``). The others are skipped with the reason.

Without data statistics (``data`` or ``n``/``input_norm``/``margin``) the bounds are listed as skipped with the
reason; so is a mode a family does not provide. Results: :meth:`Evaluation.to_dict` (the JSON contract: ``layers``
and ``bounds``, ``value`` null where it does not fit a float64, ``log10_value`` always finite), ``to_text``,
``to_csv``, ``to_markdown``, ``to_dataframe`` (pandas, one row per layer) and ``plot``.

>>> import numpy as np
>>> ev = evaluate([np.diag([3.0, 1.0]), np.eye(2)], ps=(1,))
>>> [row["name"] for row in ev.to_dict()["layers"]], ev.to_dict()["layers"][0]["rank_proxy"]
(['layer0', 'layer1'], {'1': 1.3333333333333333})
>>> ev.bounds    # no data statistics given: every bound is listed in ev.skipped with the reason
[]
"""

from __future__ import annotations

import csv
import inspect
import io
import json
import math
from dataclasses import dataclass, field

import numpy as np

from schattheory.bounds import MAIN_FAMILY
from schattheory.foundation.errors import InputError, check_p
from schattheory.networks.data import ForwardPass, choose_margin, data_summary, given_data_stats, load_data
from schattheory.networks.homogeneous import BIAS_FREE_LABEL, augment_data_stats
from schattheory.networks.loaders import plan_model
from schattheory.networks.spectra import NetworkSpectra

__all__ = ["evaluate", "Evaluation", "DEFAULT_PS", "bounds_api", "MODES", "check_families"]

DEFAULT_PS = (0.5, 1.0, 2.0)
MODES = ("dominant", "explicit")
_LOG10_MAX = math.log10(np.finfo(np.float64).max)


def bounds_api():
    """``(schattheory.bounds.network, "")``: the bound families' module (always installed; imported on first use
    because it is SymPy-heavy, and returned as a pair to keep the callers' signature)."""
    from schattheory.bounds import network

    return network, ""


def _p_family(family: str) -> bool:
    return family.split(".")[0].split("[")[0] == MAIN_FAMILY


@dataclass
class Evaluation:
    spectra: NetworkSpectra
    stats: object
    data: dict | None
    bounds: list
    skipped: list
    ps: tuple
    grid: tuple | None = None
    warnings: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    delta: float = 0.01

    # ---- JSON -------------------------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        from schattheory import __version__

        return _jsonable(
            {
                "schattheory": __version__,
                "source": self.spectra.source,
                "method": self.spectra.method,
                "ps": list(self.ps),
                "grid": list(self.grid) if self.grid is not None else None,
                "delta": self.delta,
                "depth": len(self.spectra),
                **self._product_fields(),
                "layers": self.spectra.layer_rows(self.ps),
                "bounds": self.bounds,
                "skipped": self.skipped,
                "data": {k: v for k, v in self.data.items()} if self.data is not None else None,
                "warnings": self.warnings,
                "notes": self.notes,
                "ignored_tensors": [{"name": n, "reason": r} for n, r in self.spectra.ignored],
                "accounted_tensors": [{"name": n, "role": r} for n, r in self.spectra.accounted],
                "network": self.network_label(),
                "biases": self.spectra.homogeneous.biases if self.spectra.homogeneous is not None else None,
            }
        )

    def _product_fields(self) -> dict:
        if not self.spectra.certified:
            return {"log10_spectral_product": self.spectra.log10_spectral_product()}
        return {
            "log10_spectral_product": None,
            "top_k": self.spectra.extras.get("top_k"),
            "log10_spectral_product_interval": self.spectra.log10_spectral_product_interval(),
        }

    @property
    def bias_free(self) -> bool:
        hom = self.spectra.homogeneous
        return hom is not None and hom.biases.startswith("dropped")

    def network_label(self) -> str:
        """What network the numbers are for (biases folded, none, or the bias-free network)."""
        hom = self.spectra.homogeneous
        return hom.describe() if hom is not None else "layers as given"

    def to_json(self, indent=2) -> str:
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    # ---- tables -----------------------------------------------------------------------------------------------
    def layer_table(self) -> tuple:
        """(header, rows) of the per-layer table, numbers formatted."""
        head = ["layer", "shape", "spectral", "frobenius", "nuclear", "stable_rank", "eff_rank", "rank"]
        head += [f"r({_fmt_p(p)})" for p in self.ps]
        rows = []
        for row in self.spectra.layer_rows(self.ps):
            shape = "x".join(map(str, row["shape"]))
            if row.get("folded", "as stored") != "as stored" and row["kind"] == "dense":
                shape += " (" + "x".join(map(str, row["operator_shape"])) + " folded)"
            iv = row.get("intervals") or {}
            rows.append(
                [row["name"], shape]
                + [
                    _cell(row[k], iv.get(k))
                    for k in ("spectral", "frobenius", "nuclear", "stable_rank", "effective_rank")
                ]
                + ["-" if row["rank"] is None else str(row["rank"])]
                + [_cell(v, iv.get("rank_proxy", {}).get(p)) for p, v in row["rank_proxy"].items()]
            )
        return head, rows

    def bound_table(self) -> tuple:
        head = ["bound", "mode", "p", "value", "log10", "certified bound"]
        rows = [
            [b["key"], b["mode"], _fmt_pcol(b), _value_text(b), f"{b['log10_value']:.4f}", _certified_text(b)]
            for b in self.bounds
        ]
        if self.spectra.certified:  # which values are upper bounds from the intervals, which exact
            head.append("value is")
            for row, b in zip(rows, self.bounds):
                row.append("exact" if b.get("value_kind") == "exact" else "certified upper (top-k)")
        return head, rows

    def _data_line(self) -> str:
        d = self.data
        loss = "not computed" if d.get("margin_loss") is None else f"{d['margin_loss']:.2%} of training points"
        acc = "" if d.get("train_accuracy") is None else f", training accuracy {d['train_accuracy']:.2%}"
        aug = ""
        if d.get("input_norm_augmented") is not None:
            aug = (
                f" (augmented by the constant: B = {_num(d['input_norm_augmented'])}, ||X||_F = "
                f"{_num(d['data_frobenius_augmented'])})"
            )
        which = f" on the {BIAS_FREE_LABEL}" if self.bias_free else ""
        text = (
            f"data: n = {d['n']}, B = {_num(d['input_norm'])}, ||X||_F = {_num(d['data_frobenius'])}{aug}, "
            f"margin = {_num(d['margin'])} ({d['margin_rule']}{which}), margin loss {loss}{acc}"
        )
        if d.get("margin_quantiles"):
            text += "; training margins " + ", ".join(f"{k} {_num(v)}" for k, v in d["margin_quantiles"].items())
        return text

    def values_line(self) -> str:
        """What the layer figures and bound values are (exact spectra, or certified intervals and upper bounds)."""
        if not self.spectra.certified:
            return ""
        return (
            f"values: layer figures are certified [lower, upper] intervals from a randomized top-k "
            f"(k = {self.spectra.extras.get('top_k')}), not spectra; a bound value marked 'certified upper "
            "(top-k)' is a certified upper bound from a randomized top-k (the family evaluated at the upper ends, "
            "checked nondecreasing in each spectral quantity it reads), at least the value the exact path "
            "(--method svd) would give; 'exact' marks a family that reads no spectral quantity"
        )

    def to_text(self) -> str:
        out = [
            f"{self.spectra.source}: {len(self.spectra)} layers, method {self.spectra.method}",
            f"network: {self.network_label()}",
        ] + ([self.values_line()] if self.spectra.certified else [])
        out += [_ascii_table(*self.layer_table()), ""]
        if self.data is not None:
            out += [self._data_line(), ""]
        if self.bounds:
            out += [_ascii_table(*self.bound_table()), ""]
        for what, reason in _skipped_groups(self.skipped):
            out.append(f"skipped {what}: {reason}")
        for w in self.warnings:
            out.append(f"warning: {w}")
        for n in self.notes:
            out.append(f"note: {n}")
        return "\n".join(out).rstrip() + "\n"

    def to_markdown(self) -> str:
        parts = [
            f"**{self.spectra.source}**: {len(self.spectra)} layers, method `{self.spectra.method}`",
            "",
            f"network: {self.network_label()}",
            "",
        ]
        parts += [self.values_line(), ""] if self.spectra.certified else []
        parts += [_md_table(*self.layer_table()), ""]
        if self.data is not None:
            parts += [self._data_line(), ""]
        if self.bounds:
            parts += [_md_table(*self.bound_table()), ""]
        for what, reason in _skipped_groups(self.skipped):
            parts.append(f"- skipped {what}: {reason}")
        for w in self.warnings:
            parts.append(f"- warning: {w}")
        for n in self.notes:
            parts.append(f"- note: {n}")
        return "\n".join(parts).rstrip() + "\n"

    def to_csv(self) -> str:
        """One CSV: a ``kind`` column says ``layer`` or ``bound``; the other columns are the union of both tables."""
        layer_rows = []
        for row in self.spectra.layer_rows(self.ps):
            flat = {"kind": "layer", "name": row["name"], "shape": "x".join(map(str, row["shape"]))}
            for k in (
                "spectral",
                "frobenius",
                "nuclear",
                "stable_rank",
                "effective_rank",
                "rank",
                "norm21",
                "multiplicity",
            ):
                flat[k] = row[k]
            for p, v in row["rank_proxy"].items():
                flat[f"rank_proxy_{p}"] = v
            layer_rows.append(flat)
        bound_rows = [
            {
                "kind": "bound",
                "key": b["key"],
                "family": b["family"],
                "mode": b["mode"],
                "p": _fmt_pcol(b),
                "value": b["value"],
                "log10_value": b["log10_value"],
                "network": b.get("network", ""),
            }
            for b in self.bounds
        ]
        if self.spectra.certified:  # the layers' intervals and what each bound value is
            for flat, row in zip(layer_rows, self.spectra.layer_rows(self.ps)):
                for k in ("spectral", "frobenius", "nuclear", "stable_rank"):
                    flat[f"{k}_lower"], flat[f"{k}_upper"] = (
                        row["intervals"][k] if "intervals" in row else (row[k], row[k])
                    )
            for flat, b in zip(bound_rows, self.bounds):
                flat["value_kind"] = b.get("value_kind")
        cols = []
        for r in layer_rows + bound_rows:
            cols += [c for c in r if c not in cols]
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
        writer.writeheader()
        for r in layer_rows + bound_rows:
            writer.writerow({k: ("" if v is None else v) for k, v in r.items()})
        return buf.getvalue()

    def to_dataframe(self):
        """pandas DataFrame, one row per layer (WeightWatcher's convention)."""
        return self.spectra.to_dataframe(self.ps)

    def bounds_dataframe(self):
        import pandas as pd

        return pd.DataFrame(
            [{**{k: v for k, v in b.items() if k != "details"}, "p": _fmt_pcol(b)} for b in self.bounds]
        )

    def plot(self, directory, formats=("png", "pdf"), *, force: bool = False) -> list:
        from schattheory.networks.plots import write_plots

        if self.spectra.certified:
            raise InputError("plot", directory, "the randomized method gives certified intervals, not spectra, to plot")
        return write_plots(self, directory, formats=formats, force=force)


# ---- the evaluation -----------------------------------------------------------------------------------------
def check_p_arguments(ps, grid, delta):
    """(ps, grid) checked as exponents, and delta in (0, 1): the arguments every evaluation path refuses alike."""
    ps = tuple(check_p(p, name="p", allow_inf=False) for p in (ps or ()))
    if grid is not None:
        grid = tuple(check_p(p, name="grid", allow_inf=False) for p in grid)
        if not grid:
            raise InputError("grid", "[]", "needs at least one p")
    if not (isinstance(delta, (int, float)) and 0 < delta < 1):
        raise InputError("delta", delta, "must lie in (0, 1)")
    return ps, grid


def check_families(families):
    """``families`` (None: every one) checked against the network bound families, before any heavy work; read from
    the registry's manifest, so no family's module is imported to check the names."""
    if families is None:
        return None
    from schattheory.core.registry import network_families

    families = [families] if isinstance(families, str) else list(families)
    known = network_families()
    for f in families:
        if f not in known:
            raise InputError("family", f, f"is not a registered network bound family ({', '.join(known)})")
    if not families:
        raise InputError("family", "[]", "needs at least one family")
    return families


def evaluate(
    model,
    *,
    data=None,
    n=None,
    input_norm=None,
    margin=None,
    margin_percentile=None,
    data_frobenius=None,
    ps=DEFAULT_PS,
    grid=None,
    method: str = "svd",
    dtype=None,
    layers=None,
    input_size=None,
    padding=None,
    orientation: str = "out_in",
    order: str = "natural",
    delta: float = 0.01,
    families=None,
    progress=None,
    biases: bool = True,
    reference=None,
    exact_limit=None,
    top_k=None,
) -> Evaluation:
    """Spectra, data statistics and every registered network bound for ``model`` (path or list of arrays).

    ``method``: ``svd`` (default), ``gram``, or ``randomized`` with ``top_k=K`` (certified intervals; see the
    module)."""
    ps, grid = check_p_arguments(ps, grid, delta)
    families = check_families(families)
    if data is not None and (n is not None or input_norm is not None or data_frobenius is not None):
        raise InputError("data", data, "give either --data or --n/--input-norm/--data-frobenius, not both")
    if data is None and margin_percentile is not None:
        raise InputError("margin-percentile", margin_percentile, "needs --data (the margins come from a forward pass)")
    if data is not None:  # refuse a missing or void margin before any heavy work
        if margin is None and margin_percentile is None:
            raise InputError(
                "margin",
                None,
                "--data needs an explicit margin: give --margin G or "
                "--margin-percentile Q (never silently the minimum training margin)",
            )
        if margin is not None:
            choose_margin([1.0], margin=margin, percentile=margin_percentile)
    given = None
    if data is None and any(v is not None for v in (n, input_norm, margin)):
        given = given_data_stats(n, input_norm, margin, data_frobenius)  # validate before any heavy work
    plan = plan_model(model, layers, orientation=orientation, order=order)
    forward = None
    if data is not None:
        X, y = load_data(data)
        forward = ForwardPass(X, y, len(plan.layers), label=str(data))
        forward.check_plan(plan)
    spectra = NetworkSpectra.from_model(
        None,
        plan=plan,
        method=method,
        dtype=dtype,
        input_size=input_size,
        padding=padding,
        progress=progress,
        on_layer=forward,
        biases=biases,
        reference=reference,
        exact_limit=exact_limit,
        top_k=top_k,
    )
    if spectra.certified:
        spectra.extras["top_k"] = top_k
    summary = None
    if forward is not None:
        margins = forward.margins()
        gamma, rule, loss = choose_margin(margins, margin, margin_percentile)
        k = plan.layers[-1].shape[0]
        summary = data_summary(X, margins, gamma, rule, loss, k if k > 1 else 2, str(data))
    elif given is not None:
        k = plan.layers[-1].shape[0]
        summary = given_data_stats(n, input_norm, margin, data_frobenius, k if k > 1 else 2)
    act = None
    if forward is not None:
        act = list(forward.activation_norms)
        summary["activation_norms"] = act
    stats = folded_stats(spectra, summary, act)
    bounds, skipped, notes = _evaluate_bounds(stats, ps, grid, delta, families)
    label_bounds(bounds, spectra)
    notes = [spectra_label(spectra)] + list(spectra.notes) + notes
    if reference is not None:
        from schattheory.bounds.network import REFERENCE_FAMILIES

        notes.append(
            "reference weights "
            + str(spectra.extras.get("reference"))
            + ": measured from them by "
            + "; ".join(f"{k} ({v})" for k, v in REFERENCE_FAMILIES.items())
            + "; every other family measures from zero (its theorem has no reference matrices)"
        )
    return finish_evaluation(spectra, stats, summary, bounds, skipped, ps, grid, notes, delta, method, top_k)


def finish_evaluation(spectra, stats, summary, bounds, skipped, ps, grid, notes, delta, method, top_k) -> "Evaluation":
    """The Evaluation both paths (in order and checkpoint) return: the Gram path's warnings, the randomized path's
    note, and how ||X||_F was obtained, after the path's own notes."""
    warnings = spectra.gram_warnings(list(ps) + list(grid or ()) + [0.1]) if method == "gram" else []
    notes = list(notes)
    if spectra.certified:
        notes.append(certified_note(top_k))
    if summary is not None and summary.get("data_frobenius_rule", "given") != "given":
        notes.append(f"||X||_F = {summary['data_frobenius_rule']}")
    return Evaluation(
        spectra,
        stats,
        dict(summary) if summary is not None else None,
        bounds,
        skipped,
        ps,
        grid,
        warnings,
        notes,
        delta,
    )


def _value_kind(row) -> str:
    """``certified upper bound from a randomized top-k``, or ``exact`` for a family reading no spectral quantity."""
    from schattheory.bounds.network import INTERVAL_VALUES

    return "exact" if row["details"].get("values", "").startswith("exact") else INTERVAL_VALUES


def certified_note(top_k) -> str:
    return (
        f"method randomized, k = {top_k}: per layer, certified intervals for sigma_1, ||A||_F, the tail energy "
        "and ||A||_(S_p) (p <= 2), each containing the exact value whatever the random draw (Ritz values of a "
        "randomized subspace, the Frobenius and Gram-Frobenius identities, rounding moved to the safe side); "
        "rank proxies are intervals, the rank is not reported"
    )


def folded_stats(spectra, summary, act=None):
    """The NetworkStats the bounds are evaluated on: the spectra of the folded layers and, when biases are folded,
    the data statistics of the augmented inputs (recorded in ``summary`` as ``*_augmented``)."""
    hom = spectra.homogeneous
    data_stats = summary.stats if summary is not None else None
    if data_stats is not None and hom is not None and hom.augmented:
        first, meta = spectra.layers[0], spectra.info[0]
        extra = hom.input_extra(meta.get("input_size") if meta.get("kind") == "conv" else None)
        if extra is None:
            raise InputError(
                "input-size",
                None,
                f"the first layer {first.name!r} is a convolution with a bias: the "
                "folded constant channel adds h w to ||x||^2, so give --input-size (or --no-biases)",
            )
        data_stats, act = augment_data_stats(data_stats, extra, act, [f.takes_one for f in hom.folds])
        summary["input_norm_augmented"] = data_stats.input_norm
        summary["data_frobenius_augmented"] = data_stats.data_frobenius
        if act is not None:
            summary["activation_norms_augmented"] = list(act)
    stats = spectra.to_netstats(data_stats)
    if act is not None:
        stats.extras["activation_norms"] = tuple(act)
    return stats


def label_bounds(bounds, spectra) -> None:
    """Each bound row says which network it is for (biases folded, none in the file, or the bias-free network) and
    what its value is (``value_kind``: exact, or a certified upper bound from a randomized top-k)."""
    for b in bounds:
        b["value_kind"] = _value_kind(b) if spectra.certified else "exact"
    if spectra.homogeneous is None:
        return
    short = {"folded": "biases folded", "none in the file": "no biases in the file"}.get(
        spectra.homogeneous.biases, BIAS_FREE_LABEL
    )
    for b in bounds:
        b["network"] = short


def spectra_label(spectra) -> str:
    hom = spectra.homogeneous
    return hom.describe() if hom is not None else "layers as given"


def _evaluate_bounds(stats, ps, grid, delta, families):
    api, why = bounds_api()
    if api is None:
        return [], [{"family": "*", "mode": "*", "p": None, "reason": why}], []
    all_families = list(api.network_families())
    if families is not None:
        unknown = [f for f in families if f not in all_families]
        if unknown:
            raise InputError("family", unknown[0], f"is not a registered network bound family ({all_families})")
        all_families = [f for f in all_families if f in families]
    bounds, skipped = [], []
    if stats.data is None:
        reason = (
            "no data statistics: give --data FILE.npz, or --n, --input-norm and --margin "
            "(every network bound needs n and most need B, ||X||_F and the margin)"
        )
        return [], [{"family": f, "mode": m, "p": None, "reason": reason} for f in all_families for m in MODES], []

    takes_family = "family" in inspect.signature(api.optimise_ledent_p).parameters
    takes_p = set(api.p_families()) if hasattr(api, "p_families") else {f for f in all_families if _p_family(f)}

    def attempt(family, mode, p, call):
        try:
            bounds.append(_row(call(), family, mode, p))
        except (ValueError, NotImplementedError) as exc:  # InputError is a ValueError: a reason to report
            skipped.append({"family": family, "mode": mode, "p": p, "reason": str(exc)})

    for family in all_families:
        for mode in MODES:
            if family in takes_p:
                for p in ps:
                    attempt(family, mode, p, lambda: api.evaluate_network(stats, family, mode, p, delta=delta))
                if family == MAIN_FAMILY:
                    attempt(family, mode, "optimised", lambda: api.optimise_ledent_p(stats, grid, mode, delta=delta))
                elif takes_family:  # the variants too, where the bound module can optimise them
                    attempt(
                        family,
                        mode,
                        "optimised",
                        lambda: api.optimise_ledent_p(stats, grid, mode, delta=delta, family=family),
                    )
            else:
                attempt(family, mode, None, lambda: api.evaluate_network(stats, family, mode, delta=delta))
    return bounds, _merge_skipped(skipped), []


def _skipped_groups(skipped) -> list:
    """(what, reason) per distinct reason: the bounds skipped for one reason are listed on one line."""
    groups = {}
    for s in skipped:
        ps = ", ".join(_fmt_p(x) for x in s["p"]) if s.get("p") else ""
        modes = groups.setdefault(s["reason"], {}).setdefault(s["family"], [])
        modes.append(s["mode"] + (f", p = {ps}" if ps else ""))
    out = []
    for reason, families in groups.items():
        count = sum(len(m) for m in families.values())
        what = ", ".join(f"{f} ({'; '.join(m)})" for f, m in families.items())
        out.append((what if count == 1 else f"{count} bounds: {what}", reason))
    return out


def _merge_skipped(skipped) -> list:
    """One row per (family, mode, reason): a mode a family lacks is reported once, with the p values it covers."""
    merged = {}
    for s in skipped:
        key = (s["family"], s["mode"], s["reason"])
        if key not in merged:
            merged[key] = dict(s, p=[] if s["p"] is not None else None)
        if s["p"] is not None:
            merged[key]["p"].append(s["p"])
    return list(merged.values())


def _row(v, family, mode, p_asked) -> dict:
    log10 = float(v.log10_value)
    if not math.isfinite(log10):
        raise ValueError(f"{v.key}: log10_value is {log10} (the bound module must return a finite log10)")
    value = v.value
    if value is not None:
        value = float(value)
        if not math.isfinite(value) or log10 > _LOG10_MAX:
            value = None
    p = v.p
    if isinstance(p, (list, tuple, np.ndarray)):
        p = [float(x) for x in p]
    elif p is not None:
        p = float(p)
    return {
        "key": v.key,
        "family": v.family or family,
        "mode": v.mode or mode,
        "p": p,
        "p_rule": "optimised per layer" if p_asked == "optimised" else ("fixed" if p_asked is not None else None),
        "value": value,
        "log10_value": log10,
        "details": dict(v.details or {}),
    }


# ---- formatting helpers ---------------------------------------------------------------------------------------
def _jsonable(obj):
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [_jsonable(v) for v in obj.tolist()]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        f = float(obj)
        return f if math.isfinite(f) else None
    if obj is None or isinstance(obj, str):
        return obj
    try:  # mpmath numbers and the like
        f = float(obj)
        return f if math.isfinite(f) else None
    except (TypeError, ValueError):
        return str(obj)


def _num(x) -> str:
    if x is None:
        return "-"
    x = float(x)
    if x == 0 or (1e-3 <= abs(x) < 1e6):
        return f"{x:.4g}"
    return f"{x:.3e}"


def _cell(value, interval) -> str:
    """A number, or ``[lo, hi]`` where only a certified interval is known."""
    if value is None and interval is not None:
        return f"[{_num(interval[0])}, {_num(interval[1])}]"
    return _num(value)


def _fmt_p(p) -> str:
    if p is None:
        return "-"
    if isinstance(p, str):
        return p
    if isinstance(p, (list, tuple)):
        return "[" + ", ".join(f"{float(x):.3g}" for x in p) + "]"
    return f"{float(p):.4g}"


def _certified_text(b) -> str:
    """yes / no (dominant form only) / not established, from the family's ``details['certified']``."""
    text = (b.get("details") or {}).get("certified", "")
    if text.startswith("certified"):
        return "yes"
    if text.startswith("dominant"):
        return "no (dominant form only)"
    return "not established" if text else ""


def _fmt_pcol(b) -> str:
    if b.get("p_rule") == "optimised per layer":
        ps = b["p"] if isinstance(b["p"], list) else [b["p"]]
        return "opt " + _fmt_p(ps) if len(ps) <= 4 else f"opt ({len(ps)} layers, {min(ps):.3g}..{max(ps):.3g})"
    return _fmt_p(b["p"])


def _value_text(b) -> str:
    if b["value"] is not None:
        return _num(b["value"])
    return f"10^{b['log10_value']:.2f}"


def _ascii_table(head, rows) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)] if rows else [len(h) for h in head]

    def fmt(r):
        return "  ".join(str(x).ljust(w) if i == 0 else str(x).rjust(w) for i, (x, w) in enumerate(zip(r, widths)))

    return "\n".join([fmt(head), "  ".join("-" * w for w in widths)] + [fmt(r) for r in rows])


def _md_table(head, rows) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(str(x).replace("|", "\\|") for x in r) + " |" for r in rows]
    return "\n".join(lines)
