"""Schatten quasi-norms and rank measures of concrete matrices, in float64 or at any mpmath precision.

Float64 results (``dps=None``) never overflow or underflow on their way for entries anywhere in 1e-150..1e150:
the matrix is scaled by a power of two before the SVD and the power sums are taken relative to sigma_1 in log space.
A result can still be ``inf`` when the true value lies beyond float64 (``log_schatten_norm`` is then the tool).

With ``dps``, singular values are computed by mpmath's SVD at that precision (plus guard digits) from the exact
binary values of the entries, and the answer is correct to about ``dps`` digits. mpmath's SVD costs O(k^3) operations
at multiple precision, so it is offered for ``min(m, n) <= MP_SVD_MAX`` only; larger matrices raise an error rather
than relabel float64 singular values as high-precision numbers.

>>> import numpy as np
>>> A = np.diag([3.0, 4.0])
>>> schatten_norm(A, 2), schatten_norm(A, np.inf), schatten_norm(A, 1)
(5.0, 4.0, 7.0)
>>> schatten_sum(A, 0)   # p = 0: the numerical rank
2
>>> import mpmath
>>> mpmath.nstr(schatten_norm(A, 0.5, dps=30), 25)   # (2 + sqrt 3)^2 = 7 + 4 sqrt 3
'13.92820323027550917410979'
"""
from __future__ import annotations

import math

import mpmath
import numpy as np

from . import stable
from .errors import InputError, check_dps, check_matrix, check_p

__all__ = ["singular_values", "schatten_norm", "schatten_sum", "rank_proxy", "stable_rank", "effective_rank",
           "log_schatten_norm", "MP_SVD_MAX"]

MP_SVD_MAX = 120


def singular_values(A, *, dps=None, name: str = "A"):
    """Singular values in descending order: float array (``dps=None``) or list of ``mpf`` at ``dps`` digits.

    Float32 input is decomposed in float32 (as the weights were stored); float64 in float64.
    """
    arr = check_matrix(A, name)
    if dps is None:
        import scipy.linalg

        peak = float(np.max(np.abs(arr)))
        if peak == 0:
            return np.zeros(min(arr.shape), dtype=arr.dtype)
        # power-of-two scaling is exact and keeps LAPACK away from its overflow/underflow thresholds
        shift = math.frexp(peak)[1]
        scaled = np.ldexp(arr, -shift).astype(arr.dtype, copy=False)
        sv = scipy.linalg.svdvals(scaled, overwrite_a=True, check_finite=False)
        return np.ldexp(sv.astype(np.float64), shift)
    dps = check_dps(dps)
    if min(arr.shape) > MP_SVD_MAX:
        raise InputError(name, f"matrix of shape {arr.shape}",
                         f"dps needs min(m, n) <= {MP_SVD_MAX} (mpmath SVD); use dps=None for float64")
    with mpmath.workdps(dps + 10):
        M = mpmath.matrix([[mpmath.mpf(float(x)) for x in row] for row in arr])
        if arr.shape[0] < arr.shape[1]:
            M = M.T
        sv = mpmath.svd_r(M, compute_uv=False)
        vals = sorted((abs(sv[i]) for i in range(sv.rows)), reverse=True)
    return vals


def _spectrum(A, dps):
    sig = singular_values(A, dps=dps)
    return sig


def schatten_sum(A, p, *, dps=None):
    """sum_i sigma_i(A)^p for p in (0, oo); p = 0 gives the numerical rank.

    The rank tolerance is NumPy's ``matrix_rank`` default, ``sigma_1 * max(m, n) * eps(dtype)`` (eps of float64 in
    mpmath mode too, so the count does not depend on the precision asked for).
    """
    p = check_p(p, allow_zero=True, allow_inf=False)
    arr = check_matrix(A)
    sig = _spectrum(arr, dps)
    if p == 0:
        floats = np.array([float(x) for x in sig])
        return stable.numerical_rank(floats, arr.shape, arr.dtype)
    if dps is None:
        return stable.schatten_sum(sig, p)
    with mpmath.workdps(dps + 10):
        val = mpmath.exp(stable.log_schatten_sum(sig, p))
    return _round(val, dps)


def _round(val, dps):
    with mpmath.workdps(dps):
        return +val


def schatten_norm(A, p, *, dps=None):
    """||A||_{S_p} = (sum_i sigma_i^p)^(1/p) for p in (0, oo]; p = inf is the spectral norm."""
    p = check_p(p)
    sig = _spectrum(A, dps)
    if dps is None:
        return stable.schatten_norm(sig, p)
    with mpmath.workdps(dps + 10):
        val = mpmath.exp(stable.log_schatten_norm(sig, p))
    return _round(val, dps)


def log_schatten_norm(A, p, *, dps=None):
    """log ||A||_{S_p}: finite whenever A != 0, however large or small the norm."""
    p = check_p(p)
    sig = _spectrum(A, dps)
    if dps is None:
        return stable.log_schatten_norm(sig, p)
    with mpmath.workdps(dps + 10):
        val = stable.log_schatten_norm(sig, p)
    return _round(val, dps)


def rank_proxy(A, p, *, dps=None):
    """sum_i (sigma_i/sigma_1)^p: in [1, rank], non-increasing in p; p = 0 rank, p = inf multiplicity of sigma_1."""
    p = check_p(p, allow_zero=True)
    arr = check_matrix(A)
    sig = _spectrum(arr, dps)
    if p == 0:
        return stable.numerical_rank(np.array([float(x) for x in sig]), arr.shape, arr.dtype)
    if dps is None:
        return stable.rank_proxy(sig, p)
    with mpmath.workdps(dps + 10):
        val = stable.rank_proxy(sig, p)
    return _round(val, dps)


def stable_rank(A, *, dps=None):
    """||A||_F^2 / ||A||_sigma^2."""
    return rank_proxy(A, 2, dps=dps)


def effective_rank(A, *, dps=None):
    """Entropy effective rank of Roy and Vetterli (2007): exp(-sum_i q_i log q_i), q_i = sigma_i / sum_j sigma_j."""
    sig = _spectrum(A, dps)
    if dps is None:
        return stable.effective_rank(sig)
    with mpmath.workdps(dps + 10):
        val = stable.effective_rank(sig)
    return _round(val, dps)
