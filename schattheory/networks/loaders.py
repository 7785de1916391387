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

BatchNorm (eval mode): the tensors ``P.running_mean``, ``P.running_var`` (and ``P.weight``, ``P.bias``,
``P.num_batches_tracked`` when present) form a BatchNorm that is folded into the weight layer preceding it in the
file (the standard conv/dense -> BN -> activation block): with scale c = gamma / sqrt(running_var + eps),
W <- diag(c) W (per output channel for a conv) and b <- c (b - running_mean) + beta. Tensors that act in a network but
cannot be folded into a chain of linear layers (LayerNorm/GroupNorm affine scales without running statistics,
attention projections) are refused with the reason; every other tensor that is not used is listed in
``ModelPlan.ignored`` with what that means for the bounds. No tensor is dropped silently.

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
schattheory.foundation.errors.InputError: layers='layer1': shape (2, 5): its 5 inputs do not match the 4 outputs of
'layer0'
(out of layer l must equal in of layer l+1; check the order or --orientation)
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

import numpy as np

from schattheory.foundation.errors import InputError
from schattheory.networks.formats import TensorInfo, natural_key, open_source

__all__ = [
    "TensorInfo",
    "LayerPlan",
    "ModelPlan",
    "RawLayer",
    "plan_model",
    "iter_layers",
    "open_source",
    "natural_key",
    "fold_batchnorm",
    "with_extras",
    "pair_biases",
    "BN_EPS",
]

_FLOAT_UPCAST = {"float16": np.float32, "bfloat16": np.float32}


@dataclass(frozen=True)
class LayerPlan:
    """One selected layer: weight tensor, optional bias tensor, kind ``dense`` or ``conv``."""

    name: str
    shape: tuple  # torch orientation: (out, in) or (out, in, kh, kw)
    dtype: str
    kind: str
    bias: str | None = None
    batchnorm: tuple | None = None  # (running_mean, running_var, weight or None, bias or None) tensor names
    extra_dtypes: tuple = ()  # stored dtypes of the bias and BatchNorm tensors folded into this layer

    @property
    def has_bias(self) -> bool:
        """The layer adds a constant: its own bias, or the shift of a folded BatchNorm."""
        return self.bias is not None or self.batchnorm is not None


@dataclass(frozen=True)
class ModelPlan:
    source: object
    layers: tuple
    ignored: tuple = ()  # (name, reason) of tensors not used, the reason saying what it means
    orientation: str = "out_in"
    accounted: tuple = ()  # (name, role) of every tensor used: weight, bias, batchnorm


@dataclass
class RawLayer:
    """One layer's data: weight in torch orientation ((out, in) or (out, in, kh, kw)) and its bias, if any."""

    name: str
    weight: np.ndarray
    bias: np.ndarray | None
    kind: str
    stored_dtype: str
    batchnorm: str | None = None  # the BatchNorm folded into weight and bias, if any


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
            out.append(bpre + name[len(wpre) :])
    if not name.endswith(".bias") and "." not in name:
        out.append(name + ".bias")
    return out


def _is_floatish(dtype: str) -> bool:
    return dtype.startswith("float") or dtype == "bfloat16"


#: integer tensors with these name endings are index buffers (``position_ids``, attention masks), not weights
_BUFFER_SUFFIXES = ("_ids", "position_ids", "_mask", "mask", "_index", "index", "num_batches_tracked")


def _unsupported_dtype(t, kind: str) -> InputError:
    what = "complex" if "complex" in t.dtype else t.dtype
    return InputError(
        "layers",
        t.name,
        f"{kind} has dtype {what}: only real floating-point weights are supported "
        "(dequantise or convert it, or leave it out with --layers)",
    )


