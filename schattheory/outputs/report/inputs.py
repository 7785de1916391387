"""What the report is about: the bundled network, or a user's ``--model`` (and ``--data``) files.

``--model``: any weight file the network loaders read (``schattheory.networks``: .npz, .safetensors, PyTorch state
dicts; biases recognised); without those loaders, an .npz with ``<layer>.weight`` arrays. ``--data``: either a
statistics JSON in the bundled format (``n``, ``input_norm``, ``data_frobenius``, ``margin``, ...; see
``schattheory/data/README.md``) or an ``.npz`` with arrays ``X`` (n x d) and ``y``, from which a forward pass
computes B, ||X||_F, the margins, the activation norms entering each layer, and the margin gamma by the report's
rule (:mod:`schattheory.outputs.report.margins`) unless ``margin`` is given.

>>> stats, meta = load_network()
>>> stats.source, meta["config"]["depth"], len(stats.extras["activation_norms"])
('bundled digits_mlp.npz', 4, 4)
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from schattheory.foundation.errors import InputError
from schattheory.foundation.json_input import check_fields, integer, list_of, number, read_json, string

__all__ = ["load_network", "read_statistics", "STATISTICS_SCHEMA"]

#: the fields of a statistics JSON (its ``data`` block, or the object itself), checked before any work
STATISTICS_SCHEMA = {
    "n": integer(minimum=1),
    "input_norm": number(positive=True),
    "data_frobenius": number(positive=True),
    "margin": number(positive=True),
    "margin_loss": number(minimum=0, maximum=1),
    "num_classes": integer(minimum=2),
    "margin_rule": string(),
    "activation_norms": list_of(number(minimum=0)),
    "margins": list_of(number()),
}
_REQUIRED = ("n", "input_norm", "data_frobenius", "margin")


def read_statistics(path) -> dict:
    """A statistics JSON (bundled format) read and checked against :data:`STATISTICS_SCHEMA`; returns the object."""
    meta = read_json(path, "data")
    if not isinstance(meta, dict):
        check_fields(meta, {}, argument="data", value=str(path), where="the statistics file")
    block = meta.get("data", meta)
    where = "the statistics' 'data' block" if "data" in meta else "the statistics file"
    check_fields(block, STATISTICS_SCHEMA, argument="data", value=str(path), where=where, required=_REQUIRED)
    return meta


def _existing(path, argument: str) -> Path:
    p = Path(path).expanduser()
    if not p.exists():
        raise InputError(argument, str(path), "no such file")
    if p.is_dir():
        raise InputError(argument, str(path), "is a directory, not a file")
    return p


def _loaders():
    """The network loaders' pieces (imported on first use: the report without a network does not need them)."""
    from schattheory.networks.data import ForwardPass, load_data
    from schattheory.networks.loaders import plan_model
    from schattheory.networks.spectra import NetworkSpectra

    return plan_model, NetworkSpectra, ForwardPass, load_data


def load_network(model=None, data=None, margin=None):
    """(NetworkStats, metadata dict or None) for the bundled network or the given files."""
    from schattheory import data as bundled

    if model is None:
        if data is not None:
            raise InputError("data", str(data), "needs --model: data statistics belong to a given network")
        if margin is not None:
            raise InputError("margin", margin, "needs --model and --data (the bundled network has its margin)")
        return bundled.bundled_network(), bundled.bundled_metadata()
    model = _existing(model, "model")
    kind = None
    if data is not None:
        data = _existing(data, "data")
        kind = data.suffix.lower()
        if kind not in (".json", ".npz"):
            raise InputError("data", str(data), "must be a statistics .json or an .npz with arrays X and y")
    if margin is not None and kind != ".npz":
        raise InputError("margin", margin, "applies to --data FILE.npz (a statistics .json carries its margin)")
    meta = read_statistics(data) if kind == ".json" else None  # checked before any tensor is read
    tools = _loaders()
    if kind == ".npz":
        if tools is None:
            raise InputError(
                "data",
                str(data),
                "an .npz data file needs the network loaders (schattheory.networks), "
                "which are not available here; give a statistics .json instead",
            )
        return _forward_stats(tools, model, data, margin), None
    act = meta.get("data", meta).get("activation_norms") if meta is not None else None
    stats = _spectra_only(tools, model, None if act is None else (len(act), str(data)))
    if kind == ".json":
        extras = dict(stats.extras)
        act = [float(v) for v in act] if act is not None else None  # its length was checked with the plan
        data_stats, act = _augmented(extras.get("homogeneous"), bundled.data_stats(meta), act)
        if act is not None:
            extras["activation_norms"] = act
        stats = replace(stats, data=data_stats, extras=extras)
    return stats, None


