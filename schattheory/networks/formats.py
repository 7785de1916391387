r"""Weight file formats: ``.npz``, ``.safetensors``, PyTorch state dicts and in-memory arrays.

Each source lists its tensors from the header alone (:meth:`tensors`: name, shape, stored dtype) and reads one
tensor on demand (:meth:`read`), so a model never has to fit in memory. The format is sniffed from the file's first
bytes, not its extension. Damaged, truncated or empty files raise :class:`~schattheory.foundation.errors.InputError`.

>>> import numpy as np
>>> src = open_source({"fc1.weight": np.ones((4, 3), np.float32), "fc1.bias": np.zeros(4)})
>>> [(t.name, t.shape, t.dtype) for t in src.tensors()]
[('fc1.weight', (4, 3), 'float32'), ('fc1.bias', (4,), 'float64')]
"""

from __future__ import annotations

import json
import os
import re
import struct
import zipfile
from dataclasses import dataclass

import numpy as np

from schattheory.foundation.errors import InputError
from schattheory.networks import dtypes

__all__ = [
    "TensorInfo",
    "open_source",
    "natural_key",
    "ArraySource",
    "NpzSource",
    "SafetensorsSource",
    "TorchSource",
    "MAX_TENSOR_BYTES",
    "MAX_COMPRESSION_RATIO",
]

#: the largest tensor read (uncompressed bytes; a 16384 x 16384 float32 layer is exactly this); larger is refused
#: before any byte of it is read or decompressed
MAX_TENSOR_BYTES = 2**30
#: an .npz member this much larger than its compressed form (and above 64 MiB) is a decompression bomb, not weights
#: (trained float weights barely compress; DEFLATE cannot exceed about 1032:1)
MAX_COMPRESSION_RATIO = 200
_BOMB_FLOOR = 64 * 2**20

_SAFETENSORS_DTYPES = dtypes.SAFETENSORS_DTYPES


@dataclass(frozen=True)
class TensorInfo:
    """A tensor's name, shape and stored dtype, known from the header without reading its data."""

    name: str
    shape: tuple
    dtype: str


def natural_key(name: str):
    """Sort key that orders embedded integers numerically (``layers.2`` before ``layers.10``)."""
    return [(0, int(tok), "") if tok.isdigit() else (1, 0, tok) for tok in re.split(r"(\d+)", name) if tok]


# ---- sources ------------------------------------------------------------------------------------------------
class _Source:
    kind = "?"
    label = "model"

    def tensors(self) -> list:
        raise NotImplementedError

    def read(self, name: str) -> np.ndarray:
        raise NotImplementedError

    def file_order(self) -> list:
        """Tensor names in the order they were written (pairs a BatchNorm with the layer before it)."""
        return [t.name for t in self.tensors()]

    def metadata(self) -> dict:
        """Text metadata recorded in the file (safetensors ``__metadata__``), e.g. ``conv1.padding``."""
        return {}

    def close(self):
        pass

    def _bad(self, reason: str) -> InputError:
        return InputError("model", self.label, reason)


class ArraySource(_Source):
    """A list/tuple of arrays (named ``layer0``, ``layer1``...; a ``(W, b)`` pair gives a bias), or a dict."""

    kind = "arrays"

    def __init__(self, arrays):
        self.label = f"{type(arrays).__name__} of {len(arrays)} arrays"
        self._arrays = {}
        # a dict is named tensors, like a file (unused 1-D tensors are skipped); a list is layers, strictly
        self.kind = "dict" if isinstance(arrays, dict) else "arrays"
        if isinstance(arrays, dict):
            items = [(str(k), v) for k, v in arrays.items()]
        else:
            items = []
            for i, item in enumerate(arrays):
                if isinstance(item, tuple):
                    if len(item) != 2:
                        raise self._bad(f"item {i} is a tuple of {len(item)}: give (weight, bias) pairs")
                    items += [(f"layer{i}", item[0])] + ([(f"layer{i}.bias", item[1])] if item[1] is not None else [])
                else:
                    items.append((f"layer{i}", item))
        for name, value in items:
            try:
                arr = np.asarray(value)
            except Exception as exc:
                raise InputError(name, type(value).__name__, f"cannot be read as an array ({exc})") from None
            if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == np.bool_):
                raise InputError(name, type(value).__name__, "is not a numeric array")
            self._arrays[name] = arr

    def tensors(self):
        return [TensorInfo(k, tuple(v.shape), str(v.dtype)) for k, v in self._arrays.items()]

    def read(self, name):
        return self._arrays[name]