def plan_model(
    model, layers=None, *, orientation: str = "out_in", order: str = "natural", check_chain: bool = True
) -> ModelPlan:
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

    bias_of, used = pair_biases(infos, chosen, orientation, strict_dtype=source.kind not in ("arrays", "dict"))
    bn_of = _batchnorms(source, infos, chosen, used, orientation, match)
    _refuse_unfoldable(infos, weights, used, match)
    for t in infos:
        if t.name in weights or t.name in used:
            continue
        selected = match is not None and match(t.name)
        if selected or (source.kind == "arrays" and match is None):  # asked for: refuse, do not skip
            what = "is a 1-D tensor, not a weight layer" if len(t.shape) == 1 else f"has {len(t.shape)} dimensions"
            raise InputError(
                "layers",
                t.name,
                f"shape {tuple(t.shape)}: {what} (layers are 2-D (out, in) or 4-D conv kernels (out, in, kh, kw))",
            )
        what = {0: "scalar", 1: "1-D, not a bias"}.get(len(t.shape), f"{len(t.shape)}-D")
        if match is not None and not match(t.name):
            what = f"{what}, not selected by --layers"
        ignored.append(
            (
                t.name,
                f"{what}: not part of the evaluated operator; if it acts in the network, the bounds do not cover it",
            )
        )
    if not chosen:
        what = f"matches --layers {layers!r}" if match is not None else "is 2-D or 4-D"
        raise InputError(
            "model",
            source.label,
            f"no weight tensor {what} (tensors: "
            + ", ".join(f"{t.name}{list(t.shape)}" for t in infos[:6])
            + (" ..." if len(infos) > 6 else "")
            + ")",
        )
    plans = []
    for t in chosen:
        shape = tuple(int(x) for x in t.shape)
        if any(x == 0 for x in shape):
            raise InputError("layers", t.name, f"shape {shape} has a zero dimension")
        kind = "dense" if len(shape) == 2 else "conv"
        bn = bn_of.get(t.name)
        extra = [by_name[x].dtype for x in ((bias_of.get(t.name),) + tuple(bn or ())) if x is not None]
        plans.append(
            LayerPlan(t.name, _torch_shape(shape, orientation), t.dtype, kind, bias_of.get(t.name), bn, tuple(extra))
        )
    if check_chain:
        _check_chain(plans)
    return ModelPlan(source, tuple(plans), tuple(ignored), orientation, accounted_tensors(plans, used))


def accounted_tensors(plans, used) -> tuple:
    """(name, role) of every tensor a network uses: weights, biases, BatchNorm tensors and counters."""
    accounted = [(lay.name, "weight") for lay in plans] + [
        (lay.bias, f"bias of {lay.name}") for lay in plans if lay.bias is not None
    ]
    accounted += [
        (x, f"batchnorm folded into {lay.name}") for lay in plans for x in (lay.batchnorm or ()) if x is not None
    ]
    accounted += [
        (x, "batchnorm counter (no effect in eval mode)") for x in sorted(used) if x.endswith(".num_batches_tracked")
    ]
    return tuple(accounted)


def pair_biases(infos, chosen, orientation: str = "out_in", *, strict_dtype: bool = True):
    """(weight name -> bias name, names used): by name first, then (for the unnamed arrays of ``numpy.savez``) the
    1-D tensor that follows a weight with its output length. ``infos``: every tensor (TensorInfo) in file order;
    ``chosen``: the weight tensors; ``strict_dtype``: refuse a non-float bias (files; in-memory arrays are cast)."""
    by_name = {t.name: t for t in infos}
    weights = {t.name for t in chosen}
    bias_of, used = {}, set()
    for t in chosen:
        out = t.shape[-1] if orientation == "in_out" else t.shape[0]
        for cand in _bias_candidates(t.name):
            b = by_name.get(cand)
            if b is not None and cand not in weights and len(b.shape) == 1:
                if not _is_floatish(b.dtype) and strict_dtype:
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
        if (
            nxt is not None
            and len(nxt.shape) == 1
            and nxt.name not in used
            and nxt.shape[0] == out
            and re.fullmatch(r"arr_\d+", nxt.name)
        ):  # numpy.savez(*arrays): unnamed, paired by position
            bias_of[t.name] = nxt.name
            used.add(nxt.name)
    return bias_of, used


_ATTENTION = re.compile(r"(^|[._])(in_proj|out_proj|q_proj|k_proj|v_proj|qkv|attn|attention|self_attn)([._]|$)")


