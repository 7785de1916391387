r"""Checkpoints as people have them: a folder of safetensors shards with ``model.safetensors.index.json``, a folder
with one ``model.safetensors``, or a single weights file; and the plan of what to decompose in them.

:func:`open_checkpoint` reads headers only (the index's ``weight_map`` says which shard holds each tensor; each shard
is checked by :class:`~schattheory.networks.formats.SafetensorsSource`). :func:`plan_checkpoint` names every tensor
through :mod:`schattheory.networks.layouts` and turns the ones to decompose into :class:`TensorJob` objects (file,
tensor, how to orient and split it), which any worker can execute on its own: a job carries no weights.

>>> import numpy as np
>>> plan = plan_checkpoint({"h.0.mlp.c_fc.weight": np.ones((4, 8), np.float32), "h.0.ln_1.weight": np.ones(4)})
>>> [(j.parts[0][0], j.shape) for j in plan.jobs], [(e["name"], e["action"]) for e in plan.entries]
([('h.0.mlp.c_fc.weight', (8, 4))], [('h.0.ln_1.weight', 'skip'), ('h.0.mlp.c_fc.weight', 'decompose')])
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace

from schattheory.foundation.errors import InputError
from schattheory.networks import dtypes
from schattheory.networks.formats import ArraySource, TensorInfo, natural_key, open_source
from schattheory.networks.homogeneous import LayerFold, homogeneous_plan
from schattheory.networks.layouts import classify, roles
from schattheory.networks.loaders import LayerPlan, _batchnorms, _is_floatish, _matcher, accounted_tensors, pair_biases

__all__ = ["CheckpointSource", "open_checkpoint", "TensorJob", "CheckpointPlan", "plan_checkpoint", "is_checkpoint"]

INDEX_NAME = "model.safetensors.index.json"


class CheckpointSource:
    """Tensors spread over one or more files: ``tensors()`` (natural name order) and ``file_of(name)``."""

    def __init__(self, files: dict, label: str, sources: dict):
        self._file_of = files  # tensor name -> path (or None for in-memory arrays)
        self._sources = sources  # path -> opened source
        self.label = label
        infos = {}
        for path, src in sources.items():
            for t in src.tensors():
                if self._file_of.get(t.name, path) == path:
                    infos[t.name] = t
        missing = [n for n in self._file_of if n not in infos]
        if missing:
            raise InputError(
                "model",
                label,
                f"the index names tensor {missing[0]!r} in "
                f"{os.path.basename(str(self._file_of[missing[0]]))}, which does not hold it",
            )
        self._infos = [infos[n] for n in sorted(infos, key=natural_key)]

    def tensors(self) -> list:
        return list(self._infos)

    def file_of(self, name: str):
        return self._file_of[name]

    def file_order(self) -> list:
        """Tensor names as written (pairs a BatchNorm with the layer before it): one file's own order, else the
        natural order of the names (shards have no order between them)."""
        if len(self._sources) == 1:
            return next(iter(self._sources.values())).file_order()
        return [t.name for t in self._infos]

    def read(self, name: str):
        return self._sources[self._file_of[name]].read(name)


def _index_files(index_path: str) -> dict:
    try:
        with open(index_path) as fh:
            index = json.load(fh)
        weight_map = index["weight_map"]
        if not isinstance(weight_map, dict) or not weight_map:
            raise TypeError("empty")
    except (OSError, json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as exc:
        raise InputError("model", index_path, f"is not a safetensors index with a weight_map ({exc})") from None
    folder = os.path.dirname(index_path)
    files = {}
    for name, shard in weight_map.items():
        path = os.path.join(folder, str(shard))
        if not os.path.isfile(path):
            raise InputError("model", index_path, f"names shard {shard!r} for tensor {name!r}, which does not exist")
        files[str(name)] = os.path.realpath(path)
    return files


def open_checkpoint(model) -> CheckpointSource:
    """A checkpoint folder, its index file, one weights file, or in-memory arrays (dict or list)."""
    if isinstance(model, (list, tuple, dict)):
        src = open_source(model)
        return CheckpointSource({t.name: None for t in src.tensors()}, src.label, {None: src})
    path = os.fspath(model)
    if not os.path.exists(path):
        raise InputError("model", path, "no such file or folder")
    if os.path.isdir(path):
        index = os.path.join(path, INDEX_NAME)
        if os.path.isfile(index):
            path = index
        else:
            shards = sorted(f for f in os.listdir(path) if f.endswith(".safetensors"))
            if not shards:
                raise InputError("model", path, f"is a folder without {INDEX_NAME} or .safetensors files")
            if len(shards) > 1:
                raise InputError(
                    "model",
                    path,
                    f"holds {len(shards)} .safetensors files but no {INDEX_NAME} saying which tensor is in which",
                )
            path = os.path.join(path, shards[0])
    if path.endswith(".json"):
        files = _index_files(path)
        sources = {f: open_source(f) for f in sorted(set(files.values()))}
        for f, src in sources.items():
            if src.kind != "safetensors":
                raise InputError("model", f, "is named by the index but is not a safetensors file")
        return CheckpointSource(files, os.path.dirname(os.path.abspath(path)) or path, sources)
    real = os.path.realpath(path)
    src = open_source(real)
    return CheckpointSource({t.name: real for t in src.tensors()}, path, {real: src})


def is_checkpoint(model) -> bool:
    """A folder or an index file (the forms only :func:`open_checkpoint` reads)."""
    if isinstance(model, (list, tuple, dict)):
        return False
    path = os.fspath(model)
    return os.path.isdir(path) or path.endswith(".json")


@dataclass(frozen=True)
class TensorJob:
    """One stored tensor to read and decompose: ``parts`` are (layer name, row lo, row hi) in (out, in) orientation
    (one part for the whole matrix, several for a fused projection); ``shape`` is the whole (out, in) operator."""

    index: int
    file: str | None
    tensor: str
    stored_shape: tuple
    dtype: str
    transpose: bool
    shape: tuple
    parts: tuple
    role: str
    pattern: str | None
    nbytes: int
    bias: str | None = None  # the layer's bias tensor, folded by homogeneous coordinates (``fold``)
    batchnorm: tuple | None = None  # (running_mean, running_var, weight, bias) names of a BatchNorm to fold in
    extra_files: tuple = ()  # (name, file) of the bias and BatchNorm tensors: any shard may hold them
    extra_dtypes: tuple = ()
    fold: LayerFold | None = None  # how the constant coordinate enters the folded operator (None: as stored)


@dataclass
class CheckpointPlan:
    source: CheckpointSource
    jobs: list
    entries: list  # one dict per tensor: name, shape, dtype, role, action, reason
    roles_present: dict = field(default_factory=dict)  # role -> number of evaluated layers
    notes: list = field(default_factory=list)
    layer_plans: tuple = ()  # LayerPlan per job (bias and BatchNorm paired) when every layer is dense
    used: tuple = ()  # the 1-D tensors paired with a layer (biases, BatchNorm)
    fold_error: str | None = None  # why the biases/BatchNorm cannot be paired with the layers

    def folded(self, biases: bool = True):
        """(jobs, HomogeneousPlan) of the network as applied: every job reads its bias and BatchNorm and folds them
        in the worker as the in-order path does (``biases=False``: BatchNorm scales only, the bias-free network)."""
        hom = homogeneous_plan(self, biases=biases)
        jobs = []
        for job, lay, fold in zip(self.jobs, self.layer_plans, hom.folds):
            names = ((lay.bias,) if biases and lay.bias else ()) + tuple(x for x in lay.batchnorm or () if x)
            jobs.append(
                replace(
                    job,
                    bias=lay.bias if biases else None,
                    batchnorm=lay.batchnorm,
                    extra_files=tuple((x, self.source.file_of(x)) for x in names),
                    extra_dtypes=tuple(lay.extra_dtypes),
                    fold=fold,
                )
            )
        return jobs, hom

    @property
    def layers(self) -> tuple:
        """The LayerPlans (the interface :func:`~schattheory.networks.homogeneous.homogeneous_plan` reads)."""
        return self.layer_plans

    @property
    def accounted(self) -> tuple:
        return accounted_tensors(self.layer_plans, self.used) if self.layer_plans else ()

    @property
    def covered(self) -> bool:
        """Whether every evaluated layer is a dense layer of a chain (the bound families apply)."""
        table = roles()
        return all(table[r]["covered"] for r in self.roles_present)

    def uncovered_reasons(self) -> list:
        table = roles()
        return [
            f"{r} ({n} layer{'s' if n > 1 else ''}): {table[r]['meaning']}"
            for r, n in self.roles_present.items()
            if not table[r]["covered"]
        ]

    @property
    def layer_names(self) -> list:
        return [part[0] for job in self.jobs for part in job.parts]

    def dry_run_text(self, why_not: str | None = None) -> str:
        """What would be evaluated and why, one line per tensor; ``why_not``: why the bound families do not apply to
        a plan of dense layers (see :func:`schattheory.networks.checkpoint_eval.bounds_refusal`)."""
        width = max((len(e["name"]) for e in self.entries), default=10)
        out = [
            f"{self.source.label}: {len(self.entries)} tensors, {len(self.layer_names)} layers to decompose "
            f"({sum(j.nbytes for j in self.jobs) / 2**20:.1f} MiB to read)"
        ]
        for e in self.entries:
            shape = "x".join(map(str, e["shape"])) or "scalar"
            out.append(
                f"{e['name']:<{width}}  {shape:>12}  {e['dtype']:<13}  {e['action']:<9}  {e['role'] or '-':<18}"
                f"  {e['reason']}"
            )
        if self.roles_present:
            if self.covered and why_not is not None:
                out.append(f"bounds: not evaluated: {why_not}")
            elif self.covered:
                out.append(
                    "bounds: every evaluated layer is a dense layer with its biases and BatchNorm folded; the "
                    "network bound families apply"
                )
            else:
                out.append(
                    "bounds: the network bound families (feed-forward chains x -> A_L s(... s(A_1 x))) do not "
                    "cover this architecture; spectra and rank measures are reported for every layer. Why:"
                )
                out += [f"  - {r}" for r in self.uncovered_reasons()]
        out += [f"note: {n}" for n in self.notes]
        return "\n".join(out) + "\n"


def plan_checkpoint(model, layers=None, *, orientation: str = "out_in") -> CheckpointPlan:
    """Name every tensor of ``model`` and plan the decomposition of the selected 2-D/4-D float ones (headers only).

    ``layers``: comma-separated shell patterns or ``re:REGEX`` (as for every loader) selecting tensors by name.
    """
    source = model if isinstance(model, CheckpointSource) else open_checkpoint(model)
    infos = source.tensors()
    if not infos:
        raise InputError("model", source.label, "holds no tensors")
    match = _matcher(layers)
    jobs, entries, present = [], [], {}
    for t in infos:
        entry = {
            "name": t.name,
            "shape": list(t.shape),
            "dtype": t.dtype,
            "role": None,
            "pattern": None,
            "action": "skip",
            "reason": "",
        }
        entries.append(entry)
        if match is not None and not match(t.name):
            entry["reason"] = "not selected by --layers"
            continue
        lay = classify(t.name, len(t.shape), orientation)
        if lay is None:
            entry["reason"] = {0: "scalar", 1: "1-D tensor, not a weight matrix"}.get(
                len(t.shape), f"{len(t.shape)}-D tensor"
            )
            continue
        entry.update(role=lay.role, pattern=lay.pattern)
        if not lay.evaluate:
            entry["reason"] = lay.meaning
            continue
        if not _is_floatish(t.dtype) and not isinstance(source._sources.get(None), ArraySource):
            entry["reason"] = f"dtype {t.dtype}: weights must be floating point"
            continue
        if any(x == 0 for x in t.shape):
            raise InputError("layers", t.name, f"shape {tuple(t.shape)} has a zero dimension")
        job = _job(len(jobs), source, t, lay)
        if job is None:
            entry["reason"] = (
                f"fused {lay.role} of {t.shape}: {job_rows(t, lay)} rows do not split into "
                f"{len(lay.split)} equal blocks; decomposed whole"
            )
            job = _job(len(jobs), source, t, lay, split=False)
        else:
            entry["reason"] = lay.meaning
        entry["action"] = "split" if len(job.parts) > 1 else "decompose"
        jobs.append(job)
        present[lay.role] = present.get(lay.role, 0) + len(job.parts)
    if not jobs:
        what = f"matches --layers {layers!r}" if match is not None else "is a 2-D or 4-D float tensor"
        raise InputError("model", source.label, f"no weight tensor {what}")
    layer_plans, used, fold_error = (), (), None
    if all(j.role == "dense" and len(j.parts) == 1 and len(j.stored_shape) == 2 for j in jobs):
        try:
            layer_plans, used = _pair_extras(source, infos, jobs, entries, orientation, match)
        except InputError as exc:
            fold_error = str(exc)
    notes = []
    if "embedding" in present and "lm_head" not in present and any(e["role"] for e in entries):
        notes.append(
            "no lm_head tensor: the output head, if the model has one, is tied to the token embedding "
            "(its spectrum is the embedding's)"
        )
    return CheckpointPlan(source, jobs, entries, present, notes, layer_plans, used, fold_error)


def _pair_extras(source, infos, jobs, entries, orientation, match):
    """LayerPlans of the dense jobs with their biases and BatchNorms, paired as the in-order path pairs them (the
    same functions); the entries of the paired tensors say what they are folded into."""
    by_name = {t.name: t for t in infos}
    chosen = [by_name[j.tensor] for j in jobs]
    bias_of, used = pair_biases(
        infos, chosen, orientation, strict_dtype=not isinstance(source._sources.get(None), ArraySource)
    )
    bn_of = _batchnorms(source, infos, chosen, used, orientation, match)
    plans = []
    for job in jobs:
        bn = bn_of.get(job.tensor)
        bias = bias_of.get(job.tensor)
        extra = tuple(by_name[x].dtype for x in ((bias,) + tuple(bn or ())) if x is not None)
        plans.append(LayerPlan(job.tensor, job.shape, job.dtype, "dense", bias, bn, extra))
    role = {n: r for n, r in accounted_tensors(plans, used)}
    for e in entries:
        if e["name"] in used:
            e.update(action="fold", reason=role.get(e["name"], "batchnorm counter (no effect in eval mode)"))
    return tuple(plans), tuple(sorted(used))


def job_rows(t: TensorInfo, lay) -> int:
    return t.shape[0] if lay.stored == "out_in" or len(t.shape) != 2 else t.shape[1]


def _job(index, source, t: TensorInfo, lay, split: bool = True):
    shape = tuple(int(x) for x in t.shape)
    transpose = lay.stored == "in_out"
    if len(shape) == 2:
        op = (shape[1], shape[0]) if transpose else shape
    else:  # conv kernel: its filter matrix (c_out, c_in kh kw); in_out kernels are (kh, kw, c_in, c_out)
        c_out = shape[3] if transpose else shape[0]
        op = (c_out, int(shape[0] * shape[1] * shape[2] * shape[3]) // c_out)
    parts = ((t.name, 0, op[0]),)
    if split and lay.split:
        k = len(lay.split)
        if op[0] % k:
            return None
        step = op[0] // k
        parts = tuple((f"{t.name}[{part}]", i * step, (i + 1) * step) for i, part in enumerate(lay.split))
    nbytes = dtypes.itemsize(t.dtype) * int(_prod(shape)) if t.dtype in dtypes.SAFETENSORS_DTYPES.values() else 0
    return TensorJob(
        index, source.file_of(t.name), t.name, shape, t.dtype, transpose, op, parts, lay.role, lay.pattern, nbytes
    )


def _prod(shape) -> int:
    out = 1
    for x in shape:
        out *= int(x)
    return out
