r"""The main bound's covering step, derived by the engine from the per-layer mixed cover.

Chain (every step recorded, replayable; proofs/main_bound writes out the rest of the proof):

1. ``covering.mixed_layer`` (derived, proofs/mixed_cover): a layer with ||A||_{S_p} <= R on inputs of Frobenius
   norm <= b is covered at eps with ln N <= Lambda [c*_p a^(1-p/2) (2 c_{p,2} R b/eps)^p m^(p/2) + a] + ln(2dm);
2. the rescaled network (ReLU is positively homogeneous: margin 1, every spectral norm t^(1/L), product t rounded
   up to t_hat <= 1 + 2P/gamma on the grid {1, 2, 4, ...}; rank proxy rounded up to rho_hat <= 2 rho): layer l's
   contribution to the loss class at loss scale eps is the lemma with R b / eps = K rho_hat^(1/p) / eps,
   K = 4 L (B + 2X) (margin operator 2-Lipschitz, proper covers at twice the external scale, eps/L per layer);
3. eps >= 1/N (Dudley from alpha = 1/N) bounds the logarithm Lambda;
4. the product of the per-layer nets covers the loss class (layer induction, ``network_cover.layer_step``).

The Dudley integral, Cauchy-Schwarz, the margin lemma and the union bound over the grids follow in
proofs/main_bound; the result is the registered certified bound ``ledent2025.fc.explicit``.

The first release derived the transcribed summand C_l(p) of Theorem 3.6 from a reconstructed cover that charged
the tail its spectral norm; that cover is false (tests/data/refuted_mixed_cover.py) and the "sum route" built on
it is withdrawn. The correct cover gives a different per-layer rate (:func:`compare_with_transcribed`).

>>> from schattheory.core.registry import get
>>> get("derived.ledent2025.per_layer").status.value
'derived'
"""

from __future__ import annotations

import sympy as sp

from schattheory.core.derivation import Relax, SumOverLayers, UseLemma, derive, derived_bound
from schattheory.core.registry import register
from schattheory.foundation.errors import InputError
from schattheory.foundation.provenance import cite
from schattheory.foundation.symbols import B, L, N, R, U, X, b, d, eps, layer, m, p, rho

__all__ = [
    "transcribed_per_layer",
    "derived_rate",
    "per_layer_derivation",
    "derive_per_layer",
    "derive_main_bound",
    "compare_with_transcribed",
    "PER_LAYER_SYMBOLS",
    "K_AMP",
    "EXAMPLE",
]

PER_LAYER_SYMBOLS = (U, d, rho, p)
K_AMP = 4 * L * (B + 2 * X)
_RHO_HAT = 2 * rho
_SUBS = {m: U, R: _RHO_HAT ** (1 / p), b: K_AMP}
EXAMPLE = {U: 20, d: 30, rho: 4, p: sp.Rational(1, 2), B: 10, X: 3, L: 3, N: 10**4, eps: sp.Rational(1, 2)}
_CIT = (cite("bartlett2017", "Thm 3.3 proof (layer induction), Lemma 3.1 (margin)"),)


_A, _OMEGA = sp.Symbol("a", positive=True), sp.Symbol("Omega", positive=True)


def transcribed_per_layer(pp=p, aa=_A, rr=rho, om=_OMEGA, xx=X) -> sp.Expr:
    """C_l(p) = X^(2p/(p+2)) rho^(2/(p+2)) a^(2/(p+2)) Omega^(p/(p+2)), transcribed (SOURCES.md [P4.1], [P4.3]):
    the registered summand ``ledent2025.SUMMAND`` (its one home) at the given arguments."""
    from schattheory.bounds.ledent2025 import SUMMAND
    from schattheory.foundation import symbols as S

    return SUMMAND.xreplace(
        {S.p: sp.sympify(pp), S.a: sp.sympify(aa), S.rho: sp.sympify(rr), S.Omega: sp.sympify(om), S.X: sp.sympify(xx)}
    )


def derived_rate(pp=p, aa=_A, rr=rho, uu=U, xx=X) -> sp.Expr:
    """X^p rho a^(1-p/2) U^(p/2): the rate of the eps^(-p) coefficient of the correct per-layer cover."""
    return xx**pp * rr * aa ** (1 - pp / 2) * uu ** (pp / 2)


def _lambda(upper):
    return sp.log(1 + 12 * K_AMP * _RHO_HAT ** (1 / p) * upper + 2 * d * U)


def _steps():
    return [
        UseLemma(
            "covering.mixed_layer",
            subs=_SUBS,
            note="rescaled network: R b/eps = K rho_hat^(1/p)/eps with K = 4L(B + 2X) (margin operator 2, "
            "proper covers 2, scales eps/L) and rho_hat = 2 rho (rank-proxy grid); m = U_l outputs",
        ),
        Relax(old=_lambda(1 / eps), new=_lambda(N), because="eps >= 1/N (Dudley's integral starts at 1/N)"),
    ]


