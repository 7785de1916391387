r"""Certified intervals for sigma_1, the Frobenius norm, the tail energy and ||A||_{S_p}^p (0 < p <= 2) from a
randomized top-k subspace, without a full SVD.

Every interval contains the exact value for the matrix as given (its entries taken as the binary numbers they are),
whatever the random draw: the randomness only makes the intervals narrow, never wrong. The steps, each a theorem:

* Ritz lower bounds: for Q with k columns, sigma_i(Q^T A) <= ||Q||_2 sigma_i(A) (interlacing for products), and
  ||Q||_2 <= sqrt(1 + ||Q^T Q - I||_F); so l_i = sigma_i(Q^T A) / sqrt(1 + ||Q^T Q - I||_F) <= sigma_i(A). Q spans a
  few steps of subspace iteration from a Gaussian start (Halko, Martinsson and Tropp 2011, Algorithm 4.4), which
  makes l_i close to sigma_i for the leading values.
* Frobenius: F^2 = sum a_ij^2 exactly up to float64 summation, bounded by the standard gamma_N = N u / (1 - N u).
* sigma_1 upper bound: sigma_1^2 = F^2 - sum_{i >= 2} sigma_i^2 <= F^2 - sum_{i=2}^k l_i^2; and with the Gram matrix
  G = A A^T (smaller side; the Gram path), sigma_1^4 <= ||G||_F^2 - sum_{i=2}^k l_i^4 and
  sigma_1^8 <= ||G^2||_F^2 - sum_{i=2}^k l_i^8 (a flat bulk of small values then barely moves the bound). The
  smallest is kept.
* Tail: sum_{i > k} sigma_i^2 <= F^2 - sum_{i <= k} l_i^2.
* ||A||_{S_p}^p for 0 < p <= 2: at least sum_i l_i^p; at most the maximum of sum lambda_i^{p/2} over
  lambda_i >= l_i^2, lambda_i <= sigma_1-upper^2, sum lambda_i <= F^2 (r = min(m, n) values): a concave maximum,
  reached by water-filling lambda_i = min(max(l_i^2, h), cap) with the level h that spends F^2.

Rounding: products and the small SVD are float64 (the input upcast exactly); each step's rounding error is bounded
(gamma_m ||Q||_F ||A||_F for Q^T A, gamma_m F^2 for G, c k u for the k x k SVD) and moved to the safe side.
Exact (``scipy.linalg.svdvals``) stays the default everywhere; this is for matrices too large for it.

>>> import numpy as np
>>> A = np.diag([5.0, 3.0, 1.0, 0.5])
>>> c = certified_top_k(A, k=2, seed=0)
>>> bool(c.sigma1[0] <= 5.0 <= c.sigma1[1]), bool(c.frobenius[0] <= 35.25 ** 0.5 <= c.frobenius[1])
(True, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from schattheory.foundation.errors import InputError, check_matrix, check_p

__all__ = ["CertifiedSpectrum", "certified_top_k", "check_top_k", "UpperEnds", "upper_ends"]

_U = float(np.finfo(np.float64).eps) / 2


def _gamma(n: int) -> float:
    return n * _U / (1 - n * _U)


@dataclass(frozen=True)
class CertifiedSpectrum:
    """Certified (lower, upper) intervals; ``lower_top`` are lower bounds of sigma_1..sigma_k."""

    shape: tuple
    k: int
    lower_top: np.ndarray
    sigma1: tuple
    frobenius: tuple
    tail_energy: tuple
    cap_sq: float
    f2_hi: float

    def pack(self) -> np.ndarray:
        """Every field but ``lower_top`` as one float64 array (a spectra cache stores arrays); see :meth:`unpack`."""
        return np.array(
            [*self.shape, self.k, *self.sigma1, *self.frobenius, *self.tail_energy, self.cap_sq, self.f2_hi],
            dtype=np.float64,
        )

    @classmethod
    def unpack(cls, lower_top, packed) -> "CertifiedSpectrum":
        v = [float(x) for x in np.asarray(packed, dtype=np.float64)]
        return cls(
            (int(v[0]), int(v[1])),
            int(v[2]),
            np.asarray(lower_top, dtype=np.float64),
            (v[3], v[4]),
            (v[5], v[6]),
            (v[7], v[8]),
            v[9],
            v[10],
        )

    @cached_property
    def _water(self) -> np.ndarray:
        """The lambda_i (squared singular values) that maximise every concave sum lambda_i^{p/2}; see the module."""
        low = np.clip(self.lower_top, 0, None) ** 2
        r = min(self.shape)
        lam = np.concatenate([low, np.zeros(r - low.size)])
        cap, budget = self.cap_sq, self.f2_hi
        lo_h, hi_h = 0.0, cap
        if np.minimum(np.maximum(lam, cap), cap).sum() <= budget:
            h = cap  # everything at the cap still fits the energy
        else:
            for _ in range(200):  # bisection on the water level
                mid = (lo_h + hi_h) / 2
                if np.minimum(np.maximum(lam, mid), cap).sum() > budget:
                    hi_h = mid
                else:
                    lo_h = mid
            h = hi_h
        return np.minimum(np.maximum(lam, h), cap)

    def schatten_p(self, p) -> tuple:
        """Interval containing ||A||_{S_p}^p, 0 < p <= 2."""
        p = check_p(p, allow_inf=False)
        if p > 2:
            raise InputError("p", p, "certified Schatten intervals are given for 0 < p <= 2")
        r = min(self.shape)
        upper = float(np.sum(self._water ** (p / 2))) * (1 + 4 * r * _U)
        lower = float(np.sum(self.lower_top**p)) * (1 - 4 * r * _U)
        return (max(lower, 0.0), upper)

    def schatten_norm(self, p) -> tuple:
        """Interval containing ||A||_{S_p} = (||A||_{S_p}^p)^(1/p), 0 < p <= 2 (p = 1: the nuclear norm)."""
        lo, hi = self.schatten_p(p)
        return (lo ** (1 / p) * (1 - 4 * _U), hi ** (1 / p) * (1 + 4 * _U))

    def rank_proxy(self, p, floor: float = 0.0) -> tuple:
        """Interval containing r(p) = sum_i (sigma_i / sigma_1)^p, for every p > 0.

        Upper end: ||A||_{S_p}^p upper / (sigma_1 lower)^p for p <= 2; for p > 2, r(p) <= r(2) since each ratio is
        at most 1; never above min(m, n). Lower end: the ratios of the certified lower bounds above ``floor``
        sigma_1 (the noise floor of the exact path, which ignores the values below it), and at least 1.
        """
        p = check_p(p, allow_inf=False)
        s_lo, s_hi = self.sigma1
        if s_lo <= 0:
            hi = float(min(self.shape))
        else:
            sp_hi = self.schatten_p(min(p, 2.0))[1]
            hi = min(float(min(self.shape)), math.exp(math.log(sp_hi) - min(p, 2.0) * math.log(s_lo)) * (1 + 8 * _U))
        top = self.lower_top[self.lower_top > floor * s_hi]
        lo = float(np.sum((top / s_hi) ** p)) * (1 - 4 * top.size * _U) if s_hi > 0 else 1.0
        return (min(max(lo, 1.0), hi), max(hi, 1.0))

    def stable_rank(self) -> tuple:
        """Interval containing ||A||_F^2 / sigma_1^2."""
        (f_lo, f_hi), (s_lo, s_hi) = self.frobenius, self.sigma1
        hi = (f_hi / s_lo) ** 2 * (1 + 4 * _U) if s_lo > 0 else float(min(self.shape))
        return ((f_lo / s_hi) ** 2 * (1 - 4 * _U), min(hi, float(min(self.shape))))

    def to_dict(self, ps=(), floor: float = 0.0) -> dict:
        """The intervals as [lower, upper] lists (JSON), rank proxies at ``ps`` and Schatten norms at those <= 2."""
        key = lambda p: f"{float(p):g}"  # noqa: E731
        return {
            "k": self.k,
            "spectral": list(self.sigma1),
            "frobenius": list(self.frobenius),
            "tail_energy": list(self.tail_energy),
            "nuclear": list(self.schatten_norm(1)),
            "stable_rank": list(self.stable_rank()),
            "schatten": {key(p): list(self.schatten_norm(p)) for p in ps if float(p) <= 2},
            "rank_proxy": {key(p): list(self.rank_proxy(p, floor)) for p in ps},
            "top_k_lower": [float(x) for x in self.lower_top],
        }


def check_top_k(k, shape) -> int:
    """``k`` as an int in [1, min(shape)]: a subspace of more dimensions than the smaller side does not exist."""
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)):
        raise InputError("k", k, "must be an integer (the dimension of the random subspace)")
    if not 1 <= int(k) <= min(shape):
        raise InputError(
            "k", k, f"must lie in [1, {min(shape)}] (the smaller side of the {shape[0]} x {shape[1]} matrix)"
        )
    return int(k)


def certified_top_k(A, k: int = 16, *, iters: int = 4, seed: int = 0, gram: bool = True) -> CertifiedSpectrum:
    """Certified intervals from a rank-k randomized subspace (``iters`` power steps); see the module docstring."""
    arr = check_matrix(A, "A").astype(np.float64)
    if arr.shape[0] > arr.shape[1]:
        arr = arr.T  # m <= n: Q lives on the smaller side
    m, n = arr.shape
    k = check_top_k(k, (m, n))
    peak = float(np.max(np.abs(arr)))
    if peak == 0:
        z = np.zeros(k)
        return CertifiedSpectrum((m, n), k, z, (0.0, 0.0), (0.0, 0.0), (0.0, 0.0), 0.0, 0.0)
    shift = math.frexp(peak)[1]
    arr = np.ldexp(arr, -shift)  # exact; keeps squares and fourth powers inside float64
    c = 2.0**shift
    rng = np.random.default_rng(seed)
    Y = arr @ rng.standard_normal((n, k))
    Q, _ = np.linalg.qr(Y)
    for _ in range(iters):
        Q, _ = np.linalg.qr(arr @ (arr.T @ Q))
    B = Q.T @ arr  # k x n
    s = np.linalg.svd(B, compute_uv=False)
    f2 = float(np.einsum("ij,ij->", arr, arr))
    f2_hi = f2 * (1 + _gamma(m * n))
    f2_lo = f2 * (1 - _gamma(m * n))
    frob_a = math.sqrt(f2_hi)
    orth = float(np.linalg.norm(Q.T @ Q - np.eye(k)))
    # ||fl(Q^T A) - Q^T A||_2 <= gamma_m ||Q||_F ||A||_F; the k x k SVD is backward stable (c = 10 k)
    err = _gamma(m) * math.sqrt(k * (1 + orth)) * frob_a + 10 * k * _U * float(s[0] if s.size else 0)
    lower = np.clip(s - err, 0, None) / math.sqrt(1 + orth)
    lower = np.minimum.accumulate(lower)  # sorted (each l_i <= sigma_i <= sigma_{i-1} ... kept valid)
    up1_sq = f2_hi - float(np.sum(lower[1:] ** 2))
    if gram:
        G = arr @ arr.T
        g_err = _gamma(n) * f2_hi  # ||fl(G) - G||_F <= gamma_n || |A| |A^T| ||_F <= gamma_n F^2
        g_fl = float(np.linalg.norm(G)) * (1 + _gamma(m * m))
        g_hi = g_fl + g_err
        up1_sq = min(up1_sq, math.sqrt(max(g_hi**2 - float(np.sum(lower[1:] ** 4)), 0.0)))
        # sigma_1^8 <= ||G^2||_F^2 - sum_{i >= 2} l_i^8: the bulk enters at the eighth power (m^3 flops, cheap
        # beside the m^2 n of G); errors: the product gamma_m ||fl(G)||_F^2, fl(G) - G through both factors
        g2_hi = float(np.linalg.norm(G @ G)) * (1 + _gamma(m * m)) + _gamma(m) * g_fl**2 + g_err * (g_fl + g_hi)
        del G
        up1_sq = min(up1_sq, math.sqrt(math.sqrt(max(g2_hi**2 - float(np.sum(lower[1:] ** 8)), 0.0))))
    up1_sq = max(up1_sq, float(lower[0]) ** 2)
    tail_hi = max(f2_hi - float(np.sum(lower**2)), 0.0)
    # scaled back by the power of two (exact unless the result leaves float64)
    return CertifiedSpectrum(
        (m, n),
        k,
        lower * c,
        (float(lower[0]) * c, math.sqrt(up1_sq) * c),
        (math.sqrt(f2_lo) * c, math.sqrt(f2_hi) * c),
        (0.0, tail_hi * c * c),
        up1_sq * c * c,
        f2_hi * c * c,
    )


@dataclass(frozen=True)
class UpperEnds:
    """What a bound is evaluated at for one layer: certified upper ends of sigma_1, ||A||_F, ||A^T||_{2,1} and r(p)
    (:mod:`schattheory.bounds.network` reads these attributes when ``NetworkStats.extras["intervals"]`` is set).
    A layer decomposed exactly (a conv operator's spectrum) has ``spectrum=None`` and its own values."""

    spectral: float
    frobenius: float
    norm21: float
    spectrum: CertifiedSpectrum | None = None
    layer: object = None
    floor: float = 0.0

    def rank_proxy(self, p) -> float:
        """Upper end of r(p) = sum_i (sigma_i / sigma_1)^p."""
        if self.spectrum is None:
            return self.layer.rank_proxy(p)
        return self.spectrum.rank_proxy(p, self.floor)[1]


def upper_ends(lay, spectrum: CertifiedSpectrum | None) -> UpperEnds:
    """The upper ends for a layer (``LayerStats``): from its certified intervals, or its exact values without.

    ||A^T||_{2,1} is summed in float64 from the stored entries: n squares per row, a square root, m rows, so its
    relative rounding error is at most gamma_{m + n + 2}, added here.
    """
    if spectrum is None:
        return UpperEnds(lay.spectral, lay.frobenius, lay.norm21, None, lay)
    m, n = spectrum.shape
    return UpperEnds(
        spectrum.sigma1[1],
        spectrum.frobenius[1],
        lay.norm21 * (1 + _gamma(m + n + 2)),
        spectrum,
        lay,
        lay.noise_floor / lay.spectral,
    )
