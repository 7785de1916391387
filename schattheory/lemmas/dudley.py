r"""Dudley's entropy integral as an operation on Bounds: from a bound on ln N(eps) to a Rademacher bound.

Statement used (Bartlett, Foster, Telgarsky 2017, Lemma A.5, as recalled in SOURCES.md [C1.9] [R]; the covering
is in the *unnormalised* l2 norm on R^n and the class takes values in [0, 1] and contains 0):

.. math::

    \mathfrak R(\mathcal F|_S) \le \inf_{\alpha>0}\Big(\frac{4\alpha}{\sqrt n}
        + \frac{12}{n}\int_\alpha^{\sqrt n}\sqrt{\ln\mathcal N(\mathcal F|_S,\varepsilon,\|\cdot\|_2)}
        \,d\varepsilon\Big).

The *normalised* form (empirical L2 norm ``||.||_2/sqrt(n)``, class of diameter D, D = 1 for [0,1]-valued classes)
is the same statement after eps -> sqrt(n) eps:
:math:`\inf_\alpha 4\alpha + \frac{12}{\sqrt n}\int_\alpha^{D}\sqrt{\ln\mathcal N}\,d\varepsilon`.

Closed forms (registered; checked against mpmath quadrature in the tests):

- :math:`\ln\mathcal N\le R^2/\varepsilon^2`: :math:`\alpha^\star = 3R/\sqrt n`, bound
  :math:`\frac{12R}{n}\big(1+\ln\frac{n}{3R}\big)` (valid when 3R <= n);
- :math:`\ln\mathcal N\le c\,\varepsilon^{-q}`, 0 < q < 2: :math:`\alpha^\star=(9c/n)^{1/q}`, bound
  :math:`\big(12\sqrt c\,n^{-(2+q)/4} - 2q\,\alpha^\star n^{-1/2}\big)/(1-q/2)`; and the alpha -> 0 form
  :math:`12\sqrt c\,n^{-(2+q)/4}/(1-q/2)`.

>>> import sympy as sp
>>> from schattheory.foundation.symbols import R, eps, N
>>> expr, form = dudley_expr(R**2 / eps**2, eps, n=N, normalised=False)
>>> form
'optimal alpha = 3*R/sqrt(N)'
>>> sp.simplify(expr - 12*R/N*(1 + sp.log(N/(3*R))))
0

Reference: Bartlett et al. (2017), Lemma A.5 (recalled); Dudley (1967).
"""

from __future__ import annotations

import sympy as sp

from schattheory.core.bound import Bound, Limit
from schattheory.core.derivation import Start, derive, derived_bound
from schattheory.core.registry import register
from schattheory.foundation.errors import InputError
from schattheory.foundation.provenance import Provenance, cite
from schattheory.foundation.symbols import N, R, alpha, c, eps, q
from schattheory.lemmas.dudley_integral import (
    dudley_expr,
    dudley_functional,
    numeric_optimum,
    optimal_alpha,
    quadrature,
)
from schattheory.lemmas.steps import DudleyStep

__all__ = [
    "ENTROPY_INTEGRAL",
    "dudley_functional",
    "dudley_expr",
    "dudley",
    "optimal_alpha",
    "quadrature",
    "numeric_optimum",
    "KEYS",
]

n = N
_LNN = sp.Function("lnN")
_PROV = Provenance(
    "classical",
    (cite("bartlett2017", "Lemma A.5 (recalled, SOURCES.md [C1.9])"), cite("dudley1967")),
    note="statement recalled [R], consistent with Graf et al.'s code; unnormalised l2 cover",
)

#: the general statement (not registered: its integrand is an arbitrary function, so it cannot be evaluated)
ENTROPY_INTEGRAL = Bound(
    "dudley.entropy_integral",
    kind="lemma",
    lhs=r"\mathfrak{R}(\mathcal{F}|_S)",
    expr=4 * alpha / sp.sqrt(n) + sp.Rational(12) / n * sp.Integral(sp.sqrt(_LNN(eps)), (eps, alpha, sp.sqrt(n))),
    params=(alpha, n),
    provenance=_PROV,
    assumptions=(sp.Le(alpha, sp.sqrt(n)),),
    title="Dudley entropy integral, unnormalised l2 cover on R^n, [0,1]-valued class containing 0; "
    "lnN(eps) = ln N(F|_S, eps, ||.||_2); holds for every alpha in (0, sqrt(n)]",
)


def dudley(
    bound: Bound,
    eps_sym=eps,
    *,
    n=n,
    normalised: bool = False,
    diameter=sp.S.One,
    alpha="optimal",
    key: str | None = None,
) -> Bound:
    """Dudley's entropy integral applied to a Bound on ln N(eps): a derived Bound on the Rademacher complexity.

    The result carries a replayable derivation (:mod:`schattheory.core.derivation`) starting from ``bound``.

    >>> from schattheory.core.registry import get
    >>> from schattheory.foundation.symbols import R, N
    >>> rad = dudley(get("dudley.example.inverse_square"))
    >>> rad.key, rad.status.value
    ('dudley.example.inverse_square.dudley', 'derived')
    """
    if not isinstance(bound, Bound):
        raise InputError("bound", type(bound).__name__, "must be a Bound on ln N(eps)")
    if eps_sym not in bound.expr.free_symbols:
        raise InputError("eps", eps_sym, f"does not occur in {bound.key}")
    steps = [Start(bound=bound), DudleyStep(eps_sym, n, normalised=normalised, diameter=diameter, alpha=alpha)]
    der = derive(key or f"{bound.key}.dudley", steps, example=bound.example_values)
    params = [s_ for s_ in bound.params if s_ != eps_sym and s_ in der.expr.free_symbols]
    params += sorted(der.expr.free_symbols - set(params), key=str)
    example = {k: v for k, v in bound.example_values.items() if k != eps_sym}
    example.setdefault(n, 10**4)
    return derived_bound(
        der,
        lhs=r"\mathfrak{R}(\mathcal{F}|_S)",
        params=params,
        example=example,
        title=f"Dudley entropy integral applied to {bound.key}",
        citations=(cite("bartlett2017", "Lemma A.5"),),
    )


