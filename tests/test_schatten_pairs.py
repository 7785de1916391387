"""Property tests of the two-matrix Schatten lemmas (p-subadditivity, quasi-triangle, Hoelder) on random matrices.

The registered statements are evaluated on float64 matrices built from random spectra (magnitudes 1e-150..1e150,
zeros, repeats) with random orthogonal factors; ``A + B`` and ``A*C`` are formed by ``Bound.evaluate``. The float64
SVD of a matrix M is exact for a matrix within c eps ||M|| of M, so each computed singular value is within
delta = c eps ||M|| of the true one; the slack below is the resulting enclosure of each side (the functions are
monotone in every singular value), computed in mpmath. It is tight at moderate p and honest at small p, where
noise singular values of size delta really do contribute delta^p.
"""

import mpmath
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from schattheory.core.registry import get
from schattheory.core.testing import assert_bound_holds, exponents, random_orthogonal, spectra
from schattheory.numerics.matrix import singular_values

EPS = np.finfo(np.float64).eps


def _power_sum(sig, p):
    return mpmath.fsum(mpmath.mpf(x) ** p for x in sig if x > 0)


def _norm(sig, p):
    total = _power_sum(sig, p)
    return total ** (1 / mpmath.mpf(p)) if total > 0 else mpmath.mpf(0)


def _spectrum(M):
    """All min(m, n) computed singular values (zeros kept: their perturbation matters for small p)."""
    return [mpmath.mpf(float(x)) for x in singular_values(M)]


def _delta(M, *norms):
    return mpmath.mpf(16 * max(M.shape) * EPS) * (
        sum(norms) if norms else mpmath.mpf(float(np.max(singular_values(M))))
    )


def _down(sig, d):
    return [max(x - d, 0) for x in sig]


def _up(sig, d):
    return [x + d for x in sig]


@st.composite
def _pair(draw, lo=1e-150, hi=1e150, second_cols=None):
    """Two matrices from random spectra: B of the same shape as A, or C (n x r) so that A*C is defined."""
    k = draw(st.integers(1, 5))
    m, n = k + draw(st.integers(0, 2)), k + draw(st.integers(0, 2))
    sa = draw(spectra(k, k, min_magnitude=lo, max_magnitude=hi))
    sb = draw(spectra(k, k, min_magnitude=lo, max_magnitude=hi))
    seed = draw(st.integers(0, 2**31))
    A = (random_orthogonal(m, k, seed) * sa) @ random_orthogonal(n, k, seed + 1).T
    if second_cols is None:
        B = (random_orthogonal(m, k, seed + 2) * sb) @ random_orthogonal(n, k, seed + 3).T
    else:
        r = k + draw(st.integers(0, 2))
        B = (random_orthogonal(n, k, seed + 2) * sb) @ random_orthogonal(r, k, seed + 3).T
    return A, B


_small_p = st.one_of(st.floats(1e-3, 1.0), st.sampled_from([0.5, 1.0]))


@given(pair=_pair(), p=_small_p)
def test_p_subadditivity(pair, p):
    A, B = pair
    sL, sA, sB = _spectrum(A + B), _spectrum(A), _spectrum(B)
    with mpmath.workdps(40):
        dL = _delta(A + B, sA[0], sB[0])
        dA, dB = _delta(A), _delta(B)
        slack = (
            _power_sum(sL, p)
            - _power_sum(_down(sL, dL), p)
            + _power_sum(_up(sA, dA), p)
            - _power_sum(sA, p)
            + _power_sum(_up(sB, dB), p)
            - _power_sum(sB, p)
        )
    assert_bound_holds(get("schatten.p_subadditivity"), {"A": A, "B": B, "p": p}, rtol=1e-25, slack=slack)


@given(pair=_pair(), p=_small_p)
def test_quasi_triangle(pair, p):
    A, B = pair
    sL, sA, sB = _spectrum(A + B), _spectrum(A), _spectrum(B)
    with mpmath.workdps(40):
        dL = _delta(A + B, sA[0], sB[0])
        dA, dB = _delta(A), _delta(B)
        const = mpmath.mpf(2) ** (1 / mpmath.mpf(p) - 1)
        slack = (
            _norm(sL, p)
            - _norm(_down(sL, dL), p)
            + const * (_norm(_up(sA, dA), p) - _norm(sA, p) + _norm(_up(sB, dB), p) - _norm(sB, p))
        )
    assert_bound_holds(get("schatten.quasi_triangle"), {"A": A, "B": B, "p": p}, rtol=1e-25, slack=slack)


@given(pair=_pair(1e-75, 1e75, second_cols=True), p1=exponents(), p2=exponents())
@example(
    pair=(
        np.array([[-0.53890559, 0.84236617], [0.84236617, 0.53890559]]),
        np.array([[0.225216, 0.97430886], [-0.97430886, 0.225216]]),
    ),
    p1=0.0078125,
    p2=0.001,
).via("discovered failure")
def test_hoelder(pair, p1, p2):
    _check_hoelder(pair, p1, p2)


