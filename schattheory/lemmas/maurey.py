r"""Maurey sparsification: the matrix covering lemma of Bartlett, Foster and Telgarsky (2017, Lemma 3.2).

For conjugate pairs (p, q), (r, s) with p <= 2, X in R^{n x d} with entrywise ||X||_p <= b, and m columns:

.. math::

    \ln\mathcal N\big(\{XA: A\in\mathbb R^{d\times m}, \|A\|_{q,s}\le a\}, \varepsilon, \|\cdot\|_2\big)
    \le \Big\lceil \frac{a^2 b^2 m^{2/r}}{\varepsilon^2}\Big\rceil \ln(2dm),

(||.||_2 is Frobenius; ||A||_{q,s} takes the q-norm of each column, then the s-norm across columns). The
instance behind their Theorem 1.1 is p = q = 2, s = 1, r = oo: :math:`\lceil a^2 b^2/\varepsilon^2\rceil\ln(2dm)`
with b = ||X||_F and a = ||A||_{2,1}.

The proof is constructive, and :func:`maurey_net` builds the net: with V_ij = X e_i e_j^T / ||X e_i||_p (Frobenius
norm <= 1 as p <= 2) and M = a b m^(1/r), every XA lies in M conv{+-V_ij}, and Maurey's empirical method gives a
k-term average (M/k) sum_t V_t within M/sqrt(k) <= eps of it, for k = ceil(M^2/eps^2); there are at most
(2dm)^k such averages.

>>> import numpy as np
>>> X = np.eye(2)
>>> net, k = maurey_net(X, m=1, a=1.0, eps=0.75)
>>> k, len(net)            # k = ceil(1 * 2 / 0.5625) = 4 terms; multisets of 4 out of 2dm = 4 atoms
(4, 35)

Reference: Bartlett, Foster, Telgarsky (2017), Lemma 3.2 [V-primary in SOURCES.md [C1.5]]; Pisier (1981);
Zhang (2002).
"""

from __future__ import annotations

import itertools
import math

import sympy as sp

from schattheory.core.bound import Bound, Limit
from schattheory.core.registry import register
from schattheory.foundation.errors import InputError, check_positive
from schattheory.foundation.provenance import Provenance, cite
from schattheory.foundation.quantities import LogCoveringNumber, MaureyClass, Metric
from schattheory.foundation.symbols import a, b, d, eps, m, r_M

__all__ = ["maurey_net", "maurey_k", "mixed_norm", "KEYS"]

KEYS = ("maurey.general", "maurey.bft_instance")
_PROV = Provenance(
    "classical",
    (cite("bartlett2017", "Lemma 3.2"), cite("pisier1981"), cite("zhang2002")),
    note="statement V-primary (SOURCES.md [C1.5]); proof in proofs/maurey",
)
_LHS = LogCoveringNumber(MaureyClass(a, b, d, m, r_M), Metric("2"), eps, eps_first=True)

register(
    Bound(
        "maurey.general",
        kind="lemma",
        lhs=_LHS,
        expr=sp.ceiling(a**2 * b**2 * m ** (2 / r_M) / eps**2) * sp.log(2 * d * m),
        params=(a, b, m, r_M, eps, d),
        assumptions=(sp.Ge(r_M, 1),),
        provenance=_PROV,
        example={a: 2, b: 3, m: 4, r_M: 2, eps: 1, d: 5},
        title="Maurey matrix covering (BFT Lemma 3.2): X in R^{n x d}, ||X||_p <= b (entrywise, p <= 2), "
        "A in R^{d x m}, "
        "||A||_{q,s} <= a, 1/p + 1/q = 1, 1/r + 1/s = 1 (r written r_M)",
        notes="r = oo gives maurey.bft_instance by substitution (m^(2/r) = 1); it is not the limit r -> oo at points "
        "where a^2 b^2/eps^2 is an integer, since the ceiling is discontinuous",
        limits=(
            Limit(
                r_M,
                sp.oo,
                a**2 * b**2 / eps**2,
                "the number of Maurey terms before rounding",
                of=a**2 * b**2 * m ** (2 / r_M) / eps**2,
            ),
        ),
    )
)
register(
    Bound(
        "maurey.bft_instance",
        kind="lemma",
        lhs=LogCoveringNumber(MaureyClass(a, b, d, m, sp.oo, "2,1"), Metric("2"), eps, eps_first=True),
        expr=sp.ceiling(a**2 * b**2 / eps**2) * sp.log(2 * d * m),
        params=(a, b, eps, d, m),
        provenance=_PROV,
        example={a: 2, b: 3, eps: 1, d: 5, m: 4},
        title="Maurey covering, instance p = q = 2, s = 1, r = oo used for BFT Theorem 1.1: b = ||X||_F, "
        "a = ||A||_{2,1} (A = A_i^T in the paper's orientation)",
    )
)


def maurey_k(a_val, b_val, eps_val, m_val=1, r=math.inf) -> int:
    """k = ceil(a^2 b^2 m^(2/r) / eps^2), the number of Maurey terms (exact rational arithmetic when possible)."""
    for name, v in (("a", a_val), ("b", b_val), ("eps", eps_val)):
        check_positive(v, name)
    expo = sp.Integer(0) if r == math.inf else 2 / sp.nsimplify(r)
    val = sp.nsimplify(a_val) ** 2 * sp.nsimplify(b_val) ** 2 * sp.Integer(m_val) ** expo / sp.nsimplify(eps_val) ** 2
    return int(sp.ceiling(val))


def mixed_norm(A, q: float, s: float) -> float:
    """||A||_{q,s}: the q-norm of each column, then the s-norm of those (Bartlett et al.'s convention)."""
    import numpy as np

    cols = np.linalg.norm(np.asarray(A, dtype=float), ord=q, axis=0)
    return float(np.linalg.norm(cols, ord=s))


def maurey_net(X, *, m: int, a: float, eps: float, p: float = 2.0, r: float = math.inf, max_points: int = 200_000):
    """The net of Maurey's empirical method for {XA: ||A||_{q,s} <= a}, as an array of shape (count, n, m).

    The atoms are +-V_ij = +-X e_i e_j^T / ||X e_i||_p (columns with X e_i = 0 are skipped); the net is every
    average (M/k) sum of k atoms (multisets), M = a ||X||_p m^(1/r), k = :func:`maurey_k`. Its size is at most
    C(2dm + k - 1, k) <= (2dm)^k.
    """
    import numpy as np

    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise InputError("X", X.shape, "must be a matrix")
    n_rows, d_cols = X.shape
    if p > 2 or p < 1:
        raise InputError("p", p, "Lemma 3.2 needs 1 <= p <= 2")
    bX = float(np.sum(np.abs(X) ** p) ** (1 / p))
    M = a * bX * (m ** (1 / r) if r != math.inf else 1.0)
    k = maurey_k(a, bX, eps, m, r)
    atoms = []
    for i in range(d_cols):
        col = X[:, i]
        nrm = float(np.sum(np.abs(col) ** p) ** (1 / p))
        if nrm == 0:
            continue
        for jj in range(m):
            V = np.zeros((n_rows, m))
            V[:, jj] = col / nrm
            atoms += [V, -V]
    count = math.comb(len(atoms) + k - 1, k)
    if count > max_points:
        raise InputError("eps", eps, f"the Maurey net would have {count} points (> max_points={max_points})")
    atoms = np.array(atoms)
    net = np.array([atoms[list(c)].sum(axis=0) for c in itertools.combinations_with_replacement(range(len(atoms)), k)])
    return net * (M / k), k
