r"""Hypothesis strategies for testing code that works on singular values and Schatten quasi-norms.

Shipped for users' own property tests (needs ``hypothesis``, the ``test`` extra):

- :func:`spectra`: descending float64 singular values with magnitudes anywhere in 1e-150..1e150, exact zeros and
  repeated values;
- :func:`exponents`: Schatten exponents p near 0, moderate and very large (and the special values 1/2, 1, 2);
- :func:`matrices_with_spectrum`: a float64 matrix ``U diag(sigma) V^T`` with random orthogonal factors, with the
  spectrum it was built from;
- :func:`scaled_matrices`: Gaussian matrices whose entries are scaled anywhere in 1e-150..1e150 (per matrix, per row
  or per entry);
- :func:`random_orthogonal`: the orthogonal factors themselves (from a seed);
- :func:`assert_bound_holds`: evaluate both sides of a registered statement and check its relation with a purely
  relative slack (so that statements about values of size 1e-150 are not passed vacuously);
- :func:`spectrum_form`: a statement about matrices written out exactly over a given spectrum (for limits).

>>> from hypothesis import given, settings
>>> @settings(max_examples=5, derandomize=True)
... @given(spectra(max_size=4))
... def check(sig):
...     assert sig.ndim == 1 and (sig[:-1] >= sig[1:]).all() and sig[0] > 0
>>> check()
"""

from __future__ import annotations

import numpy as np

from schattheory.core.limit_check import spectrum_form, unresolved_spectral  # re-exported: written out for limits

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - the test extra is missing
    raise ImportError("schattheory.core.testing needs hypothesis: pip install 'schattheory[test]'") from exc

__all__ = [
    "spectra",
    "exponents",
    "matrices_with_spectrum",
    "scaled_matrices",
    "random_orthogonal",
    "assert_bound_holds",
    "spectrum_form",
    "unresolved_spectral",
    "MIN_MAGNITUDE",
    "MAX_MAGNITUDE",
]

#: the magnitude range every float64 path of the toolkit must handle without overflow or underflow
MIN_MAGNITUDE = 1e-150
MAX_MAGNITUDE = 1e150

_SPECIAL_P = (0.5, 1.0, 2.0)


def _log10_range(lo: float, hi: float):
    if not (0 < lo <= hi):
        raise ValueError(f"magnitudes ({lo}, {hi}): need 0 < lo <= hi")
    return float(np.log10(lo)), float(np.log10(hi))


@st.composite
def spectra(
    draw,
    min_size: int = 1,
    max_size: int = 8,
    *,
    min_magnitude: float = MIN_MAGNITUDE,
    max_magnitude: float = MAX_MAGNITUDE,
    zeros: bool = True,
    repeats: bool = True,
):
    """Singular values in descending order (float64 array), at least one of them positive.

    Four shapes of spectrum are mixed: *clustered* (all values within 6 decades of a random scale anywhere in the
    range), *wide* (each value anywhere in the range, so up to 300 decades apart), *decaying* (sigma_i = s i^-a) and
    *gapped* (a top cluster and a tail cluster 16 to 300 decades below it, like a numerically rank-deficient matrix).
    With ``zeros`` some trailing values are exactly 0; with ``repeats`` some values repeat their predecessor exactly.
    """
    lo, hi = _log10_range(min_magnitude, max_magnitude)
    size = draw(st.integers(min_size, max_size))
    kind = draw(st.sampled_from(("clustered", "wide", "decaying", "gapped")))
    if kind == "gapped" and size > 1 and hi - lo > 16:
        # a top cluster and a tail cluster 16 or more decades below it: numerically rank-deficient spectra
        gap = draw(st.floats(16.0, hi - lo))
        top = draw(st.floats(lo + gap, hi))
        split = draw(st.integers(1, size - 1))
        logs = [top - draw(st.floats(0.0, 1.0)) for _ in range(split)]
        logs += [top - gap + draw(st.floats(0.0, 1.0)) for _ in range(size - split)]
    elif kind in ("clustered", "gapped"):
        top = draw(st.floats(lo + min(6.0, hi - lo), hi))
        logs = draw(st.lists(st.floats(max(lo, top - 6.0), top), min_size=size, max_size=size))
    elif kind == "wide":
        logs = draw(st.lists(st.floats(lo, hi), min_size=size, max_size=size))
    else:
        alpha = draw(st.floats(0.0, 4.0))
        top = draw(st.floats(lo + min(hi - lo, alpha * np.log10(max_size)), hi))
        logs = [top - alpha * np.log10(i) for i in range(1, size + 1)]
    mant = draw(st.lists(st.floats(1.0, 9.99), min_size=size, max_size=size))
    sig = np.sort(np.array([m * 10.0**e for m, e in zip(mant, logs)]))[::-1]
    sig = np.clip(sig, min_magnitude, max_magnitude)
    if repeats and size > 1:
        for i in range(1, size):
            if draw(st.booleans()) and draw(st.booleans()):  # about a quarter of the values repeat
                sig[i] = sig[i - 1]
    if zeros and size > 1:
        nzero = draw(st.integers(0, size - 1))
        if nzero:
            sig[size - nzero :] = 0.0
    return sig.copy()


