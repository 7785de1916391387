r"""Weight loaders: ``.npz``, ``.safetensors``, PyTorch state dicts and lists of arrays, one tensor at a time.

A model is read in two steps, so that bad input is refused before any heavy work and no more than one weight
tensor is ever held in memory:

1. :func:`plan_model` reads only the headers (names, shapes, dtypes), selects the layers, pairs biases with their
   weights, and checks that consecutive layers chain (out of layer l = in of layer l+1);
2. :func:`iter_layers` yields one :class:`RawLayer` at a time (weights upcast from fp16/bf16 to float32, float32
   kept, NaN/inf refused) which the caller turns into a spectrum and drops.

Conventions: dense weights are in torch orientation (out, in); conv kernels are 4-D (out, in, kh, kw). Files that
store (in, out) (Keras/JAX) are read with ``orientation="in_out"`` (conv kernels then (kh, kw, in, out)). A 1-D
tensor whose name matches a weight's (``fc1.bias`` for ``fc1.weight``, ``b1`` for ``W1``) or, for the unnamed arrays
of ``numpy.savez(*arrays)`` (``arr_0``, ``arr_1``...), that follows a weight and has its output length, is that
layer's bias and is kept aside. In a Python list, biases are given as ``(weight, bias)`` pairs and a bare 1-D array
is refused.

Layer order: the file's order for ``.npz`` and PyTorch files; for ``.safetensors`` (whose header order is not the
model's) a natural sort of the names, so ``layers.10`` comes after ``layers.9`` (``order="file"`` uses the data
offsets instead).

>>> import numpy as np
>>> plan = plan_model([np.ones((4, 3)), np.ones((2, 4))])
>>> [(lay.name, lay.shape) for lay in plan.layers]
[('layer0', (4, 3)), ('layer1', (2, 4))]
>>> plan_model([np.ones((4, 3)), np.ones((2, 5))])
Traceback (most recent call last):
...
schattheory.errors.InputError: layers='layer1': shape (2, 5): its 5 inputs do not match the 4 outputs of 'layer0' (out of layer l must equal in of layer l+1; check the order or --orientation)
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from .formats import TensorInfo, natural_key, open_source

__all__ = ["TensorInfo", "LayerPlan", "ModelPlan", "RawLayer", "plan_model", "iter_layers", "open_source",
           "natural_key"]

_FLOAT_UPCAST = {"float16": np.float32, "bfloat16": np.float32}


@dataclass(frozen=True)
class LayerPlan:
    """One selected layer: weight tensor, optional bias tensor, kind ``dense`` or ``conv``."""

    name: str
    shape: tuple           # torch orientation: (out, in) or (out, in, kh, kw)
    dtype: str
    kind: str
    bias: str | None = None


@dataclass(frozen=True)
class ModelPlan:
    source: object
    layers: tuple
    ignored: tuple = ()                    # (name, reason) of tensors not used
    orientation: str = "out_in"


@dataclass
class RawLayer:
    """One layer's data: weight in torch orientation ((out, in) or (out, in, kh, kw)) and its bias, if any."""

    name: str
    weight: np.ndarray
    bias: np.ndarray | None
    kind: str
    stored_dtype: str


# ---- selection and checks -----------------------------------------------------------------------------------
def _matcher(pattern):
    """``re:REGEX`` or comma-separated shell patterns (``fnmatch``) matched against the full tensor name."""
    if pattern is None:
        return None
    if isinstance(pattern, (list, tuple)):
        pats = list(pattern)
    elif pattern.startswith("re:"):
        try:
            rx = re.compile(pattern[3:])
        except re.error as exc:
            raise InputError("layers", pattern, f"is not a valid regular expression ({exc})") from None
        return lambda name: rx.search(name) is not None
    else:
        pats = [p.strip() for p in pattern.split(",") if p.strip()]
    if not pats:
        raise InputError("layers", pattern, "is empty")
    return lambda name: any(fnmatch.fnmatchcase(name, p) for p in pats)