# ---- registered closed forms ---------------------------------------------------------------------------------
KEYS = (
    "dudley.inverse_square",
    "dudley.inverse_square.optimal",
    "dudley.power_law",
    "dudley.power_law.optimal",
    "dudley.power_law.alpha0",
)
_LHS = r"\mathfrak{R}(\mathcal{F}|_S)"
_EXN = {R: 2, n: 1000}
_DER = Provenance(
    "derived",
    (cite("bartlett2017", "Lemma A.5 (recalled): the integral whose closed form this is"), cite("dudley1967")),
    note="closed form of the recalled Lemma A.5 integral, derived here (not in the cited sources)",
    proof="proofs/dudley",
)

register(
    Bound(
        "dudley.inverse_square",
        kind="lemma",
        lhs=_LHS,
        expr=4 * alpha / sp.sqrt(n) + 12 * R / n * sp.log(sp.sqrt(n) / alpha),
        params=(R, n, alpha),
        assumptions=(sp.Le(alpha, sp.sqrt(n)),),
        provenance=_DER,
        example={R: 2, n: 1000, alpha: sp.Rational(1, 10)},
        title="Dudley with ln N(eps) <= R^2/eps^2 (unnormalised l2), any alpha in (0, sqrt(n)]",
    )
)
register(
    Bound(
        "dudley.inverse_square.optimal",
        kind="lemma",
        lhs=_LHS,
        expr=12 * R / n * (1 + sp.log(n / (3 * R))),
        params=(R, n),
        assumptions=(sp.Le(3 * R, n),),
        provenance=_DER,
        example=_EXN,
        title="Dudley with ln N <= R^2/eps^2 at the optimal alpha* = 3R/sqrt(n): 12R/n (1 + ln(n/(3R)))",
        limits=(Limit(R, 0, 0, "the bound (tends to 0 with R)"),),
    )
)
_PL_ANY = 4 * alpha / sp.sqrt(n) + 12 * sp.sqrt(c) * (n ** ((2 - q) / 4) - alpha ** (1 - q / 2)) / (n * (1 - q / 2))
register(
    Bound(
        "dudley.power_law",
        kind="lemma",
        lhs=_LHS,
        expr=_PL_ANY,
        params=(c, q, n, alpha),
        assumptions=(sp.Le(q, 2), sp.Le(alpha, sp.sqrt(n))),
        provenance=_DER,
        example={c: 5, q: 1, n: 1000, alpha: sp.Rational(1, 10)},
        title="Dudley with ln N(eps) <= c eps^(-q), 0 < q <= 2 (unnormalised l2), any alpha in (0, sqrt(n)]; at q = 2 "
        "the removable singularity is the limit 4 alpha/sqrt(n) + 12 sqrt(c)/n ln(sqrt(n)/alpha)",
        limits=(
            Limit(
                q,
                2,
                4 * alpha / sp.sqrt(n) + 12 * sp.sqrt(c) / n * sp.log(sp.sqrt(n) / alpha),
                "the bound from below (the inverse-square form with c equal to R squared)",
                direction="-",
            ),
        ),
    )
)
_ASTAR = (9 * c / n) ** (1 / q)
register(
    Bound(
        "dudley.power_law.optimal",
        kind="lemma",
        lhs=_LHS,
        expr=(12 * sp.sqrt(c) * n ** (-(2 + q) / 4) - 2 * q * _ASTAR / sp.sqrt(n)) / (1 - q / 2),
        params=(c, q, n),
        assumptions=(sp.Lt(q, 2), sp.Le(_ASTAR, sp.sqrt(n))),
        provenance=_DER,
        example={c: 5, q: 1, n: 1000},
        title="Dudley with ln N <= c eps^(-q), 0 < q < 2, at the optimal alpha* = (9c/n)^(1/q)",
    )
)
register(
    Bound(
        "dudley.power_law.alpha0",
        kind="lemma",
        lhs=_LHS,
        expr=12 * sp.sqrt(c) * n ** (-(2 + q) / 4) / (1 - q / 2),
        params=(c, q, n),
        assumptions=(sp.Lt(q, 2),),
        provenance=_DER,
        example={c: 5, q: 1, n: 1000},
        title="Dudley with ln N <= c eps^(-q), 0 < q < 2, alpha -> 0 (the integral converges at 0)",
        limits=(Limit(q, 0, 12 * sp.sqrt(c) / sp.sqrt(n), "the bound (tends to the parametric 12 sqrt(c/n))"),),
    )
)
# a worked example for the operation (the BFT-type entropy bound ln N <= R^2/eps^2)
register(
    Bound(
        "dudley.example.inverse_square",
        kind="lemma",
        lhs=r"\ln\mathcal{N}(\mathcal{F}|_S,\varepsilon)",
        expr=R**2 / eps**2,
        params=(R, eps),
        provenance=Provenance(
            "classical",
            (cite("bartlett2017", "Thm 3.3 form: ln N <= R^2/eps^2"),),
            note="the shape of the whole-network cover of Bartlett et al. Theorem 3.3, used as Dudley's input",
        ),
        example={R: 2, eps: sp.Rational(1, 2)},
        title="example input of Dudley: ln N(eps) <= R^2/eps^2",
    )
)
