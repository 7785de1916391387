"""Overflow-safe numerics on singular values: scaled power sums and log-space products.

Everything here works from a spectrum (singular values, any order, zeros allowed). Float64 paths scale by the
largest singular value and work with logarithms, so ``sum_i sigma_i^p`` never overflows or underflows on its way
to the answer; mpmath paths (lists of ``mpf``) have no exponent range to worry about.

>>> import numpy as np
>>> sig = np.array([1e150, 1e150, 1e149])
>>> round(float(log_schatten_norm(sig, 2.0) / np.log(10)), 6)   # ||.||_F = 1e150 * sqrt(2.01)
150.151598
"""

from __future__ import annotations

import math

import mpmath
import numpy as np

from schattheory.foundation.errors import InputError, check_p

__all__ = [
    "as_spectrum",
    "rank_tolerance",
    "schatten_sum",
    "schatten_norm",
    "numerical_rank",
    "log_schatten_sum",
    "log_schatten_norm",
    "rank_proxy",
    "stable_rank",
    "effective_rank",
    "log_prod",
    "log10_prod",
]


def _mp_exponent(p):
    """The exponent as an mpf, exactly as given: "0.01", Fraction(1, 100) and sympy Rationals are not rounded to a
    binary float first (the float 0.01 differs from 1/100 in the 18th digit)."""
    if isinstance(p, mpmath.mpf):
        return p
    if isinstance(p, str):
        if "/" in p:
            from fractions import Fraction

            frac = Fraction(p.strip())
            return mpmath.mpf(frac.numerator) / frac.denominator
        return mpmath.mpf(p)
    num, den = getattr(p, "numerator", None), getattr(p, "denominator", None)
    if isinstance(num, int) and isinstance(den, int) and not isinstance(p, float):
        return mpmath.mpf(num) / den
    return mpmath.mpf(float(p))


def _is_mp(sig) -> bool:
    return isinstance(sig, (list, tuple)) and any(isinstance(x, mpmath.mpf) for x in sig)


def as_spectrum(sig, name: str = "sigma"):
    """Sorted (descending) non-negative singular values as float64 array, or a list of mpf if given mpf."""
    if _is_mp(sig):
        vals = sorted((mpmath.mpf(x) for x in sig), reverse=True)
        if not vals or vals[-1] < 0 or any(mpmath.isnan(x) or mpmath.isinf(x) for x in vals):
            raise InputError(name, "mpmath list", "must be a non-empty list of finite non-negative numbers")
        return vals
    arr = np.asarray(sig)
    if arr.ndim != 1 or arr.size == 0:
        raise InputError(name, f"array of shape {arr.shape}", "must be a non-empty 1-D array of singular values")
    if arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise InputError(name, "array", "contains NaN or inf")
    if np.any(arr < 0):
        raise InputError(name, float(arr.min()), "singular values must be >= 0")
    return np.sort(arr)[::-1]


def rank_tolerance(sigma_max, shape, dtype=np.float64) -> float:
    """NumPy's ``matrix_rank`` default: ``sigma_max * max(m, n) * eps(dtype)``."""
    return float(sigma_max) * max(shape) * float(np.finfo(dtype).eps)


def numerical_rank(sig, shape=None, dtype=None) -> int:
    """Count of singular values above :func:`rank_tolerance` (shape defaults to (k, k))."""
    if _is_mp(sig):
        s1 = max(sig)
        tol = s1 * max(shape or (len(sig),)) * mpmath.eps
        return sum(1 for x in sig if x > tol)
    arr = np.asarray(sig)
    if arr.size == 0 or arr.max() == 0:
        return 0
    dt = dtype if dtype is not None else (arr.dtype if arr.dtype in (np.float32, np.float64) else np.float64)
    tol = rank_tolerance(arr.max(), shape or (arr.size,), dt)
    return int(np.count_nonzero(arr > tol))


def log_schatten_sum(sig, p):
    """log(sum_i sigma_i^p) for p in (0, oo); zeros contribute nothing; -inf for the zero matrix."""
    if _is_mp(sig):
        check_p(p, allow_inf=False)
        pm = _mp_exponent(p)
        total = mpmath.fsum(x**pm for x in sig if x > 0)
        return mpmath.log(total) if total > 0 else mpmath.ninf
    p = check_p(p, allow_inf=False)
    arr = np.asarray(sig, dtype=np.float64)
    pos = arr[arr > 0]
    if pos.size == 0:
        return -math.inf
    s1 = pos.max()
    # sum (sigma/s1)^p lies in [1, k]: no overflow, no underflow of the total
    return p * math.log(s1) + math.log(float(np.sum((pos / s1) ** p)))