def _refuse_unfoldable(infos, weights, used, match):
    """Tensors that act in a network but cannot be part of a chain of linear layers are refused, not skipped."""
    for t in infos:
        if t.name in used or (match is not None and not match(t.name)):
            continue
        stem, _, last = t.name.rpartition(".")
        if _ATTENTION.search(t.name):
            raise InputError(
                "model",
                t.name,
                "belongs to an attention block, which the bounds (chains of linear "
                "layers and 1-Lipschitz activations) do not cover; select the chain with --layers",
            )
        if len(t.shape) == 1 and t.name not in weights and last in ("weight", "scale", "gamma") and stem:
            raise InputError(
                "model",
                t.name,
                "is a 1-D scale without running statistics (LayerNorm/GroupNorm "
                "affine parameters or similar): it cannot be folded into a linear layer and the bounds "
                "do not cover a network that uses it; leave it out knowingly with --layers",
            )


def _batchnorms(source, infos, chosen, used, orientation, match) -> dict:
    """weight name -> (running_mean, running_var, weight, bias) of the BatchNorm that follows it in the file."""
    by_name = {t.name: t for t in infos}
    groups = {}
    for t in infos:
        stem, _, last = t.name.rpartition(".")
        if stem and last in ("running_mean", "running_var", "num_batches_tracked"):
            groups.setdefault(stem, {})[last] = t.name
    if not groups:
        return {}
    order = source.file_order() if hasattr(source, "file_order") else [t.name for t in infos]
    pos = {name: i for i, name in enumerate(order)}
    out = {}
    chosen_names = {w.name for w in chosen}
    candidates = [t for t in infos if len(t.shape) in (2, 4)]
    for stem, g in groups.items():
        if "running_mean" not in g or "running_var" not in g:
            raise InputError(
                "model",
                stem,
                "BatchNorm statistics are incomplete (running_mean and running_var are "
                "both needed to fold it in eval mode)",
            )
        for extra in ("weight", "bias"):
            t = by_name.get(f"{stem}.{extra}")
            if t is not None and len(t.shape) == 1:
                g[extra] = t.name
        first = min(pos[x] for x in g.values())
        before = [w for w in candidates if pos[w.name] < first]
        if not before:
            if match is not None:
                continue  # not selected: listed among the ignored tensors
            raise InputError(
                "model",
                stem,
                "a BatchNorm with no weight layer before it in the file cannot be folded into a preceding layer",
            )
        lay = max(before, key=lambda w: pos[w.name])
        if lay.name not in chosen_names:
            continue  # follows a layer that is not evaluated: listed among the ignored tensors
        out_ch = lay.shape[-1] if orientation == "in_out" else lay.shape[0]
        length = by_name[g["running_mean"]].shape
        if tuple(length) != (out_ch,) or tuple(by_name[g["running_var"]].shape) != (out_ch,):
            raise InputError(
                "model",
                stem,
                f"BatchNorm of length {length} follows {lay.name!r} with {out_ch} outputs; it cannot be folded into it",
            )
        if lay.name in out:
            raise InputError("model", stem, f"a second BatchNorm follows {lay.name!r}")
        out[lay.name] = (g["running_mean"], g["running_var"], g.get("weight"), g.get("bias"))
        used.update(g.values())
    return out


def _torch_shape(shape, orientation):
    if orientation == "out_in":
        return shape
    return (shape[1], shape[0]) if len(shape) == 2 else (shape[3], shape[2], shape[0], shape[1])


