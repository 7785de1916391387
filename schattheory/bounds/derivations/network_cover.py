r"""Bartlett, Foster and Telgarsky's Theorem 3.3 re-derived by the engine from Lemma 3.2 (Maurey) at depth 3.

Steps: Maurey's cover of layer i at scale eps_i on an input of norm <= P_i (``maurey.bft_instance``, with
ln(2 d_{i-1} d_i) <= ln(2W^2)); ceil(x) <= x + 1; sum over layers (the product of per-layer nets, errors adding
through the layer induction); P_i = ||X||_F prod_{j<i} rho_j s_j; eps_i = alpha_i eps / (rho_i prod_{j>i} rho_j s_j)
so that the unrolled error is eps sum_i alpha_i = eps; then the allocation of the alphas (Hoelder).

The result is the published right-hand side **plus** ``L ln(2W^2)`` (here 3 ln(2W^2)): the ceilings of Lemma 3.2
leave one ln(2W^2) per layer, which the statement of Theorem 3.3 does not show (it is dominated for eps small).

>>> from schattheory.core.registry import get
>>> get("derived.bartlett2017.network_cover.L3").status.value
'derived'
"""

from __future__ import annotations

import sympy as sp

from schattheory.core.derivation import (
    AllocateScales,
    Relax,
    Substitute,
    SumOverLayers,
    UseLemma,
    derive,
    derived_bound,
)
from schattheory.core.registry import register
from schattheory.foundation.provenance import cite
from schattheory.foundation.symbols import XF, W, a, b, d, eps, m
from schattheory.lemmas.maurey import KEYS as _MAUREY_KEYS  # noqa: F401  (registers the lemma first)
from schattheory.lemmas.network_cover import bft_theorem33, layer_symbols

__all__ = ["derive_bft_theorem33", "P", "KEY"]

KEY = "derived.bartlett2017.network_cover.L3"
P = sp.Symbol("P", positive=True)  # a bound on the norm of the input of the current layer


def derive_bft_theorem33(L: int = 3):
    """The derivation of Theorem 3.3 at depth L from Maurey's lemma (returns a :class:`Derivation`)."""
    s_, b_, r_, e_, al_ = layer_symbols(L)
    P_ = [sp.Symbol(f"P_{i}", positive=True) for i in range(1, L + 1)]
    inputs = {P_[i]: XF * sp.Mul(*[r_[jj] * s_[jj] for jj in range(i)]) for i in range(L)}
    scales = {e_[i]: al_[i] * eps / (r_[i] * sp.Mul(*[r_[jj] * s_[jj] for jj in range(i + 1, L)])) for i in range(L)}
    example = {
        b: 5,
        P: 10,
        eps: sp.Rational(1, 2),
        d: 50,
        m: 60,
        W: 100,
        XF: 10,
        **{x: 2 for x in s_},
        **{x: 3 for x in b_},
        **{x: 1 for x in r_},
        **{x: sp.Rational(1, L) for x in al_},
    }
    steps = [
        UseLemma(
            "maurey.bft_instance",
            subs={a: b, b: P},
            note="layer i: a = b_i bounds ||A_i^T - M_i^T||_{2,1}, b = P_i bounds the input norm ||X_i||_F",
        ),
        Relax(old=sp.log(2 * d * m), new=sp.log(2 * W**2), because="every dimension is at most W"),
        Relax(old=sp.ceiling(b**2 * P**2 / eps**2), new=b**2 * P**2 / eps**2 + 1, because="ceil(x) <= x + 1"),
        SumOverLayers(
            per_layer=(b, P, eps),
            count=L,
            key="network_cover.layer_step",
            because="the product of the per-layer nets covers the network; errors add through the layer induction",
        ),
        Substitute(mapping=inputs, note="||X_i||_F <= ||X||_F prod_{j<i} rho_j s_j (induction, sigma_j(0) = 0)"),
        Substitute(
            mapping=scales,
            note="eps_i = alpha_i eps / (rho_i prod_{j>i} rho_j s_j): by "
            "network_cover.unrolled the output error is eps sum_i alpha_i = eps",
        ),
        AllocateScales(weights=al_, power=2, note="alpha_i proportional to (b_i/s_i)^(2/3)"),
    ]
    return derive(
        KEY if L == 3 else f"derived.bartlett2017.network_cover.L{L}",
        steps,
        example=example,
        assumptions=(sp.Le(d, W), sp.Le(m, W)),
    )  # W bounds every layer dimension


def published_gap(L: int = 3) -> sp.Expr:
    """Derived minus published right-hand side: L ln(2W^2) (the ceilings), as an exact expression."""
    return sp.simplify(derive_bft_theorem33(L).expr - bft_theorem33(L))


_DER = derive_bft_theorem33(3)
_s3, _b3, _r3, _, _ = layer_symbols(3)
register(
    derived_bound(
        _DER,
        key=KEY,
        lhs=r"\ln\mathcal{N}(\mathcal{H}_X,\varepsilon,\|\cdot\|_2)",
        params=(XF, W, eps) + _s3 + _b3 + _r3,
        example={XF: 10, W: 100, eps: 1, **{x: 2 for x in _s3}, **{x: 5 for x in _b3}, **{x: 1 for x in _r3}},
        title="BFT Theorem 3.3 at depth 3 re-derived from Lemma 3.2: the published bound + 3 ln(2W^2) (ceilings)",
        citations=(cite("bartlett2017", "Theorem 3.3 (re-derived)"),),
        kind="lemma",
    )
)
