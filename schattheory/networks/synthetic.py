r"""Synthetic networks with prescribed spectra, for tests, benchmarks and examples.

Each layer is U diag(s) V^T with Haar-random orthogonal U, V (seeded) and s_i = spectral * (i + 1)^(-decay) for
i < rank (zero beyond), so its singular values are known in closed form: the spectral norm is ``spectral`` exactly
up to one rounding per entry.

>>> net = synthetic_network(depth=3, width=4, spectral=3.0, decay=1.0)
>>> [a.shape for a in net]
[(4, 4), (4, 4), (4, 4)]
>>> import numpy as np
>>> np.allclose(np.linalg.svd(net[0], compute_uv=False), [3, 1.5, 1, 0.75])
True
"""

from __future__ import annotations

import numpy as np

from schattheory.foundation.errors import InputError

__all__ = ["synthetic_network", "layer_spectrum", "random_orthogonal"]


def random_orthogonal(n: int, rng) -> np.ndarray:
    """A Haar-random n x n orthogonal matrix (QR of a Gaussian matrix with the sign fix of Mezzadri 2007)."""
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def layer_spectrum(k: int, spectral: float = 3.0, decay: float = 1.0, rank: int | None = None) -> np.ndarray:
    """s_i = spectral * (i + 1)^(-decay) for i < rank, 0 beyond (k values, descending)."""
    rank = k if rank is None else rank
    s = spectral * (np.arange(1, k + 1, dtype=np.float64) ** -float(decay))
    s[rank:] = 0.0
    return s


def synthetic_network(
    depth: int,
    width: int,
    *,
    spectral: float = 3.0,
    decay: float = 1.0,
    rank: int | None = None,
    in_features: int | None = None,
    out_features: int | None = None,
    seed: int = 0,
    dtype=np.float64,
) -> list:
    """``depth`` weight matrices in torch orientation (out, in) that chain: in_features -> width ... -> out_features."""
    if depth < 1 or width < 1:
        raise InputError("depth", (depth, width), "depth and width must be >= 1")
    rng = np.random.default_rng(seed)
    dims = [in_features or width] + [width] * (depth - 1) + [out_features or width]
    out = []
    for l in range(depth):
        m, n = dims[l + 1], dims[l]
        k = min(m, n)
        s = layer_spectrum(k, spectral, decay, rank)
        U = random_orthogonal(m, rng)[:, :k]
        V = random_orthogonal(n, rng)[:, :k]
        out.append(((U * s) @ V.T).astype(dtype))
    return out
