r"""Stored dtypes of weight files and their exact decoding to float32.

NumPy has no bfloat16 or float8; the ``ml_dtypes`` package (maintained with JAX, optional extra ``checkpoints``)
provides them as NumPy dtypes, so stored bytes are viewed as that dtype and cast to float32. Every one of these
formats embeds exactly in float32, so the decoded weights are the stored numbers, not approximations of them.
Without ``ml_dtypes`` such a tensor is refused with a one-line error naming it.

>>> import numpy as np
>>> raw = np.array([0x3F80, 0xC000], dtype="<u2").view(np.uint8)      # bf16 1.0 and -2.0
>>> decode(raw, "bfloat16", (2,), "w").tolist()
[1.0, -2.0]
"""

from __future__ import annotations

import numpy as np

from schattheory.foundation.errors import InputError

__all__ = ["SAFETENSORS_DTYPES", "itemsize", "decode", "needs_ml_dtypes"]

#: safetensors dtype codes and the names used here (NumPy's where NumPy has the type, ml_dtypes' otherwise)
SAFETENSORS_DTYPES = {
    "F64": "float64",
    "F32": "float32",
    "F16": "float16",
    "BF16": "bfloat16",
    "F8_E4M3": "float8_e4m3fn",
    "F8_E5M2": "float8_e5m2",
    "I64": "int64",
    "I32": "int32",
    "I16": "int16",
    "I8": "int8",
    "U8": "uint8",
    "BOOL": "bool",
}
_ML_DTYPES = {"bfloat16": 2, "float8_e4m3fn": 1, "float8_e5m2": 1}


def needs_ml_dtypes(dtype: str) -> bool:
    return dtype in _ML_DTYPES


def itemsize(dtype: str) -> int:
    """Bytes per element of a stored dtype name."""
    return _ML_DTYPES.get(dtype) or np.dtype(dtype).itemsize


def _ml_dtype(dtype: str, name: str):
    try:
        import ml_dtypes
    except ImportError:
        raise InputError(
            "tensor",
            name,
            f"is stored as {dtype}, which NumPy cannot represent; decoding it needs "
            "ml_dtypes (pip install 'schattheory[checkpoints]')",
        ) from None
    return np.dtype(getattr(ml_dtypes, dtype))


def decode(raw: np.ndarray, dtype: str, shape, name: str) -> np.ndarray:
    """Little-endian stored bytes (a uint8 array) of tensor ``name`` as an array of ``shape``; bf16/fp8 become
    float32 exactly (ml_dtypes), the NumPy dtypes keep their type."""
    if needs_ml_dtypes(dtype):
        arr = raw.view(_ml_dtype(dtype, name)).astype(np.float32)
    else:
        arr = raw.view(np.dtype(dtype).newbyteorder("<"))
        if arr.dtype.byteorder not in ("=", "|") and not np.little_endian:  # pragma: no cover - big-endian hosts
            arr = arr.astype(arr.dtype.newbyteorder("="))
    return arr.reshape(tuple(shape))
