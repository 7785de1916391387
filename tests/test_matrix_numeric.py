"""Float64 and mpmath paths of the numeric Schatten functions, checked against each other and against exact values.

- Spectrum kernels (``schattheory.numerics.stable``): float64 on a spectrum with magnitudes 1e-150..1e150, zeros and
ties
  agrees with mpmath on the same numbers to ~1e-11 (or is inf exactly when the true value exceeds float64).
- Matrix functions (``schattheory.numerics.matrix``): the float64 result on a matrix (entries anywhere in
1e-150..1e150) lies
  inside the enclosure implied by the float64 SVD's backward error, |sigma_i - sigma_i(A)| <= c eps ||A||, around
  the singular values computed by mpmath's SVD at 30 digits.
- The ``dps`` path is correct to its digits: exact closed forms, and an independent mpmath eigenvalue route.
"""

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from schattheory.core.testing import exponents, matrices_with_spectrum, scaled_matrices, spectra
from schattheory.numerics import matrix, stable

EPS = np.finfo(np.float64).eps
BIG = mpmath.mpf(np.finfo(np.float64).max)
TINY = mpmath.mpf(np.finfo(np.float64).tiny)


def _powsum(sig, p):
    return mpmath.fsum(x**p for x in sig if x > 0)


def _norm(sig, p):
    s = _powsum(sig, p)
    return s ** (1 / mpmath.mpf(p)) if s > 0 else mpmath.mpf(0)


def _logn(sig, p):
    return mpmath.log(_powsum(sig, p)) / p


def _proxy(sig, p):
    s1 = max(sig)
    return mpmath.fsum((x / s1) ** p for x in sig if x > 0)


def _erank(sig):
    total = mpmath.fsum(sig)
    q = [x / total for x in sig if x > 0]
    return mpmath.exp(-mpmath.fsum(x * mpmath.log(x) for x in q))


def _assert_in(f, lo, hi, rel, what):
    """Float f lies in [lo, hi] widened by rel (relative) and by float64's underflow floor; inf iff beyond float64."""
    with mpmath.workdps(40):
        lo_w, hi_w = lo * (1 - rel) - TINY, hi * (1 + rel) + TINY
        if lo_w > BIG:
            assert f == math.inf, f"{what}: true value {mpmath.nstr(lo, 8)} exceeds float64, got {f}"
        elif hi_w > BIG:
            assert f == math.inf or mpmath.mpf(f) >= lo_w, f"{what}: {f} below {mpmath.nstr(lo, 17)}"
        else:
            assert math.isfinite(f), f"{what}: got {f}, expected {mpmath.nstr(lo, 17)}"
            assert lo_w <= mpmath.mpf(f) <= hi_w, (
                f"{what}: {f!r} outside [{mpmath.nstr(lo, 17)}, {mpmath.nstr(hi, 17)}]"
            )


# ---- spectrum kernels: float64 vs mpmath on the same numbers -------------------------------------------------


@given(sig=spectra(max_size=10), p=exponents())
def test_stable_kernels_match_mpmath(sig, p):
    mp_sig = [mpmath.mpf(float(x)) for x in sig]
    rel = 1e-11 * max(1.0, 1.0 / p)
    with mpmath.workdps(40):
        exact = {
            "sum": _powsum(mp_sig, p),
            "norm": _norm(mp_sig, p),
            "log": _logn(mp_sig, p),
            "proxy": _proxy(mp_sig, p),
            "erank": _erank(mp_sig),
        }
    _assert_in(stable.schatten_sum(sig, p), exact["sum"], exact["sum"], rel, "schatten_sum")
    _assert_in(stable.schatten_norm(sig, p), exact["norm"], exact["norm"], rel, "schatten_norm")
    _assert_in(stable.rank_proxy(sig, p), exact["proxy"], exact["proxy"], 1e-12, "rank_proxy")
    _assert_in(stable.effective_rank(sig), exact["erank"], exact["erank"], 1e-12, "effective_rank")
    log_f = stable.log_schatten_norm(sig, p)
    assert abs(log_f - float(exact["log"])) <= 1e-12 * max(1.0, abs(float(exact["log"]))) * max(1.0, 1.0 / p)
    # the mpmath kernels on mpf input compute the same quantities
    with mpmath.workdps(40):
        assert abs(stable.schatten_norm(mp_sig, p) - exact["norm"]) <= mpmath.mpf(10) ** -35 * exact["norm"]


def test_stable_kernels_at_the_float64_edges():
    sig = np.array([1e150, 1e150, 1e-150])
    assert stable.schatten_norm(sig, 2) == pytest.approx(math.sqrt(2) * 1e150, rel=1e-15)
    assert stable.schatten_sum(sig, 3) == math.inf  # 2e450 is beyond float64
    assert stable.schatten_sum(np.array([1e-150]), 3) == 0.0  # 1e-450 underflows to 0 honestly
    assert stable.log_schatten_norm(sig, 3) == pytest.approx(math.log(2) / 3 + 150 * math.log(10), rel=1e-15)