def _from_log(log_value: float, direct: float) -> float:
    """Prefer the directly computed float (exact on easy inputs); fall back to exp(log) if it over/underflowed."""
    if math.isfinite(direct) and direct > 0:
        return direct
    if log_value == -math.inf:
        return 0.0
    return math.exp(log_value) if log_value < 709.78 else math.inf


def schatten_sum(sig, p):
    """sum_i sigma_i^p (float64 or mpf), computed as sigma_1^p * sum (sigma_i/sigma_1)^p."""
    if _is_mp(sig):
        check_p(p, allow_inf=False)
        pm = _mp_exponent(p)
        return mpmath.fsum(x**pm for x in sig if x > 0)
    p = check_p(p, allow_inf=False)
    arr = np.asarray(sig, dtype=np.float64)
    pos = arr[arr > 0]
    if pos.size == 0:
        return 0.0
    s1 = pos.max()
    ratio = float(np.sum((pos / s1) ** p))
    with np.errstate(over="ignore", under="ignore"):
        direct = float(np.float64(s1) ** p * ratio)
    return _from_log(p * math.log(s1) + math.log(ratio), direct)


def schatten_norm(sig, p):
    """(sum_i sigma_i^p)^(1/p), p in (0, oo]; sigma_1 * (sum (sigma_i/sigma_1)^p)^(1/p) in float64."""
    if _is_mp(sig):
        check_p(p)
        return mpmath.exp(log_schatten_norm(sig, p)) if max(sig) > 0 else mpmath.mpf(0)
    p = check_p(p)
    arr = np.asarray(sig, dtype=np.float64)
    s1 = float(arr.max())
    if s1 == 0:
        return 0.0
    if math.isinf(p):
        return s1
    pos = arr[arr > 0]
    ratio = float(np.sum((pos / s1) ** p))
    with np.errstate(over="ignore"):
        direct = s1 * float(np.float64(ratio) ** (1.0 / p))
    return _from_log(math.log(s1) + math.log(ratio) / p, direct)


def log_schatten_norm(sig, p):
    """log ||A||_{S_p} = log_schatten_sum / p, with p = inf giving log sigma_1."""
    pf = check_p(p)
    if math.isinf(pf):
        top = max(sig) if _is_mp(sig) else float(np.max(sig))
        if _is_mp(sig):
            return mpmath.log(top) if top > 0 else mpmath.ninf
        return math.log(top) if top > 0 else -math.inf
    if _is_mp(sig):
        return log_schatten_sum(sig, p) / _mp_exponent(p)
    return log_schatten_sum(sig, pf) / pf


def rank_proxy(sig, p, shape=None):
    """sum_i (sigma_i / sigma_1)^p, in [1, rank]; p = 0 gives the numerical rank, p = inf the multiplicity of
    sigma_1."""
    p_given = p
    p = check_p(p, allow_zero=True)
    if p == 0:
        return numerical_rank(sig, shape)
    if _is_mp(sig):
        s1 = max(sig)
        if s1 == 0:
            return mpmath.mpf(0)
        if math.isinf(p):
            return mpmath.mpf(sum(1 for x in sig if x == s1))
        pm = _mp_exponent(p_given)
        return mpmath.fsum((x / s1) ** pm for x in sig if x > 0)
    arr = np.asarray(sig, dtype=np.float64)
    s1 = arr.max()
    if s1 == 0:
        return 0.0
    if math.isinf(p):
        return float(np.count_nonzero(arr == s1))
    pos = arr[arr > 0]
    return float(np.sum((pos / s1) ** p))


def stable_rank(sig):
    """||A||_F^2 / ||A||_2^2 = sum_i (sigma_i/sigma_1)^2."""
    return rank_proxy(sig, 2)


def effective_rank(sig):
    """Roy and Vetterli (2007): exp of the Shannon entropy of sigma_i / sum_j sigma_j."""
    if _is_mp(sig):
        total = mpmath.fsum(sig)
        if total == 0:
            return mpmath.mpf(0)
        ps = [x / total for x in sig if x > 0]
        return mpmath.exp(-mpmath.fsum(q * mpmath.log(q) for q in ps))
    arr = np.asarray(sig, dtype=np.float64)
    if arr.max() == 0:
        return 0.0
    ps = arr[arr > 0] / arr.max()
    ps = ps / ps.sum()
    return float(np.exp(-np.sum(ps * np.log(ps))))


def log_prod(values):
    """log of a product of positive numbers, summed in log space (no overflow over 1000 factors)."""
    if _is_mp(list(values)):
        return mpmath.fsum(mpmath.log(v) for v in values)
    arr = np.asarray(values, dtype=np.float64)
    if np.any(arr <= 0):
        raise InputError("values", float(arr.min()), "factors of a log-product must be > 0")
    return float(np.sum(np.log(arr)))


def log10_prod(values):
    return log_prod(values) / math.log(10)
