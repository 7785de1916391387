r"""Weight decay on a linear factorisation and the Schatten 2/L quasi-norm.

For a matrix A and depth L (inner widths >= rank A),

.. math::

    \min_{W_L \cdots W_1 = A} \sum_{l=1}^{L} \|W_l\|_F^2 = L \|A\|_{S_{2/L}}^{2/L} = L \sum_i \sigma_i(A)^{2/L},

attained by the balanced SVD factorisation W_1 = Sigma^(1/L) V^T, W_l = Sigma^(1/L) (1 < l < L), W_L = U Sigma^(1/L).
The statement is registered as ``schatten.weight_decay`` (Dai, Karzand, Srebro 2021; Srebro, Rennie, Jaakkola 2004,
Lemma 1, for L = 2).

>>> import numpy as np
>>> A = np.array([[3.0, 0.0], [0.0, 1.0]])
>>> Ws = balanced_factorization(A, 2)
>>> np.allclose(Ws[1] @ Ws[0], A)
True
>>> round(float(sum(np.sum(W ** 2) for W in Ws)), 12), min_weight_decay(A, 2)   # 2 * ||A||_{S_1} = 2 * (3 + 1)
(8.0, 8.0)
"""

from __future__ import annotations

import math

import numpy as np

from schattheory.foundation.errors import InputError, check_matrix

__all__ = ["balanced_factorization", "min_weight_decay"]


def _check_depth(L) -> int:
    if isinstance(L, bool) or not isinstance(L, (int, np.integer)) or L < 1:
        raise InputError("L", L, "must be an integer depth >= 1")
    return int(L)


def balanced_factorization(A, L) -> list[np.ndarray]:
    """The factors ``[W_1, ..., W_L]`` of the balanced SVD factorisation, so that ``W_L @ ... @ W_1 == A``.

    With the thin SVD ``A = U diag(sigma) V^T`` (k = min(m, n) singular values) and ``S = diag(sigma^(1/L))``:
    ``W_1 = S V^T`` (k x n), ``W_l = S`` (k x k) for ``1 < l < L``, ``W_L = U S`` (m x k); for L = 1 the one factor is
    A itself. Each factor has ``||W_l||_F^2 = sum_i sigma_i^(2/L)``, so the total is ``L ||A||_{S_{2/L}}^{2/L}``, the
    minimum over all factorisations (``schatten.weight_decay``). Float64 throughout; the product reproduces A to
    rounding error.
    """
    L = _check_depth(L)
    arr = check_matrix(A).astype(np.float64, copy=False)
    if L == 1:
        return [arr.copy()]
    import scipy.linalg

    # an exact power-of-two scaling keeps the SVD away from overflow for entries up to ~1e308
    shift = math.frexp(float(np.max(np.abs(arr))) or 1.0)[1]
    U, sig, Vt = scipy.linalg.svd(np.ldexp(arr, -shift), full_matrices=False)
    # sigma^(1/L) = (2^-shift sigma)^(1/L) * 2^(shift/L): no intermediate overflow
    root = (sig ** (1.0 / L)) * 2.0 ** (shift / L)
    S = np.diag(root)
    return [S @ Vt] + [S.copy() for _ in range(L - 2)] + [U @ S]


def min_weight_decay(A, L) -> float:
    """L * sum_i sigma_i(A)^(2/L): the least sum of squared Frobenius norms over depth-L factorisations of A."""
    from schattheory.numerics.matrix import schatten_sum

    L = _check_depth(L)
    return L * float(schatten_sum(A, 2.0 / L))