def exponents(
    *,
    small: bool = True,
    moderate: bool = True,
    large: bool = True,
    min_p: float = 1e-3,
    max_p: float = 1e3,
    special: bool = True,
):
    """Schatten exponents p > 0: near 0 (``min_p``..0.1), moderate (0.1..4), very large (4..``max_p``), and 1/2, 1, 2.

    The default ``min_p = 1e-3`` keeps ``||A||_{S_p} = sigma_1 * r(p)^(1/p)`` inside the float64 range for up to about
    a dozen singular values; pass a smaller one to test overflow handling.
    """
    parts = []
    if small:
        parts.append(st.floats(min_p, 0.1))
    if moderate:
        parts.append(st.floats(0.1, 4.0))
    if large:
        parts.append(st.floats(4.0, max_p))
    if special:
        parts.append(st.sampled_from(_SPECIAL_P))
    if not parts:
        raise ValueError("exponents(): every range is switched off")
    return st.one_of(*parts)


def random_orthogonal(n: int, k: int, seed: int) -> np.ndarray:
    """An n x k matrix with orthonormal columns (Haar distributed), reproducible from ``seed``.

    >>> Q = random_orthogonal(5, 3, seed=1)
    >>> bool(np.allclose(Q.T @ Q, np.eye(3)))
    True
    """
    if not (1 <= k <= n):
        raise ValueError(f"random_orthogonal(n={n}, k={k}): need 1 <= k <= n")
    rng = np.random.default_rng(seed)
    Q, R = np.linalg.qr(rng.standard_normal((n, k)))
    return Q * np.sign(np.diag(R))  # sign fix: Haar, not QR's convention


@st.composite
def matrices_with_spectrum(
    draw, spectrum=None, *, extra_rows: int = 3, extra_cols: int = 3, transpose: bool = True, **spectrum_kwargs
):
    """``(A, sigma)``: ``A = U diag(sigma) V^T`` with random orthonormal U (m x k), V (n x k), m, n >= k.

    ``spectrum`` is a strategy for sigma (default :func:`spectra` with ``spectrum_kwargs``). The float64 A has the
    singular values sigma up to rounding: |sigma_i(A) - sigma_i| <= c eps sigma_1 with c of order max(m, n).
    """
    sig = draw(spectrum if spectrum is not None else spectra(**spectrum_kwargs))
    k = sig.size
    m = k + draw(st.integers(0, extra_rows))
    n = k + draw(st.integers(0, extra_cols))
    seed = draw(st.integers(0, 2**32 - 1))
    U = random_orthogonal(m, k, seed)
    V = random_orthogonal(n, k, seed + 1)
    A = (U * sig) @ V.T
    if transpose and draw(st.booleans()):
        A = A.T.copy()
    return A, sig


@st.composite
def scaled_matrices(
    draw,
    max_rows: int = 6,
    max_cols: int = 6,
    *,
    min_magnitude: float = MIN_MAGNITUDE,
    max_magnitude: float = MAX_MAGNITUDE,
):
    """Gaussian matrices whose entries lie anywhere in ``min_magnitude``..``max_magnitude``.

    The scaling is per matrix (one decade for all entries), per row, or per entry, so a single matrix can mix entries
    1e-150 and 1e150.
    """
    lo, hi = _log10_range(min_magnitude, max_magnitude)
    m = draw(st.integers(1, max_rows))
    n = draw(st.integers(1, max_cols))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    G = rng.standard_normal((m, n))
    G = np.sign(G) * np.clip(np.abs(G), 0.05, None)  # keep entries away from 0 so the decades mean what they say
    mode = draw(st.sampled_from(("matrix", "rows", "entries")))
    if mode == "matrix":
        exps = np.full((m, 1), draw(st.floats(lo + 1, hi - 1)))
    elif mode == "rows":
        exps = rng.uniform(lo + 1, hi - 1, size=(m, 1))
    else:
        exps = rng.uniform(lo + 1, hi - 1, size=(m, n))
    A = G * 10.0**exps
    return np.clip(np.abs(A), min_magnitude, max_magnitude) * np.sign(A)


def assert_bound_holds(bound, values, *, dps: int = 30, rtol=None, slack=0):
    """Evaluate ``lhs`` and ``rhs`` of ``bound`` at ``values`` and assert ``lhs <relation> rhs``.

    The tolerance is ``rtol * max(|lhs|, |rhs|) + slack`` with ``rtol = 10^(5 - dps)`` by default: relative, so a
    statement about tiny numbers is checked as strictly as one about numbers near 1. Returns ``(lhs, rhs)``.

    >>> from schattheory.core.registry import get
    >>> lhs, rhs = assert_bound_holds(get("schatten.spectral_le_schatten"), {"A": [1e-150, 1e-151], "p": 1})
    >>> float(rhs / lhs)
    1.1
    """
    import mpmath

    left = bound.evaluate(values, dps, side="lhs")
    right = bound.evaluate(values, dps)
    with mpmath.workdps(dps):
        tol = (mpmath.mpf(10) ** (5 - dps) if rtol is None else mpmath.mpf(rtol)) * max(abs(left), abs(right))
        tol += mpmath.mpf(slack)
        ok = {
            "<=": left <= right + tol,
            "<": left < right + tol,
            ">=": left + tol >= right,
            "==": abs(left - right) <= tol,
        }[bound.relation]
    if not ok:
        raise AssertionError(
            f"{bound.key}: {mpmath.nstr(left, 17)} {bound.relation} {mpmath.nstr(right, 17)} fails "
            f"(tolerance {mpmath.nstr(tol, 3)}) at {values}"
        )
    return left, right
