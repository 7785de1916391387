r"""The whole-network cover of Bartlett, Foster and Telgarsky (2017, Theorem 3.3) and its layer-induction step.

Layer induction (V-primary): if layer i's input is covered to within Delta_i and the layer matrix is replaced by a
cover element at scale eps_i (measured on that input), then, for rho_i-Lipschitz activations and ||A_i||_sigma <= s_i,

.. math::  \Delta_{i+1} \le \rho_i s_i \Delta_i + \rho_i \varepsilon_i,
   \qquad\text{so}\qquad \Delta_L \le \sum_{i=1}^L \rho_i\varepsilon_i\prod_{j>i}\rho_j s_j \quad(\Delta_0 = 0).

Theorem 3.3 (V-primary): with ||A_i||_sigma <= s_i, ||A_i^T - M_i^T||_{2,1} <= b_i, every dimension <= W,

.. math::

    \ln\mathcal N(\mathcal H_X,\varepsilon,\|\cdot\|_2) \le \frac{\|X\|_2^2\ln(2W^2)}{\varepsilon^2}
    \Big(\prod_{j=1}^L s_j^2\rho_j^2\Big)\Big(\sum_{i=1}^L (b_i/s_i)^{2/3}\Big)^3.

Registered at depth L = 3 (``network_cover.bft_thm33.L3``); :func:`bft_theorem33` gives any depth. The engine
re-derives it from Maurey's lemma in :mod:`schattheory.bounds.derivations.network_cover` (the ceilings of Lemma 3.2
leave an extra ``L ln(2W^2)`` there, which the published statement does not show).

>>> from schattheory.core.registry import get
>>> bnd = get("network_cover.bft_thm33.L3")
>>> sorted(map(str, bnd.params))[:3]
['W', 'X_F', 'b_1']
"""

from __future__ import annotations

import sympy as sp

from schattheory.core.bound import Bound, Limit
from schattheory.core.registry import register
from schattheory.foundation.errors import InputError
from schattheory.foundation.provenance import Provenance, cite
from schattheory.foundation.symbols import XF, W, eps, layer

__all__ = ["layer_symbols", "bft_theorem33", "unrolled_error", "layer_step", "Delta", "Delta_next", "eps_i", "KEYS"]

KEYS = ("network_cover.layer_step", "network_cover.unrolled.L3", "network_cover.bft_thm33.L3")

Delta = sp.Symbol("Delta_i", nonnegative=True)  # ||X_i - hat X_i||_2, the error entering layer i
Delta_next = sp.Symbol("Delta_i+1", nonnegative=True)  # the error leaving layer i
eps_i = sp.Symbol("epsilon_i", positive=True)  # the cover scale of layer i
_rho, _s = sp.Symbol("rho_i", positive=True), sp.Symbol("s_i", positive=True)


def layer_symbols(L: int):
    """(s, b, rho, eps, alpha): per-layer symbols s_i, b_i, rho_i, epsilon_i, alpha_i for i = 1..L."""
    if not isinstance(L, int) or L < 1:
        raise InputError("L", L, "must be a positive integer depth")
    return tuple(tuple(layer(name, i) for i in range(1, L + 1)) for name in ("s", "b", "rho", "epsilon", "alpha"))


def layer_step():
    """The induction step Delta_{i+1} <= rho_i s_i Delta_i + rho_i eps_i, as (lhs, rhs)."""
    return Delta_next, _rho * _s * Delta + _rho * eps_i


def unrolled_error(L: int) -> sp.Expr:
    """sum_i rho_i eps_i prod_{j>i} rho_j s_j: the output error after L layers, starting from Delta_0 = 0."""
    s, _, rho, e, _ = layer_symbols(L)
    return sp.Add(*[rho[i] * e[i] * sp.Mul(*[rho[jj] * s[jj] for jj in range(i + 1, L)]) for i in range(L)])


def bft_theorem33(L: int) -> sp.Expr:
    """The right-hand side of Theorem 3.3 at depth L (per-layer symbols s_i, b_i, rho_i)."""
    s, bb, rho, _, _ = layer_symbols(L)
    prod = sp.Mul(*[s[i] ** 2 * rho[i] ** 2 for i in range(L)])
    total = sp.Add(*[(bb[i] / s[i]) ** sp.Rational(2, 3) for i in range(L)])
    return XF**2 * sp.log(2 * W**2) / eps**2 * prod * total**3


_BFT = Provenance(
    "classical",
    (cite("bartlett2017", "Theorem 3.3 and its proof (layer induction)"),),
    note="V-primary (SOURCES.md [C1.6])",
)
register(
    Bound(
        "network_cover.layer_step",
        kind="lemma",
        lhs=r"\Delta_{i+1}",
        expr=layer_step()[1],
        params=(_rho, _s, Delta, eps_i),
        provenance=_BFT,
        example={_rho: 1, _s: 2, Delta: sp.Rational(1, 10), eps_i: sp.Rational(1, 20)},
        title="layer induction: ||X_{i+1} - hat X_{i+1}|| <= rho_i ||A_i||_sigma ||X_i - hat X_i|| + rho_i eps_i",
    )
)
_s3, _b3, _r3, _e3, _ = layer_symbols(3)
register(
    Bound(
        "network_cover.unrolled.L3",
        kind="lemma",
        lhs=r"\Delta_3",
        expr=unrolled_error(3),
        params=_r3 + _s3 + _e3,
        provenance=_BFT,
        example={**{x: 1 for x in _r3}, **{x: 2 for x in _s3}, **{x: sp.Rational(1, 10) for x in _e3}},
        title="the induction unrolled at depth 3 (Delta_0 = 0): Delta_3 <= sum_i rho_i eps_i prod_{j>i} rho_j s_j",
    )
)
register(
    Bound(
        "network_cover.bft_thm33.L3",
        kind="lemma",
        lhs=r"\ln\mathcal{N}(\mathcal{H}_X,\varepsilon,\|\cdot\|_2)",
        expr=bft_theorem33(3),
        params=(XF, W, eps) + _s3 + _b3 + _r3,
        provenance=_BFT,
        example={XF: 10, W: 100, eps: 1, **{x: 2 for x in _s3}, **{x: 5 for x in _b3}, **{x: 1 for x in _r3}},
        title="whole-network cover, BFT Theorem 3.3, at depth L = 3 (bft_theorem33(L) for other depths)",
        limits=(Limit(eps, sp.oo, 0, "the log-covering bound"),),
    )
)
