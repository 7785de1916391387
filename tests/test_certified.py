"""Certified top-k intervals contain the exact values (numpy SVD in float64 as the independent route) on flat,
decaying, low-rank and float32 spectra, whatever the seed; they are tight when k reaches the rank."""

from __future__ import annotations

import numpy as np
import pytest

from schattheory.foundation.errors import InputError
from schattheory.networks.certified import certified_top_k
from schattheory.networks.synthetic import random_orthogonal


def _matrix(kind, m=60, n=90, seed=0):
    rng = np.random.default_rng(seed)
    if kind == "gaussian":
        return rng.standard_normal((m, n))
    r = min(m, n)
    s = {
        "decaying": 10.0 * np.arange(1, r + 1) ** -1.5,
        "lowrank": np.r_[[9.0, 4.0, 2.0], np.zeros(r - 3)],
        "tiny": 1e-140 * np.linspace(2, 1, r),
        "huge": 1e140 * np.linspace(2, 1, r),
    }[kind]
    U, V = random_orthogonal(m, rng)[:, :r], random_orthogonal(n, rng)[:, :r]
    return (U * s) @ V.T


@pytest.mark.parametrize("kind", ["gaussian", "decaying", "lowrank", "tiny", "huge"])
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("k", [1, 5, 20])
def test_intervals_contain_the_exact_values(kind, seed, k):
    A = _matrix(kind, seed=seed)
    for arr in (A, A.astype(np.float32), A.T) if kind not in ("tiny", "huge") else (A, A.T):
        exact = np.linalg.svd(arr.astype(np.float64), compute_uv=False)
        c = certified_top_k(arr, k=k, iters=2, seed=seed + 10)
        assert c.sigma1[0] <= exact[0] <= c.sigma1[1]
        assert np.all(c.lower_top <= exact[: c.k] * (1 + 1e-15))
        f = np.sqrt(np.sum(exact**2))
        assert c.frobenius[0] <= f * (1 + 1e-13) and f <= c.frobenius[1] * (1 + 1e-13)
        assert np.sum((exact[c.k :] / f) ** 2) <= c.tail_energy[1] / f**2 * (1 + 1e-12) + 1e-12
        for p in (0.25, 0.5, 1.0, 2.0) if kind not in ("tiny", "huge") else (1.0, 2.0):
            lo, hi = c.schatten_p(p)
            true = np.sum(exact[exact > 1e-12 * exact[0]] ** p)
            assert lo <= true * (1 + 1e-12) and true <= hi * (1 + 1e-12), (p, lo, true, hi)


def test_tight_when_k_reaches_the_rank():
    A = _matrix("lowrank")
    c = certified_top_k(A, k=3, iters=3)
    exact = np.linalg.svd(A, compute_uv=False)
    assert c.sigma1[1] / c.sigma1[0] - 1 < 1e-6 and abs(c.sigma1[0] / exact[0] - 1) < 1e-6
    lo, hi = c.schatten_p(1.0)
    assert hi / lo - 1 < 1e-5


def test_bad_arguments():
    with pytest.raises(InputError, match="^p=3"):
        certified_top_k(np.eye(3), k=2).schatten_p(3)
    with pytest.raises(InputError, match="^k=0"):
        certified_top_k(np.eye(3), k=0)


@pytest.mark.parametrize("kind", ["repeated", "rank2", "flat", "spike", "tiny150", "huge150"])
@pytest.mark.parametrize("k", [1, 2, 7, 30])
def test_adversarial_spectra_every_interval_contains_the_exact_value(kind, k):
    """Repeated and zero singular values, 1e-150 and 1e150 scales, rank-deficient, k = 1 and k >= rank, k = the
    smaller side: sigma_1, ||A||_F, r(p) for p up to 4, ||A||_{S_p} and the stable rank, against numpy's SVD."""
    rng = np.random.default_rng(7)
    m, n = 30, 45
    s = {
        "repeated": np.r_[[4.0] * 5, [2.0] * 25],
        "rank2": np.r_[[3.0, 3.0], np.zeros(28)],
        "flat": np.ones(30),
        "spike": np.r_[[100.0], np.full(29, 1e-3)],
        "tiny150": 1e-150 * np.linspace(3, 1, 30),
        "huge150": 1e150 * np.linspace(3, 1, 30),
    }[kind]
    A = (random_orthogonal(m, rng) * s) @ random_orthogonal(n, rng)[:, :m].T
    exact = np.linalg.svd(A, compute_uv=False)
    c = certified_top_k(A, k=k, seed=k)
    tol = 1e-12
    assert c.sigma1[0] * (1 - tol) <= exact[0] <= c.sigma1[1] * (1 + tol)
    f = exact[0] * np.sqrt(np.sum((exact / exact[0]) ** 2))
    assert c.frobenius[0] * (1 - tol) <= f <= c.frobenius[1] * (1 + tol)
    lo, hi = c.stable_rank()
    assert lo * (1 - tol) <= (f / exact[0]) ** 2 <= hi * (1 + tol)
    pos = exact[exact > 1e-13 * exact[0]]  # numpy's rounding noise on the zero values is not spectrum
    for p in (0.1, 0.5, 1.0, 2.0, 4.0):
        lo, hi = c.rank_proxy(p)
        true = float(np.sum((pos / pos[0]) ** p))
        assert 1 <= lo and lo * (1 - tol) <= true <= hi * (1 + tol) and hi <= m, (p, lo, true, hi)
        if p <= 2:
            lo, hi = c.schatten_norm(p)
            true = pos[0] * float(np.sum((pos / pos[0]) ** p)) ** (1 / p)
            assert lo * (1 - tol) <= true <= hi * (1 + tol), (p, lo, true, hi)
    if k == m:  # the subspace is the whole row space: tight
        assert c.sigma1[1] / c.sigma1[0] < 1 + 1e-9


def test_zero_matrix_and_k_validation():
    c = certified_top_k(np.zeros((4, 6)), k=2)
    assert c.sigma1 == (0.0, 0.0) and c.frobenius == (0.0, 0.0)
    for k, text in (
        (0, "^k=0"),
        (-1, "^k=-1"),
        (5, "^k=5: must lie in \\[1, 4\\]"),
        (2.0, "^k=2.0: must be an integer"),
        ("2", "^k='2'"),
        (True, "^k=True"),
    ):
        with pytest.raises(InputError, match=text):
            certified_top_k(np.ones((4, 6)), k=k)
    assert certified_top_k(np.ones((6, 4)), k=np.int64(4)).k == 4  # the smaller side, either orientation