@given(
    pair=_pair(1e-75, 1e75, second_cols=True), p1=exponents(small=False, max_p=50), p2=exponents(small=False, max_p=50)
)
def test_hoelder_moderate_exponents(pair, p1, p2):
    """Away from p -> 0 the enclosure slack is tiny, so this is a sharp check of the statement."""
    _check_hoelder(pair, p1, p2)


def _check_hoelder(pair, p1, p2):
    A, C = pair
    p = p1 * p2 / (p1 + p2)
    sL, sA, sC = _spectrum(A @ C), _spectrum(A), _spectrum(C)
    with mpmath.workdps(40):
        # fl(A C) differs from A C by at most n eps |A| |C| entrywise: within n^2 eps ||A|| ||C|| in spectral norm
        dL = mpmath.mpf(16 * max(A.shape + C.shape) ** 2 * EPS) * sA[0] * sC[0]
        dA, dC = _delta(A), _delta(C)
        slack = (
            _norm(sL, p)
            - _norm(_down(sL, dL), p)
            + _norm(_up(sA, dA), p1) * _norm(_up(sC, dC), p2)
            - _norm(sA, p1) * _norm(sC, p2)
        )
    assert_bound_holds(get("schatten.hoelder"), {"A": A, "C": C, "p_1": p1, "p_2": p2}, rtol=1e-25, slack=slack)


# ---- exact cases: the constants are attained, and a false statement is caught ---------------------------------


@pytest.mark.parametrize("p", [0.01, 0.25, 0.5, 1.0])
def test_quasi_triangle_constant_is_attained(p):
    """A = diag(1, 0), B = diag(0, 1): ||A+B||_p = 2^(1/p) = 2^(1/p-1) (||A||_p + ||B||_p) exactly."""
    A, B = np.diag([1.0, 0.0]), np.diag([0.0, 1.0])
    lhs, rhs = assert_bound_holds(get("schatten.quasi_triangle"), {"A": A, "B": B, "p": p}, dps=40)
    with mpmath.workdps(40):
        assert abs(lhs - rhs) <= mpmath.mpf(10) ** -35 * rhs
        assert abs(lhs - mpmath.mpf(2) ** (1 / mpmath.mpf(p))) <= mpmath.mpf(10) ** -35 * lhs


def test_p_subadditivity_is_equality_on_orthogonal_supports():
    A, B = np.diag([3.0, 0.0, 0.0]), np.diag([0.0, 2.0, 0.5])
    lhs, rhs = assert_bound_holds(get("schatten.p_subadditivity"), {"A": A, "B": B, "p": 0.3}, dps=40)
    with mpmath.workdps(40):
        assert abs(lhs - rhs) <= mpmath.mpf(10) ** -35 * rhs


def test_hoelder_equality_case():
    """A = C = diag(a), p1 = p2 = 2: ||A C||_{S_1} = sum a_i^2 = ||A||_F ||C||_F."""
    a = np.array([3.0, 1.0, 0.25])
    lhs, rhs = assert_bound_holds(get("schatten.hoelder"), {"A": np.diag(a), "C": np.diag(a), "p_1": 2, "p_2": 2})
    assert float(lhs) == pytest.approx(float(np.sum(a**2)), rel=1e-15)
    assert float(rhs) == pytest.approx(float(np.sum(a**2)), rel=1e-15)


@pytest.mark.parametrize("key", ["schatten.quasi_triangle", "schatten.p_subadditivity"])
def test_statement_fails_outside_its_assumption(key):
    """For p = 2 > 1 and A = B both statements are false: evaluation refuses the point, naming the assumption,
    and the two sides computed regardless show the violation (the check can fail)."""
    from dataclasses import replace

    from schattheory.foundation.errors import InputError

    A = np.diag([1.0, 0.5])
    with pytest.raises(InputError, match="p <= 1"):
        assert_bound_holds(get(key), {"A": A, "B": A, "p": 2})
    with pytest.raises(AssertionError):
        assert_bound_holds(replace(get(key), assumptions=()), {"A": A, "B": A, "p": 2})


def test_matrix_expression_needs_matrices_not_spectra():
    from schattheory.foundation.errors import InputError

    with pytest.raises(InputError, match="not its singular values"):
        get("schatten.quasi_triangle").evaluate({"A": [1.0, 0.5], "B": [1.0, 0.5], "p": 0.5}, side="lhs")
    with pytest.raises(InputError, match="do not conform"):
        get("schatten.hoelder").evaluate({"A": np.ones((2, 3)), "C": np.ones((2, 3)), "p_1": 1, "p_2": 1}, side="lhs")
