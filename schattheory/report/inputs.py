"""What the report is about: the bundled network, or a user's ``--model`` (and ``--data``) files.

``--data`` is either a statistics JSON in the bundled format (``n``, ``input_norm``, ``data_frobenius``, ``margin``,
...; see ``schattheory/data/README.md``) or an ``.npz`` with arrays ``X`` (n x d) and ``y`` from which the network
loaders compute the statistics by a forward pass.

>>> stats, meta = load_network()
>>> stats.source, meta["config"]["depth"]
('bundled digits_mlp.npz', 4)
"""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError

__all__ = ["load_network"]


def _existing(path, argument: str) -> Path:
    p = Path(path).expanduser()
    if not p.exists():
        raise InputError(argument, str(path), "no such file")
    if p.is_dir():
        raise InputError(argument, str(path), "is a directory, not a file")
    return p


def load_network(model=None, data=None):
    """(NetworkStats, metadata dict or None) for the bundled network or the given files."""
    from .. import data as bundled

    if model is None:
        if data is not None:
            raise InputError("data", str(data), "needs --model: data statistics belong to a given network")
        return bundled.bundled_network(), bundled.bundled_metadata()
    model = _existing(model, "model")
    stats = _load_model(model)
    if data is None:
        return stats, None
    data = _existing(data, "data")
    if data.suffix.lower() == ".json":
        from dataclasses import replace

        return replace(stats, data=bundled.data_stats(bundled.load_stats(data))), None
    if data.suffix.lower() == ".npz":
        return _with_npz_data(stats, model, data), None
    raise InputError("data", str(data), "must be a statistics .json or an .npz with arrays X and y")


def _load_model(model: Path):
    if model.suffix.lower() == ".npz":
        return _npz_model(model)
    raise InputError("model", str(model), "must be an .npz weight file (<layer>.weight arrays, torch orientation)")


def _npz_model(model: Path):
    from .. import data as bundled

    return bundled.network_stats(model)


def _with_npz_data(stats, model: Path, data: Path):
    raise InputError("data", str(data), "an .npz data file needs the network loaders (schattheory.networks), "
                                        "which are not available here; give a statistics .json instead")
