"""The weight-decay identity min sum_l ||W_l||_F^2 = L ||A||_{S_{2/L}}^{2/L} and its balanced factorisation."""

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from schattheory.core.registry import get
from schattheory.core.testing import matrices_with_spectrum, spectra
from schattheory.foundation.errors import InputError
from schattheory.lemmas.weight_decay import balanced_factorization, min_weight_decay

BOUND = get("schatten.weight_decay")


def _product(Ws):
    out = Ws[0]
    for W in Ws[1:]:
        out = W @ out
    return out


def _cost(Ws):
    return sum(float(np.sum(W.astype(np.float64) ** 2)) for W in Ws)


@given(mat=matrices_with_spectrum(spectra(1, 5, min_magnitude=1e-100, max_magnitude=1e100)), L=st.integers(1, 7))
def test_balanced_factorization_attains_the_identity(mat, L):
    """The factors multiply back to A and their cost equals the registered right-hand side L ||A||_{S_{2/L}}^{2/L}."""
    A, sig = mat
    Ws = balanced_factorization(A, L)
    assert len(Ws) == L
    scale = float(np.max(sig))
    assert np.max(np.abs(_product(Ws) - A)) <= 64 * max(A.shape) * np.finfo(float).eps * scale
    rhs = float(BOUND.evaluate({"A": A, "L": L}, dps=30))
    # Float64 limitation: a float SVD returns each singular value only to within ~c max(m, n) eps sigma_1 (Weyl), so
    # a zero singular value comes back as rounding noise of that size, and t -> t^(2/L) turns noise delta into up
    # to delta^(2/L) per value. Two SVD routes (the factorisation's, the bound's) may see different noise, hence
    # each comparison below allows k (c max(m, n) eps sigma_1)^(2/L) per route, plus a relative 1e-10.
    with mpmath.workdps(30):
        exact = L * mpmath.fsum(mpmath.mpf(float(x)) ** (mpmath.mpf(2) / L) for x in sig if x > 0)
    tol = L * len(sig) * (64 * max(A.shape) * np.finfo(float).eps) ** (2.0 / L) * scale ** (2.0 / L)
    assert abs(_cost(Ws) - rhs) <= 2 * tol + 1e-10 * rhs
    # and both agree with L sum sigma_i^(2/L) from the spectrum A was built from (an independent route)
    assert abs(rhs - float(exact)) <= tol + 1e-12 * float(exact)
    assert abs(_cost(Ws) - float(exact)) <= tol + 1e-10 * float(exact)


@given(
    mat=matrices_with_spectrum(spectra(1, 4, min_magnitude=1e-3, max_magnitude=1e3, zeros=False)),
    L=st.integers(2, 5),
    seed=st.integers(0, 2**31),
)
def test_no_factorization_does_better(mat, L, seed):
    """Other factorisations (random invertible matrices between the layers) never cost less than the identity says."""
    A, _ = mat
    Ws = balanced_factorization(A, L)
    rng = np.random.default_rng(seed)
    k = Ws[0].shape[0]
    Ms = [np.eye(k) + 0.5 * rng.standard_normal((k, k)) for _ in range(L - 1)]
    other = [Ms[0] @ Ws[0]]
    for i in range(1, L - 1):
        other.append(Ms[i] @ Ws[i] @ np.linalg.inv(Ms[i - 1]))
    other.append(Ws[-1] @ np.linalg.inv(Ms[-1]))
    assert np.allclose(_product(other), A, atol=1e-8 * np.max(np.abs(A)))
    assert _cost(other) >= min_weight_decay(A, L) * (1 - 1e-9)


def test_depth_two_is_the_nuclear_norm():
    """L = 2: the minimum is 2 ||A||_* (Srebro et al. 2004), checked against NumPy's nuclear norm."""
    A = np.random.default_rng(3).standard_normal((5, 4))
    assert min_weight_decay(A, 2) == pytest.approx(2 * np.linalg.norm(A, "nuc"), rel=1e-12)
    assert _cost(balanced_factorization(A, 2)) == pytest.approx(2 * np.linalg.norm(A, "nuc"), rel=1e-12)


def test_depth_one_is_the_frobenius_norm():
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    (W,) = balanced_factorization(A, 1)
    assert np.array_equal(W, A)
    assert float(BOUND.evaluate({"A": A, "L": 1})) == pytest.approx(30.0, rel=1e-14)


def test_extreme_entries_do_not_overflow():
    A = np.diag([1e150, 1e-150])
    Ws = balanced_factorization(A, 3)
    assert all(np.all(np.isfinite(W)) for W in Ws)
    assert _cost(Ws) == pytest.approx(3 * (1e100 + 1e-100), rel=1e-12)


@pytest.mark.parametrize("L", [0, -1, 2.5, True, "3"])
def test_bad_depth(L):
    with pytest.raises(InputError, match="L="):
        balanced_factorization(np.eye(2), L)