# ---- matrices: float64 result inside the SVD-error enclosure around the 30-digit mpmath SVD ------------------


def _down(sig, d):
    return [max(x - d, 0) for x in sig]


def _up(sig, d):
    return [x + d for x in sig]


_MATRICES = st.one_of(matrices_with_spectrum().map(lambda t: t[0]), scaled_matrices())


@given(A=_MATRICES, p=exponents())
def test_float_matrix_functions_match_mpmath_svd(A, p):
    sig = matrix.singular_values(A, dps=30)
    with mpmath.workdps(40):
        d = mpmath.mpf(16 * max(A.shape) * EPS) * sig[0]
        lo, hi = _down(sig, d), _up(sig, d)
        rel = 1e-11 * max(1.0, 1.0 / p)
        checks = [
            ("schatten_sum", matrix.schatten_sum(A, p), _powsum(lo, p), _powsum(hi, p)),
            ("schatten_norm", matrix.schatten_norm(A, p), _norm(lo, p), _norm(hi, p)),
        ]
        # rank proxy: 1 + sum_{i>=2} (sigma_i/sigma_1)^p, each ratio enclosed
        top_lo, top_hi = sig[0] - d, sig[0] + d
        pr_lo = 1 + mpmath.fsum((x / top_hi) ** p for x in _down(sig[1:], d) if x > 0)
        pr_hi = 1 + mpmath.fsum(min(1, x / top_lo) ** p for x in _up(sig[1:], d))
        checks.append(("rank_proxy", matrix.rank_proxy(A, p), pr_lo, pr_hi))
        log_f = matrix.log_schatten_norm(A, p)
        log_lo, log_hi = _logn(lo, p) if _powsum(lo, p) > 0 else -mpmath.inf, _logn(hi, p)
    for name, f, lo_v, hi_v in checks:
        _assert_in(f, lo_v, hi_v, rel, f"{name}(A, p={p})")
    with mpmath.workdps(40):
        assert log_lo - 1e-12 * abs(log_hi) <= log_f <= log_hi + 1e-12 * abs(log_hi) + 1e-11 / p


@given(A=_MATRICES)
def test_effective_and_stable_rank_match_mpmath_svd(A):
    sig = matrix.singular_values(A, dps=30)
    with mpmath.workdps(40):
        d = mpmath.mpf(16 * max(A.shape) * EPS) * sig[0]
        # Shannon entropy is continuous: |H(q) - H(q')| <= T log k + h(T), T the total variation distance
        # (Fannes-Audenaert type bound), and T <= k d / sum(sigma) here
        k = len(sig)
        T = min(mpmath.mpf(1) / 2, k * d / mpmath.fsum(sig))
        h = -T * mpmath.log(T) - (1 - T) * mpmath.log(1 - T) if T > 0 else 0
        dH = T * mpmath.log(max(k, 2)) + h
        er = _erank(sig)
        _assert_in(matrix.effective_rank(A), er * mpmath.exp(-dH), er * mpmath.exp(dH), 1e-12, "effective_rank")
        sr_lo = mpmath.fsum(x**2 for x in _down(sig, d)) / (sig[0] + d) ** 2
        sr_hi = mpmath.fsum(x**2 for x in _up(sig, d)) / max(sig[0] - d, d) ** 2
        _assert_in(matrix.stable_rank(A), sr_lo, sr_hi, 1e-12, "stable_rank")


@given(A=scaled_matrices())
def test_extreme_entries_give_finite_answers(A):
    """Entries anywhere in 1e-150..1e150: norms for p >= 1 never overflow or underflow (sigma_1 <= 1e150 * 6)."""
    for p in (1.0, 2.0, math.inf, 7.5):
        val = matrix.schatten_norm(A, p)
        assert math.isfinite(val) and val > 0
    assert math.isfinite(matrix.log_schatten_norm(A, 0.01))


# ---- the dps path is correct to its digits ---------------------------------------------------------------------


def test_dps_path_exact_closed_forms():
    """[[1, 1], [0, 1]] has singular values phi and 1/phi: S_1 = sqrt 5, S_2 = sqrt 3, S_1/2 = sqrt 5 + 2."""
    A = np.array([[1.0, 1.0], [0.0, 1.0]])
    with mpmath.workdps(60):
        sqrt5 = mpmath.sqrt(5)
        phi = (1 + sqrt5) / 2
        q = [phi / sqrt5, 1 / (phi * sqrt5)]
        cases = [
            (matrix.schatten_norm(A, 1, dps=50), sqrt5),
            (matrix.schatten_norm(A, 2, dps=50), mpmath.sqrt(3)),
            (matrix.schatten_norm(A, 0.5, dps=50), sqrt5 + 2),
            (matrix.schatten_sum(A, 4, dps=50), mpmath.mpf(7)),
            (matrix.effective_rank(A, dps=50), mpmath.exp(-mpmath.fsum(x * mpmath.log(x) for x in q))),
            (matrix.rank_proxy(A, 2, dps=50), 1 + phi**-4),
        ]
        for got, want in cases:
            assert abs(got - want) <= mpmath.mpf(10) ** -47 * want, (got, want)
        # float64 singular values relabelled at 50 digits would be off by ~1e-16
        assert abs(matrix.schatten_norm(A, 1, dps=50) - sqrt5) < mpmath.mpf(10) ** -45