def _spectra_only(tools, model: Path, depth_check=None):
    """Spectra of ``model``; ``depth_check``: (number of activation norms, data file), checked before the work."""
    from schattheory import data as bundled

    if tools is None:
        if model.suffix.lower() != ".npz":
            raise InputError(
                "model",
                str(model),
                "only .npz weight files can be read without the network loaders (schattheory.networks)",
            )
        return bundled.network_stats(model)
    plan_model, NetworkSpectra, _, _ = tools
    plan = plan_model(str(model))
    if depth_check is not None and depth_check[0] != len(plan.layers):
        raise InputError(
            "data",
            depth_check[1],
            f"has {depth_check[0]} activation_norms but the network has {len(plan.layers)} layers",
        )
    return NetworkSpectra.from_model(None, plan=plan).to_netstats(None)


def _forward_stats(tools, model: Path, data: Path, margin):
    """Spectra and data statistics in one pass over the layers (the loaders' forward pass), gamma by our rule."""
    from schattheory.foundation.netstats import DataStats
    from schattheory.outputs.report.margins import ACCURACY_DROP, RULE_TEXT, margin_for_accuracy_drop

    plan_model, NetworkSpectra, ForwardPass, load_data = tools
    plan = plan_model(str(model))
    X, y = load_data(str(data))
    fwd = ForwardPass(X, y, len(plan.layers), label=str(data))
    fwd.check_plan(plan)
    act = []

    def on_layer(raw, index):
        act.append(float(np.max(np.linalg.norm(fwd.h, axis=1))))  # B_(l-1,A): what enters this layer
        fwd(raw, index)

    spectra = NetworkSpectra.from_model(None, plan=plan, on_layer=on_layer)
    marg = fwd.margins()
    if margin is None:
        gamma, loss = margin_for_accuracy_drop(marg)
        rule = RULE_TEXT.format(drop=ACCURACY_DROP)
    else:
        try:
            gamma = float(margin)
        except (TypeError, ValueError):
            raise InputError("margin", margin, "must be a number") from None
        if not np.isfinite(gamma) or gamma <= 0:
            raise InputError("margin", margin, "must be > 0: a zero or negative margin makes every margin bound void")
        loss, rule = float(np.mean(marg <= gamma)), "given"
    k = plan.layers[-1].shape[0]
    stats = DataStats(
        n=int(X.shape[0]),
        input_norm=float(np.max(np.linalg.norm(X, axis=1))),
        data_frobenius=float(np.linalg.norm(X)),
        margin=gamma,
        margin_loss=loss,
        num_classes=max(2, int(k)),
        margin_rule=rule,
    )
    stats, act = _augmented(spectra.homogeneous, stats, act)
    net = spectra.to_netstats(stats)
    return replace(net, extras={**net.extras, "activation_norms": act})


def _augmented(hom, data, act):
    """Data statistics of the inputs augmented by the folded biases' constant (networks.homogeneous)."""
    if hom is None or not hom.augmented or data is None:
        return data, act
    from schattheory.networks.homogeneous import augment_data_stats

    extra = hom.input_extra()
    if extra is None:
        raise InputError("model", "conv", "a first convolution with a bias needs its input size to fold the bias")
    return augment_data_stats(data, extra, act, [f.takes_one for f in hom.folds])
