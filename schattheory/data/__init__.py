"""The bundled default network: a small ReLU MLP trained on scikit-learn's digits, with its data statistics.

``digits_mlp.npz`` holds ``fc1.weight``, ``fc1.bias``, ... in torch orientation (out, in); ``digits_mlp.json``
holds how it was made (configuration, seed, library versions) and the statistics of its training data: n, the
maximum input l2 norm B, ||X||_F, every training margin and the margin gamma chosen by the stated rule. Both are
written by ``examples/digits_study.py --write-bundled`` and read here with the core dependencies only (no
scikit-learn at report time). See ``README.md`` in this folder.

>>> net = bundled_network()
>>> [lay.shape for lay in net.layers]        # biases folded: [[W, b], [0, 1]], the last layer [W, b]
[(65, 65), (65, 65), (65, 65), (10, 65)]
>>> net.data.n, net.data.num_classes
(1200, 10)
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import numpy as np

from schattheory.foundation.errors import InputError

__all__ = [
    "MODEL_FILE",
    "STATS_FILE",
    "path",
    "load_weights",
    "load_stats",
    "data_stats",
    "network_stats",
    "bundled_network",
    "bundled_metadata",
]

MODEL_FILE = "digits_mlp.npz"
STATS_FILE = "digits_mlp.json"


def path(name: str) -> Path:
    """Filesystem path of a bundled file."""
    return Path(str(resources.files(__name__).joinpath(name)))


def load_weights(file) -> list:
    """[(name, weight (out, in), bias or None), ...] from an npz with ``<layer>.weight`` / ``<layer>.bias`` arrays.

    Layers keep the file's order. The general loaders (any naming, safetensors, torch) live in
    :mod:`schattheory.networks`; this reader covers the bundled format only.
    """
    file = Path(file)
    try:
        with np.load(file, allow_pickle=False) as z:
            arrays = {k: np.asarray(z[k]) for k in z.files}
    except FileNotFoundError:
        raise
    except Exception as exc:
        raise InputError("model", str(file), f"cannot be read as an .npz weight file ({type(exc).__name__})") from None
    names = [k[: -len(".weight")] for k in arrays if k.endswith(".weight")]
    if not names:
        raise InputError("model", str(file), "has no '<layer>.weight' arrays")
    layers = []
    for name in names:
        W = arrays[f"{name}.weight"]
        if W.ndim != 2:
            raise InputError(f"{name}.weight", f"array of shape {W.shape}", "must be a 2-D (out, in) matrix")
        layers.append((name, W, arrays.get(f"{name}.bias")))
    for (n1, W1, _), (n2, W2, _) in zip(layers, layers[1:]):
        if W1.shape[0] != W2.shape[1]:
            raise InputError(f"{n2}.weight", f"shape {W2.shape}", f"does not chain with {n1} of shape {W1.shape}")
    return layers


def load_stats(file) -> dict:
    """The statistics JSON written beside a bundled network."""
    file = Path(file)
    try:
        return json.loads(file.read_text())
    except json.JSONDecodeError as exc:
        raise InputError("data", str(file), f"is not valid JSON ({exc.msg} at line {exc.lineno})") from None


def data_stats(meta: dict):
    """:class:`~schattheory.foundation.netstats.DataStats` from a statistics JSON (its ``data`` block)."""
    from schattheory.foundation.netstats import DataStats

    d = meta.get("data", meta)
    try:
        return DataStats(
            n=int(d["n"]),
            input_norm=float(d["input_norm"]),
            data_frobenius=float(d["data_frobenius"]),
            margin=float(d["margin"]),
            margin_loss=float(d.get("margin_loss", 0.0)),
            num_classes=int(d.get("num_classes", 2)),
            margin_rule=str(d.get("margin_rule", "given")),
        )
    except KeyError as exc:
        raise InputError("data", sorted(d), f"statistics lack the field {exc.args[0]!r}") from None


def network_stats(model_file, stats_file=None, source: str = "", biases: bool = True):
    """:class:`~schattheory.foundation.netstats.NetworkStats` of an npz network (and its statistics JSON when given).

    The layers are those the network applies: biases folded by homogeneous coordinates
    (:mod:`schattheory.networks.homogeneous`; ``biases=False``: the bias-free network, whose margins the stored
    statistics do not describe, so it is refused with statistics), and the data statistics are those of the
    augmented inputs (B -> sqrt(B^2 + 1), ||X||_F -> sqrt(||X||_F^2 + n), B_(l-1,A) -> sqrt(B_(l-1,A)^2 + 1)).
    The JSON's ``activation_norms`` (B_(l-1,A) per layer), when present, go to ``extras["activation_norms"]``.
    """
    from schattheory.foundation.netstats import NetworkStats
    from schattheory.networks.homogeneous import augment_data_stats
    from schattheory.networks.spectra import NetworkSpectra

    load_weights(model_file)  # the bundled format's own checks (names, 2-D, chaining)
    spectra = NetworkSpectra.from_model(str(model_file), biases=biases)
    from dataclasses import replace

    # the bundled format names a layer by its stem ("fc1" for fc1.weight)
    layers = tuple(
        replace(lay, name=lay.name[: -len(".weight")] if lay.name.endswith(".weight") else lay.name)
        for lay in spectra.layers
    )
    meta = load_stats(stats_file) if stats_file is not None else None
    if meta is not None and not biases and spectra.homogeneous.biases.startswith("dropped"):
        raise InputError(
            "biases",
            False,
            "the stored margins are those of the network with its biases; evaluate "
            "the bias-free network from its weights and data instead",
        )
    extras = {"homogeneous": spectra.homogeneous}
    data, act = (data_stats(meta) if meta is not None else None), None
    if meta is not None:
        act = meta.get("data", meta).get("activation_norms")
        if act is not None:
            if len(act) != len(layers):
                raise InputError("data", f"{len(act)} activation norms", f"the network has {len(layers)} layers")
            act = [float(v) for v in act]
    hom = spectra.homogeneous
    if data is not None and hom.augmented:
        data, act = augment_data_stats(data, hom.input_extra(), act, [f.takes_one for f in hom.folds])
    if act is not None:
        extras["activation_norms"] = act
    return NetworkStats(layers, data, source=source or str(model_file), extras=extras)


def bundled_network():
    """The bundled digits network with its training-data statistics."""
    return network_stats(path(MODEL_FILE), path(STATS_FILE), source=f"bundled {MODEL_FILE}")


def bundled_metadata() -> dict:
    """Configuration, versions, errors and data statistics of the bundled network."""
    return load_stats(path(STATS_FILE))