def _bias_candidates(name: str) -> list:
    out = []
    stem, _, last = name.rpartition(".")
    for wname, bname in (("weight", "bias"), ("weights", "biases"), ("kernel", "bias"), ("w", "b"), ("W", "b")):
        if last == wname:
            out.append(f"{stem}.{bname}" if stem else bname)
    for wpre, bpre in (("weight", "bias"), ("weights", "biases"), ("W", "b"), ("w", "b")):
        if name.startswith(wpre) and len(name) > len(wpre) and not name[len(wpre)].isalpha():
            out.append(bpre + name[len(wpre):])
    if not name.endswith(".bias") and "." not in name:
        out.append(name + ".bias")
    return out


def _is_floatish(dtype: str) -> bool:
    return dtype.startswith("float") or dtype == "bfloat16"


#: integer tensors with these name endings are index buffers (``position_ids``, attention masks), not weights
_BUFFER_SUFFIXES = ("_ids", "position_ids", "_mask", "mask", "_index", "index", "num_batches_tracked")


def _unsupported_dtype(t, kind: str) -> InputError:
    what = "complex" if "complex" in t.dtype else t.dtype
    return InputError("layers", t.name, f"{kind} has dtype {what}: only real floating-point weights are supported "
                      "(dequantise or convert it, or leave it out with --layers)")


def plan_model(model, layers=None, *, orientation: str = "out_in", order: str = "natural",
               check_chain: bool = True) -> ModelPlan:
    """Select the weight layers of ``model`` (path or arrays) and check them, reading headers only.

    ``layers``: ``None`` (every 2-D and 4-D float tensor), comma-separated shell patterns, or ``re:REGEX``.
    """
    if orientation not in ("out_in", "in_out"):
        raise InputError("orientation", orientation, "must be 'out_in' (torch) or 'in_out' (Keras/JAX)")
    source = open_source(model, order=order)
    infos = source.tensors()
    if not infos:
        raise InputError("model", source.label, "holds no tensors")
    match = _matcher(layers)
    by_name = {t.name: t for t in infos}
    chosen, ignored = [], []
    for t in infos:
        if match is not None and not match(t.name):
            continue
        if len(t.shape) in (2, 4):
            if not _is_floatish(t.dtype) and source.kind not in ("arrays", "dict"):
                # never a silent drop: a complex or quantised layer skipped would evaluate a shorter network
                if match is None and "complex" not in t.dtype and t.name.endswith(_BUFFER_SUFFIXES):
                    ignored.append((t.name, f"dtype {t.dtype} (an index buffer, not a weight)"))
                    continue
                raise _unsupported_dtype(t, "tensor")
            chosen.append(t)
    weights = {t.name for t in chosen}

    # biases: by name first, then (for unnamed arrays) the 1-D tensor that follows a weight with its output length
    bias_of, used = {}, set()
    for t in chosen:
        out = t.shape[-1] if orientation == "in_out" else t.shape[0]
        for cand in _bias_candidates(t.name):
            b = by_name.get(cand)
            if b is not None and cand not in weights and len(b.shape) == 1:
                if not _is_floatish(b.dtype) and source.kind not in ("arrays", "dict"):
                    raise _unsupported_dtype(b, f"the bias of {t.name!r}")
                if b.shape[0] != out:
                    raise InputError("bias", cand, f"has length {b.shape[0]} but layer {t.name!r} has {out} outputs")
                bias_of[t.name] = cand
                used.add(cand)
                break
    position = {t.name: i for i, t in enumerate(infos)}
    for t in chosen:
        if t.name in bias_of:
            continue
        i = position[t.name]
        nxt = infos[i + 1] if i + 1 < len(infos) else None
        out = t.shape[-1] if orientation == "in_out" else t.shape[0]
        if (nxt is not None and len(nxt.shape) == 1 and nxt.name not in used and nxt.shape[0] == out
                and re.fullmatch(r"arr_\d+", nxt.name)):   # numpy.savez(*arrays): unnamed, paired by position
            bias_of[t.name] = nxt.name
            used.add(nxt.name)
    for t in infos:
        if t.name in weights or t.name in used:
            continue
        selected = match is not None and match(t.name)
        if selected or (source.kind == "arrays" and match is None):  # asked for: refuse, do not skip
            what = ("is a 1-D tensor, not a weight layer" if len(t.shape) == 1 else f"has {len(t.shape)} dimensions")
            raise InputError("layers", t.name, f"shape {tuple(t.shape)}: "
                             f"{what} (layers are 2-D (out, in) or 4-D conv kernels (out, in, kh, kw))")
        ignored.append((t.name, {0: "scalar", 1: "1-D, not a bias"}.get(len(t.shape), f"{len(t.shape)}-D")))
    if not chosen:
        what = f"matches --layers {layers!r}" if match is not None else "is 2-D or 4-D"
        raise InputError("model", source.label, f"no weight tensor {what} (tensors: "
                         + ", ".join(f"{t.name}{list(t.shape)}" for t in infos[:6]) + (" ..." if len(infos) > 6 else "")
                         + ")")
    plans = []
    for t in chosen:
        shape = tuple(int(x) for x in t.shape)
        if any(x == 0 for x in shape):
            raise InputError("layers", t.name, f"shape {shape} has a zero dimension")
        kind = "dense" if len(shape) == 2 else "conv"
        plans.append(LayerPlan(t.name, _torch_shape(shape, orientation), t.dtype, kind, bias_of.get(t.name)))
    if check_chain:
        _check_chain(plans)
    return ModelPlan(source, tuple(plans), tuple(ignored), orientation)