def per_layer_derivation():
    """mixed cover -> rescaled network -> eps >= 1/N: layer l's term of ln N(loss class, eps)."""
    return derive(
        "derived.ledent2025.per_layer",
        _steps(),
        example=EXAMPLE,
        assumptions=(sp.Lt(p, 2), sp.Ge(rho, 1), sp.Ge(eps * N, 1)),
    )  # the range the steps hold on


def derive_per_layer():
    """Layer l's term of the loss class's log-covering number (``derived.ledent2025.per_layer``)."""
    der = per_layer_derivation()
    return derived_bound(
        der,
        lhs=r"\ln\mathcal{N}_\ell(\varepsilon)\ (\varepsilon\ge 1/N)",
        params=(U, d, rho, p, B, X, L, N, eps),
        example=EXAMPLE,
        mode="explicit",
        kind="lemma",
        assumptions=(sp.Lt(p, 2), sp.Ge(rho, 1), sp.Ge(eps * N, 1)),
        title="layer l's term of the log-covering number of the rescaled network's loss class at "
        "scale eps >= 1/N (mixed cover with R b/eps = 4L(B + 2X)(2 rho)^(1/p)/eps)",
        citations=_CIT,
    )


def derive_main_bound(L_count=None, *, route: str = "cover", collapse: bool = True):
    """ln N(loss class, eps) <= sum over layers of the per-layer term, with its derivation.

    ``L_count``: None for a symbolic depth (a SymPy ``Sum`` over per-layer functions) or an int. ``route="sum"``
    (the first release's reconstruction of Theorem 3.6's summand) is withdrawn: it rested on a false cover.
    ``collapse`` is accepted for compatibility and has no effect.
    """
    if route != "cover":
        raise InputError("route", route, "only 'cover' remains: the 'sum' route rested on the refuted mixed cover")
    if L_count is not None and (not isinstance(L_count, int) or L_count < 1):
        raise InputError("L_count", L_count, "must be None (symbolic depth) or a positive int")
    count = L if L_count is None else L_count
    steps = _steps() + [
        SumOverLayers(
            per_layer=PER_LAYER_SYMBOLS,
            count=count,
            key="network_cover.layer_step",
            because="the product of the per-layer nets covers the loss class; the "
            "scales eps/L add up to eps through the layer induction",
        )
    ]
    key = "derived.ledent2025.network_cover" + (f".L{L_count}" if L_count is not None else "")
    example = dict(EXAMPLE)  # the generic per-layer symbols stay: the steps before the sum use them
    if L_count is not None:
        for i in range(1, L_count + 1):
            example.update(
                {
                    layer("U", i, positive=True, integer=True): 20 + i,
                    layer("d", i, positive=True, integer=True): 30 + i,
                    layer("rho", i, positive=True): 4,
                    layer("p", i, positive=True): sp.Rational(1, 2),
                }
            )
        example[L] = L_count
    # the per-layer steps hold for p < 2, rho >= 1 and eps >= 1/N (their relaxation uses it): the range of use
    der = derive(key, steps, example=example, assumptions=(sp.Lt(p, 2), sp.Ge(rho, 1), sp.Ge(eps * N, 1)))
    params = tuple(sorted(der.expr.free_symbols, key=str))
    shown = {k_: v for k_, v in example.items() if k_ in params} if L_count is not None else {}
    return derived_bound(
        der,
        lhs=r"\ln\mathcal{N}(\mathcal{F}_\gamma|_S,\varepsilon)\ (\varepsilon\ge 1/N)",
        params=params,
        example=shown,
        mode="explicit",
        # the symbolic-depth form is what documents show as the main theorem's covering step
        kind="lemma" if L_count is not None else "bound",
        citations=_CIT,
        assumptions=tuple(sp.Lt(x, 2) for x in params if x.name.startswith("p_")) + (sp.Ge(eps * N, 1),),
        title="log-covering number of the margin loss class of a dense ReLU network (rescaled to "
        "margin 1): the sum of the per-layer mixed covers at eps >= 1/N",
    )


def compare_with_transcribed() -> dict:
    """The correct cover's per-layer rate against the transcribed summand C_l(p) of Theorem 3.6."""
    from schattheory.lemmas.mixed_cover import c_star

    derived = derived_rate(p, _A, rho, U, X)
    transcribed = transcribed_per_layer(p, _A, rho, _OMEGA, X)
    ratio = sp.simplify(derived / transcribed)
    return {
        "derived": derived,
        "transcribed": transcribed,
        "ratio": ratio,
        "ratio_is_c_p": False,
        "matches": "the p -> 0+ limit only: both tend to the parametric count rho a (rank times U + d (+1))",
        "extra": (
            "the correct cover's eps-exponent is p (not 2p/(p+2)); its norm part is the Frobenius-Maurey "
            "count X^2 rho^(2/p) U (weight p/2), not X^2 Omega (weight p/(p+2)); constants c*_p, "
            "(2 c_{p,2})^p, 2 and the logarithm Lambda"
        ),
        "c_star": c_star(p),
    }


register(derive_per_layer())
register(derive_main_bound(3))