class NpzSource(_Source):
    """``numpy.savez`` archives; member headers are read without loading the arrays."""

    kind = "npz"

    def __init__(self, path):
        self.path, self.label = path, str(path)
        try:
            self._zip = zipfile.ZipFile(path)
            self._members = [m for m in self._zip.namelist() if m.endswith(".npy")]
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise self._bad(f"is not a readable .npz archive ({exc})") from None
        self._info = []
        for member in self._members:
            zi = self._zip.getinfo(member)  # sizes from the zip directory: nothing is decompressed to learn them
            if zi.file_size > MAX_TENSOR_BYTES:
                raise self._bad(
                    f"member {member!r} is {zi.file_size / 2**20:.0f} MiB uncompressed; tensors above "
                    f"{MAX_TENSOR_BYTES // 2**20} MiB are refused"
                )
            if zi.file_size > _BOMB_FLOOR and zi.file_size > MAX_COMPRESSION_RATIO * max(zi.compress_size, 1):
                raise self._bad(
                    f"member {member!r} expands {zi.file_size // max(zi.compress_size, 1)}-fold "
                    f"({zi.compress_size} bytes to {zi.file_size / 2**20:.0f} MiB): a decompression "
                    "bomb, not trained weights"
                )
            try:
                with self._zip.open(member) as fh:
                    version = np.lib.format.read_magic(fh)
                    reader = (
                        np.lib.format.read_array_header_1_0
                        if version == (1, 0)
                        else np.lib.format.read_array_header_2_0
                    )
                    shape, _, dtype = reader(fh)
                    header_end = fh.tell()
            except Exception as exc:  # truncated or corrupted member: zlib/EOF/ValueError and friends
                raise self._bad(f"member {member!r} is corrupted ({type(exc).__name__}: {exc})") from None
            # the array header's shape must be backed by the member's bytes: numpy allocates the whole array first
            if dtype.hasobject:
                raise InputError("layers", member[:-4], f"has dtype {dtype} (Python objects): not a numeric tensor")
            declared = int(np.prod(shape, dtype=object)) * dtype.itemsize
            if declared != zi.file_size - header_end:
                raise self._bad(
                    f"member {member!r}: its header promises shape {tuple(shape)} {dtype} "
                    f"({declared} bytes) but it holds {zi.file_size - header_end}"
                )
            self._info.append(TensorInfo(member[:-4], tuple(shape), str(dtype)))

    def tensors(self):
        return list(self._info)

    def read(self, name):
        try:
            with self._zip.open(name + ".npy") as fh:
                return np.lib.format.read_array(fh, allow_pickle=False)
        except Exception as exc:
            raise self._bad(f"member {name!r} cannot be read ({type(exc).__name__}: {exc})") from None

    def close(self):
        self._zip.close()