def _torch_shape(shape, orientation):
    if orientation == "out_in":
        return shape
    return (shape[1], shape[0]) if len(shape) == 2 else (shape[3], shape[2], shape[0], shape[1])


def _check_chain(plans):
    for prev, cur in zip(plans, plans[1:]):
        out_prev, in_cur = prev.shape[0], cur.shape[1]
        if prev.kind == cur.kind and out_prev != in_cur:
            raise InputError("layers", cur.name, f"shape {cur.shape}: "
                             f"its {in_cur} inputs do not match the {out_prev} outputs of {prev.name!r} (out of "
                             "layer l must equal in of layer l+1; check the order or --orientation)")
        # conv -> dense flattens (channels x positions); dense -> conv reshapes: the counts must divide
        if prev.kind == "conv" and cur.kind == "dense" and in_cur % out_prev:
            raise InputError("layers", cur.name, f"shape {cur.shape}: "
                             f"its {in_cur} inputs are not a multiple of the {out_prev} channels of {prev.name!r}")
        if prev.kind == "dense" and cur.kind == "conv" and out_prev % in_cur:
            raise InputError("layers", cur.name, f"shape {cur.shape}: "
                             f"its {in_cur} channels do not divide the {out_prev} outputs of {prev.name!r}")


def _to_weight(arr: np.ndarray, name: str, stored: str, orientation: str, want_ndim=None) -> np.ndarray:
    arr = np.asarray(arr)
    if want_ndim is not None and arr.ndim != want_ndim:
        raise InputError("layers", name, f"read with {arr.ndim} dimensions, header said {want_ndim}")
    if np.iscomplexobj(arr):
        raise InputError("layers", name, "is complex; weights must be real")
    target = _FLOAT_UPCAST.get(str(arr.dtype), None) or _FLOAT_UPCAST.get(stored)
    if target is not None:
        arr = arr.astype(target)
    elif arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    if orientation == "in_out":
        arr = arr.T if arr.ndim == 2 else arr.transpose(3, 2, 0, 1)
    arr = np.ascontiguousarray(arr)
    # max and min are NaN or +-inf exactly when some entry is: two cheap passes, no boolean copy of the layer
    if not (np.isfinite(arr.max()) and np.isfinite(arr.min())):
        finite = np.isfinite(arr)
        bad = "NaN" if np.isnan(arr).any() else "inf"
        raise InputError("layers", name, f"shape {arr.shape}: contains {bad} entries "
                         f"({int(arr.size - np.count_nonzero(finite))} of {arr.size})")
    return arr


def iter_layers(plan: ModelPlan):
    """Yield :class:`RawLayer` objects one at a time (the caller drops each before the next is read)."""
    src = plan.source
    for lay in plan.layers:
        w = _to_weight(src.read(lay.name), lay.name, lay.dtype, plan.orientation, len(lay.shape))
        bias = None
        if lay.bias is not None:
            raw = np.asarray(src.read(lay.bias))
            if np.iscomplexobj(raw) or raw.dtype == object:
                raise InputError("bias", lay.bias, f"has dtype {raw.dtype}: biases must be real numbers")
            bias = raw.astype(np.float64).reshape(-1)
            if not np.all(np.isfinite(bias)):
                raise InputError("bias", lay.bias, "contains NaN or inf entries")
        yield RawLayer(lay.name, w, bias, lay.kind, lay.dtype)