@given(
    mat=matrices_with_spectrum(
        spectra(1, 4, min_magnitude=1e-3, max_magnitude=1e3, zeros=False), extra_rows=0, extra_cols=0
    ),
    p=exponents(large=False),
)
def test_dps_path_matches_an_independent_eigenvalue_route(mat, p):
    """sigma_i = sqrt(eig(A^T A)) at 80 digits (mpmath.eigsy, not svd) vs schatten_norm(A, p, dps=30).

    Square matrices of full numerical rank: see the xfail tests below for rank-deficient ones.
    """
    A, _ = mat
    with mpmath.workdps(80):
        M = mpmath.matrix([[mpmath.mpf(float(x)) for x in row] for row in A])
        G = M.T * M if A.shape[0] >= A.shape[1] else M * M.T
        ev = mpmath.eigsy(G, eigvals_only=True)
        sig = [mpmath.sqrt(max(x, 0)) for x in ev]
        want = _norm(sig, p)
    got = matrix.schatten_norm(A, p, dps=30)
    with mpmath.workdps(40):
        assert abs(got - want) <= mpmath.mpf(10) ** -25 * want


@given(mat=matrices_with_spectrum(spectra(1, 6, min_magnitude=1e-3, max_magnitude=1e3)))
def test_rank_at_p_zero_is_numpys_matrix_rank(mat):
    A, _ = mat
    assert matrix.schatten_sum(A, 0) == np.linalg.matrix_rank(A)
    assert matrix.rank_proxy(A, 0) == np.linalg.matrix_rank(A)


def test_float32_input_is_decomposed_in_float32():
    A = np.random.default_rng(0).standard_normal((20, 30)).astype(np.float32)
    ref = np.linalg.svd(A.astype(np.float64), compute_uv=False)
    assert matrix.schatten_norm(A, 2) == pytest.approx(float(np.sqrt(np.sum(ref**2))), rel=1e-5)


# ---- the dps path on rank-deficient matrices: exact rank, guard digits grown by the spectrum's spread ---------


def test_dps_path_on_an_exactly_singular_matrix():
    """The matrix is exactly singular (rank 2), so sum sigma^p must be sigma_1^p + sigma_2^p for every p."""
    B = np.arange(1.0, 10.0).reshape(3, 3)
    with mpmath.workdps(50):
        # exact: sigma_1^2 + sigma_2^2 = ||B||_F^2 = 285 and sigma_1^2 sigma_2^2 = sum of squared 2x2 minors = 324
        s = mpmath.sqrt(285**2 - 4 * 324)
        sig = [mpmath.sqrt((285 + s) / 2), mpmath.sqrt((285 - s) / 2)]
        want = _powsum(sig, mpmath.mpf("0.01"))
    got = matrix.schatten_sum(B, "0.01", dps=30)  # exact 1/100, like the reference
    with mpmath.workdps(40):
        assert abs(got - want) <= mpmath.mpf(10) ** -25 * want


def test_dps_path_on_a_numerically_rank_deficient_matrix():
    """A rank-2 spectrum embedded in a 5x5 float matrix: its float rounding leaves sigma_3..5 ~ 1e-16."""
    A = (np.linalg.qr(np.random.default_rng(5).standard_normal((5, 2)))[0] * [10.0, 1.0]) @ np.linalg.qr(
        np.random.default_rng(6).standard_normal((5, 2))
    )[0].T
    with mpmath.workdps(100):
        M = mpmath.matrix([[mpmath.mpf(float(x)) for x in row] for row in A])
        sig = [mpmath.sqrt(max(x, 0)) for x in mpmath.eigsy(M.T * M, eigvals_only=True)]
        want = _norm(sig, mpmath.mpf(1) / 16)
    got = matrix.schatten_norm(A, 1 / 16, dps=30)
    with mpmath.workdps(40):
        assert abs(got - want) <= mpmath.mpf(10) ** -29 * want


def test_exact_rank_against_sympy_on_small_integer_matrices():
    import sympy as sp

    rng = np.random.default_rng(11)
    for _ in range(30):
        m, n, r = rng.integers(1, 6), rng.integers(1, 6), rng.integers(0, 4)
        A = (rng.integers(-3, 4, (m, max(r, 1))) @ rng.integers(-3, 4, (max(r, 1), n))).astype(float) * (r > 0)
        assert matrix.exact_rank(A) == sp.Matrix(A.astype(int)).rank()