def _is_int(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _safetensors_header(path, label):
    """Parse and validate the safetensors header ourselves (with or without the safetensors package): 8-byte
    little-endian length, then JSON whose entries have a known dtype, an integer shape and data offsets that are
    integers inside the data section, sized shape x dtype, and pairwise non-overlapping. Linear in the number of
    tensors (one sort)."""
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        head = fh.read(8)
        if len(head) < 8:
            raise InputError("model", label, "is not a safetensors file (header too small)")
        (length,) = struct.unpack("<Q", head)
        if length > size - 8 or length > 100_000_000:
            raise InputError("model", label, f"is truncated or not safetensors (header length {length} > file size)")
        try:
            header = json.loads(fh.read(length))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError("model", label, f"has a corrupted safetensors header ({exc})") from None
        except RecursionError:
            raise InputError("model", label, "has a corrupted safetensors header (nested too deeply)") from None
    if not isinstance(header, dict):
        raise InputError("model", label, "has a corrupted safetensors header (not a JSON object)")
    header.pop("__metadata__", None)
    data_size = size - 8 - length
    spans = []
    for name, entry in header.items():

        def bad(reason, name=name):
            return InputError("model", label, f"tensor {name!r}: {reason}")

        if not isinstance(entry, dict) or not {"dtype", "shape", "data_offsets"} <= entry.keys():
            raise InputError(
                "model",
                label,
                f"has a corrupted safetensors header entry {name!r} (needs dtype, shape and data_offsets)",
            )
        dtype, shape, offsets = entry["dtype"], entry["shape"], entry["data_offsets"]
        if not isinstance(dtype, str) or dtype not in _SAFETENSORS_DTYPES:
            raise bad(f"has unsupported dtype {dtype!r} (supported: {', '.join(_SAFETENSORS_DTYPES)})")
        if not isinstance(shape, list) or not all(_is_int(x) and x >= 0 for x in shape):
            raise bad(f"shape {shape!r} is not a list of non-negative integers")
        if not (isinstance(offsets, list) and len(offsets) == 2 and all(_is_int(x) for x in offsets)):
            raise bad(f"data_offsets {offsets!r} are not two integers")
        lo, hi = offsets
        if not 0 <= lo <= hi:
            raise bad(f"data_offsets {offsets} are negative or reversed")
        if hi > data_size:
            raise bad(
                f"data_offsets {offsets} reach past the {data_size} bytes of data (the file is truncated or damaged)"
            )
        item = dtypes.itemsize(_SAFETENSORS_DTYPES[dtype])
        nbytes = item * int(np.prod(shape, dtype=object))
        if hi - lo != nbytes:
            raise bad(f"data offsets do not match shape {tuple(shape)} {dtype} ({hi - lo} bytes for {nbytes})")
        if nbytes > MAX_TENSOR_BYTES:
            raise bad(f"is {nbytes / 2**20:.0f} MiB; tensors above {MAX_TENSOR_BYTES // 2**20} MiB are refused")
        if hi > lo:
            spans.append((lo, hi, name))
        entry["shape"] = tuple(shape)
    spans.sort()
    for (_lo1, hi1, n1), (lo2, hi2, n2) in zip(spans, spans[1:]):
        if lo2 < hi1:
            raise InputError(
                "model", label, f"tensors {n1!r} and {n2!r} overlap in the data section (bytes {lo2}..{min(hi1, hi2)})"
            )
    return 8 + length, header


class SafetensorsSource(_Source):
    """``.safetensors`` read one tensor at a time.

    The header is validated here whether or not the ``safetensors`` package is installed (with it, ``safe_open``
    checks the file once more when it is opened); each tensor is then read from its validated offsets with
    ``numpy.fromfile``, so only that tensor's bytes are ever in memory.
    """

    kind = "safetensors"

    def __init__(self, path, order: str = "natural", use_package: bool | None = None):
        self.path, self.label = path, str(path)
        self._base, self._header = _safetensors_header(path, self.label)
        if use_package is None:
            try:
                import safetensors  # noqa: F401

                use_package = True
            except ImportError:
                use_package = False
        self._use_package = use_package
        if use_package:
            self._validate_with_package()
        names = list(self._header)
        if order == "natural":
            names.sort(key=natural_key)
        elif order == "file":
            names.sort(key=lambda k: self._header[k]["data_offsets"][0])
        else:
            raise InputError("order", order, "must be 'natural' or 'file'")
        self._names = names

    def _validate_with_package(self):
        from safetensors import SafetensorError, safe_open

        try:
            with safe_open(self.path, framework="numpy"):
                pass
        except SafetensorError as exc:
            raise self._bad(f"is not a valid safetensors file ({exc})") from None

    def tensors(self):
        return [
            TensorInfo(k, tuple(self._header[k]["shape"]), _SAFETENSORS_DTYPES[self._header[k]["dtype"]])
            for k in self._names
        ]

    def file_order(self):
        return sorted(self._header, key=lambda k: self._header[k]["data_offsets"][0])

    def metadata(self):
        with open(self.path, "rb") as fh:
            (length,) = struct.unpack("<Q", fh.read(8))
            meta = json.loads(fh.read(length)).get("__metadata__") or {}
        return {str(k): str(v) for k, v in meta.items()} if isinstance(meta, dict) else {}

    def read(self, name):
        # read from the validated offsets, with or without the package: one tensor's bytes, linear in the number of
        # tensors (safe_open per tensor would re-parse the whole header each time: quadratic)
        entry = self._header[name]
        dtype = _SAFETENSORS_DTYPES[entry["dtype"]]
        shape = tuple(entry["shape"])
        lo, hi = entry["data_offsets"]
        try:
            raw = np.fromfile(self.path, dtype=np.uint8, count=hi - lo, offset=self._base + lo)
        except OSError as exc:
            raise self._bad(f"tensor {name!r} cannot be read ({exc.strerror})") from None
        if raw.size != hi - lo:
            raise self._bad(f"is truncated inside tensor {name!r}")
        return dtypes.decode(raw, dtype, shape, name)  # bf16/fp8 through ml_dtypes, exactly


class TorchSource(_Source):
    """PyTorch state-dict files (``torch.save``), read with ``torch.load(weights_only=True, mmap=True)``.

    torch is optional; the ``torch`` extra requires torch >= 2.6 (earlier ``weights_only`` loads had a known bypass).
    """

    kind = "torch"

    def __init__(self, path):
        self.path, self.label = path, str(path)
        try:
            import torch
        except ImportError:
            raise self._bad(
                "is a PyTorch file; reading it needs torch, which is not installed "
                "(pip install 'schattheory[torch]', or convert it to .safetensors or .npz)"
            ) from None
        try:
            # mmap=True (torch >= 2.1, zip-format files) maps the storages instead of reading them all: a tensor's
            # bytes are touched only when it is read; legacy (non-zip) files cannot be mapped and are read whole
            try:
                obj = torch.load(path, map_location="cpu", weights_only=True, mmap=True)
            except (TypeError, RuntimeError) as exc:
                if "mmap" not in str(exc):
                    raise
                obj = torch.load(path, map_location="cpu", weights_only=True)
        except Exception as exc:  # torch raises RuntimeError/UnpicklingError/EOFError on bad files
            if type(exc).__name__ == "UnpicklingError":  # torch's own text is many lines with colour codes
                raise self._bad(
                    "holds pickled Python objects (a whole module saved with torch.save(model)?), "
                    "which are not loaded: they could run code; save model.state_dict() "
                    "instead"
                ) from None
            first = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", str(exc)).strip().splitlines()[:1] or [""]
            raise self._bad(f"cannot be read by torch.load ({type(exc).__name__}: {first[0][:200]})") from None
        for key in ("state_dict", "model_state_dict", "model"):
            if isinstance(obj, dict) and isinstance(obj.get(key), dict):
                obj = obj[key]
        if not isinstance(obj, dict):
            raise self._bad(f"holds a {type(obj).__name__}, not a state dict (name -> tensor)")
        self._tensors = {}
        for name, t in obj.items():
            if hasattr(t, "detach") and hasattr(t, "shape"):
                self._tensors[str(name)] = t

    def tensors(self):
        return [
            TensorInfo(k, tuple(int(x) for x in t.shape), str(t.dtype).replace("torch.", ""))
            for k, t in self._tensors.items()
        ]

    def read(self, name):
        t = self._tensors[name].detach().cpu()
        if str(t.dtype).replace("torch.", "") in ("bfloat16", "float16"):
            t = t.float()
        return t.numpy()


def _sniff(path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(16)
    if not head:
        raise InputError("model", str(path), "is an empty file (0 bytes)")
    if head[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise InputError("model", str(path), f"is a damaged zip archive ({exc})") from None
        if any(n.endswith("data.pkl") for n in names):
            return "torch"
        return "npz"
    if len(head) >= 9 and head[8:9] == b"{":
        return "safetensors"
    if head[:1] == b"\x80" or head[:2] == b"\x8a\x0a":  # legacy torch.save (pickle protocol 2+)
        return "torch"
    if head[:6] == b"\x93NUMPY":
        raise InputError("model", str(path), "is a single .npy array; save the layers with numpy.savez")
    raise InputError("model", str(path), "is not an .npz, .safetensors or PyTorch file (unrecognised header)")


def open_source(model, *, order: str = "natural"):
    """A tensor source for a path (format sniffed from the file's first bytes) or a list/dict of arrays."""
    if isinstance(model, _Source):
        return model
    if isinstance(model, (list, tuple, dict)):
        if len(model) == 0:
            raise InputError("model", "[]", "no arrays given")
        return ArraySource(model)
    path = os.fspath(model)
    if not os.path.exists(path):
        raise InputError("model", path, "no such file")
    if os.path.isdir(path):
        raise InputError("model", path, "is a directory, not a weights file")
    kind = _sniff(path)
    if kind == "npz":
        return NpzSource(path)
    if kind == "safetensors":
        return SafetensorsSource(path, order=order)
    return TorchSource(path)