def _check_chain(plans):
    for prev, cur in zip(plans, plans[1:]):
        out_prev, in_cur = prev.shape[0], cur.shape[1]
        if prev.kind == cur.kind and out_prev != in_cur:
            raise InputError(
                "layers",
                cur.name,
                f"shape {cur.shape}: "
                f"its {in_cur} inputs do not match the {out_prev} outputs of {prev.name!r} (out of "
                "layer l must equal in of layer l+1; check the order or --orientation)",
            )
        # conv -> dense flattens (channels x positions); dense -> conv reshapes: the counts must divide
        if prev.kind == "conv" and cur.kind == "dense" and in_cur % out_prev:
            raise InputError(
                "layers",
                cur.name,
                f"shape {cur.shape}: "
                f"its {in_cur} inputs are not a multiple of the {out_prev} channels of {prev.name!r}",
            )
        if prev.kind == "dense" and cur.kind == "conv" and out_prev % in_cur:
            raise InputError(
                "layers",
                cur.name,
                f"shape {cur.shape}: its {in_cur} channels do not divide the {out_prev} outputs of {prev.name!r}",
            )


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
        raise InputError(
            "layers",
            name,
            f"shape {arr.shape}: contains {bad} entries ({int(arr.size - np.count_nonzero(finite))} of {arr.size})",
        )
    return arr


#: BatchNorm's epsilon (torch's default; it is not stored in state dicts)
BN_EPS = 1e-5


def _vector(read, name, what):
    raw = np.asarray(read(name))
    if np.iscomplexobj(raw) or raw.dtype == object:
        raise InputError(what, name, f"has dtype {raw.dtype}: must be real numbers")
    v = raw.astype(np.float64).reshape(-1)
    if not np.all(np.isfinite(v)):
        raise InputError(what, name, "contains NaN or inf entries")
    return v


def fold_batchnorm(weight, bias, mean, var, gamma=None, beta=None, eps: float = BN_EPS):
    """(W', b') of a layer followed by an eval-mode BatchNorm: c = gamma / sqrt(var + eps), W' = c W (per output
    row or channel), b' = c (b - mean) + beta; float64."""
    c = (np.ones_like(mean) if gamma is None else gamma) / np.sqrt(var + eps)
    w = np.asarray(weight, dtype=np.float64) * c.reshape((-1,) + (1,) * (np.ndim(weight) - 1))
    b = c * ((0.0 if bias is None else bias) - mean) + (0.0 if beta is None else beta)
    return w, b


def with_extras(read, weight, bias=None, batchnorm=None, bn_eps: float = BN_EPS):
    """(W, b) of a layer as the network applies it: its bias tensor read and the eval-mode BatchNorm that follows it
    folded in (``bias``, ``batchnorm``: tensor names as in :class:`LayerPlan`; ``read(name)``: the stored tensor).
    Shared by the in-order path and the checkpoint engine's workers."""
    b = _vector(read, bias, "bias") if bias is not None else None
    if batchnorm is not None:
        mean, var, gam, bet = (None if x is None else _vector(read, x, "batchnorm") for x in batchnorm)
        if np.any(var + bn_eps <= 0):
            raise InputError("batchnorm", batchnorm[1], "has running_var + eps <= 0")
        weight, b = fold_batchnorm(weight, b, mean, var, gam, bet, bn_eps)
    return weight, b


def iter_layers(plan: ModelPlan, *, biases: bool = True, bn_eps: float = BN_EPS):
    """Yield :class:`RawLayer` objects one at a time (the caller drops each before the next is read).

    A BatchNorm following a layer is folded into its weight and bias. ``biases=False`` drops every additive
    constant (the layer's bias and the BatchNorm shift): the layers of the bias-free network.
    """
    src = plan.source
    for lay in plan.layers:
        w = _to_weight(src.read(lay.name), lay.name, lay.dtype, plan.orientation, len(lay.shape))
        w, bias = with_extras(src.read, w, lay.bias, lay.batchnorm, bn_eps)
        if not biases:
            bias = None
        stored = _coarsest((lay.dtype,) + tuple(lay.extra_dtypes))
        bn = lay.batchnorm[0].rsplit(".", 1)[0] if lay.batchnorm is not None else None
        yield RawLayer(lay.name, w, bias, lay.kind, stored, bn)


def _coarsest(dtypes) -> str:
    """The stored dtype with the largest machine epsilon (the precision the folded layer is known to)."""

    def eps(d):
        if d == "bfloat16":
            return 2.0**-8
        try:
            return float(np.finfo(np.dtype(d)).eps)
        except (TypeError, ValueError):
            return 0.0

    return max(dtypes, key=eps)
