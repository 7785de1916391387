"""Errors and input checks shared by the whole package.

Every check raises :class:`InputError` (a ``ValueError``) whose one-line message names the argument and the
value it was given, so the CLI can print it and exit with code 2.
"""

from __future__ import annotations

import math
from numbers import Real

__all__ = ["SchattheoryError", "InputError", "check_p", "check_dps", "check_positive", "check_matrix", "MAX_DPS"]

MIN_DPS = 15
#: the most decimal digits any computation accepts (mpmath's cost grows faster than linearly with the digits;
#: 10**6 digits would not return); the SVD path of schattheory.numerics.matrix has a lower cap of its own
MAX_DPS = 10_000


class SchattheoryError(Exception):
    """Base class of the errors this package raises on purpose."""


class InputError(SchattheoryError, ValueError):
    """Bad input: the message names the argument and its value."""

    def __init__(self, argument: str, value, reason: str):
        self.argument, self.value, self.reason = argument, value, reason
        super().__init__(f"{argument}={_short(value)}: {reason}")

    def __reduce__(self):  # picklable, so that an error raised in a worker process reaches the caller intact
        return (type(self), (self.argument, self.value, self.reason))


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_p(p, *, name: str = "p", allow_zero: bool = False, allow_inf: bool = True) -> float:
    """Return ``p`` as a float after checking it is an admissible Schatten exponent.

    >>> check_p(0.5)
    0.5
    >>> check_p(-1)
    Traceback (most recent call last):
    ...
    schattheory.foundation.errors.InputError: p=-1: must be > 0 (Schatten exponents live in (0, oo])
    """
    try:
        if isinstance(p, str) and "/" in p:  # an exact fraction such as "1/2"
            from fractions import Fraction

            value = float(Fraction(p.strip()))
        else:
            value = float(p)
    except (TypeError, ValueError, ZeroDivisionError):
        raise InputError(name, p, "must be a real number") from None
    if math.isnan(value):
        raise InputError(name, p, "must be a number, not NaN")
    if value == 0 and allow_zero:
        return 0.0
    if value <= 0:
        lo = ">= 0" if allow_zero else "> 0"
        raise InputError(name, p, f"must be {lo} (Schatten exponents live in (0, oo])")
    if math.isinf(value) and not allow_inf:
        raise InputError(name, p, "must be finite here")
    return value


def check_dps(dps, *, name: str = "dps", maximum: int = MAX_DPS) -> int:
    """Check a decimal precision: an integer of at least 15 digits (float64 already gives that much) and at most
    ``maximum`` (default :data:`MAX_DPS`)."""
    if isinstance(dps, bool) or not isinstance(dps, (int,)) and not (isinstance(dps, Real) and float(dps).is_integer()):
        raise InputError(name, dps, "must be an integer number of decimal digits")
    dps = int(dps)
    if dps < MIN_DPS:
        raise InputError(name, dps, f"must be at least {MIN_DPS} (below that use the float64 path, dps=None)")
    if dps > maximum:
        raise InputError(
            name,
            dps,
            f"must be at most {maximum} decimal digits here (the cost grows faster than linearly with the digits)",
        )
    return dps


def check_positive(value, name: str, *, allow_zero: bool = False) -> float:
    """Check a finite positive real number and return it as float."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(name, value, "must be a real number") from None
    if not math.isfinite(v):
        raise InputError(name, value, "must be finite")
    if v < 0 or (v == 0 and not allow_zero):
        raise InputError(name, value, "must be >= 0" if allow_zero else "must be > 0")
    return v


def check_matrix(A, name: str = "A"):
    """Return ``A`` as a 2-D numpy array of finite numbers (float32/float64 kept, others upcast)."""
    import numpy as np

    try:
        arr = np.asarray(A)
    except Exception as exc:  # ragged lists and the like
        raise InputError(name, type(A).__name__, f"cannot be read as an array ({exc})") from None
    if arr.dtype == object:
        raise InputError(name, type(A).__name__, "cannot be read as a numeric array")
    if arr.ndim != 2:
        raise InputError(name, f"array of shape {arr.shape}", "must be a 2-D matrix")
    if arr.size == 0:
        raise InputError(name, f"array of shape {arr.shape}", "must not be empty")
    if np.iscomplexobj(arr):
        raise InputError(name, f"complex array of shape {arr.shape}", "must be real")
    if arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        bad = "NaN" if np.isnan(arr).any() else "inf"
        raise InputError(name, f"array of shape {arr.shape}", f"contains {bad} entries")
    return arr
