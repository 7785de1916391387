r"""The balancing lemma: optimising a parametric count against a norm-based tail over the truncation rank.

.. math::

    \min_{r>0}\; a r + b r^{-2/p} = c_p\, a^{2/(p+2)} b^{p/(p+2)},\qquad
    r^\star = \Big(\frac{2b}{p a}\Big)^{p/(p+2)},\qquad c_p = \Big(1+\frac p2\Big)\Big(\frac 2p\Big)^{p/(p+2)}.

Integer versions (proved in ``proofs/balancing``):

- with the Stechkin index shift, :math:`\min_{j\in\mathbb Z_{\ge0}} a j + b (j+1)^{-2/p} \le c_p a^{2/(p+2)}
  b^{p/(p+2)}` (take :math:`j=\lfloor r^\star\rfloor`: then :math:`j\le r^\star<j+1`);
- without it, :math:`\min_{j\ge1} a j + b j^{-2/p} \le c_p a^{2/(p+2)} b^{p/(p+2)} + a`
  (take :math:`j=\lceil r^\star\rceil\le r^\star+1`).

:math:`c_p\to1` as :math:`p\to0^+`, :math:`c_2=2`, :math:`c_p\to1` as :math:`p\to\infty`.

>>> import sympy as sp
>>> from schattheory.foundation.symbols import a, b, p
>>> value, rstar = balance(a, b, 2)
>>> value, rstar
(2*sqrt(a)*sqrt(b), sqrt(b)/sqrt(a))
>>> float(integer_minimum(1, 100, 1)[0]) <= float(balance(1, 100, 1)[0])
True

Reference: the exact optimum is SOURCES.md [P4.5] step 4 (reconstructed there, checked here); the calculus is
elementary (first-order condition of a strictly convex function).
"""

from __future__ import annotations

import sympy as sp

from schattheory.core.bound import Bound, Limit
from schattheory.core.registry import register
from schattheory.foundation.errors import check_p, check_positive
from schattheory.foundation.provenance import Provenance, cite
from schattheory.foundation.symbols import a, b, p, r

__all__ = ["c_p", "r_star", "balance", "integer_minimum", "integer_bound", "KEYS"]

_HALF = sp.Rational(1, 2)


def c_p(pp=p) -> sp.Expr:
    """The balancing constant c_p = (1 + p/2)(2/p)^(p/(p+2)).

    >>> c_p(2)
    2
    """
    pp = sp.sympify(pp)
    return (1 + pp / 2) * (2 / pp) ** (pp / (pp + 2))


def r_star(aa=a, bb=b, pp=p) -> sp.Expr:
    """The minimiser r* = (2b/(p a))^(p/(p+2)) of a r + b r^(-2/p) over r > 0."""
    aa, bb, pp = map(sp.sympify, (aa, bb, pp))
    return (2 * bb / (pp * aa)) ** (pp / (pp + 2))


def balance(aa=a, bb=b, pp=p):
    """(min value, minimiser) of a r + b r^(-2/p) over r > 0, exactly: (c_p a^(2/(p+2)) b^(p/(p+2)), r*)."""
    aa, bb, pp = map(sp.sympify, (aa, bb, pp))
    return c_p(pp) * aa ** (2 / (pp + 2)) * bb ** (pp / (pp + 2)), r_star(aa, bb, pp)


def _check_abp(aa, bb, pp):
    return check_positive(aa, "a"), check_positive(bb, "b"), check_p(pp, allow_inf=False)


def integer_minimum(aa, bb, pp, *, shifted: bool = True, dps: int = 50):
    """The minimum over integers of a j + b (j+1)^(-2/p) (``shifted``, j >= 0) or a j + b j^(-2/p) (j >= 1).

    Returns (value, argmin) in mpmath at ``dps`` digits. The objective is strictly convex in j, and its real
    minimiser is r* - 1 (shifted) or r* (unshifted), so the integer minimum is at one of the two neighbours.
    """
    import mpmath

    from schattheory.numerics.backends import to_mpf

    _check_abp(aa, bb, pp)
    with mpmath.workdps(dps):
        A, Bv, P = (to_mpf(x, n) for x, n in ((aa, "a"), (bb, "b"), (pp, "p")))

        def f(jj):
            return A * jj + Bv * ((jj + 1) if shifted else jj) ** (-2 / P)

        lo = 0 if shifted else 1
        real_min = (2 * Bv / (P * A)) ** (P / (P + 2)) - (1 if shifted else 0)
        cands = {max(lo, int(mpmath.floor(real_min))), max(lo, int(mpmath.ceil(real_min)))}
        best_j = min(cands, key=f)
        return +f(best_j), best_j


def integer_bound(aa, bb, pp, *, shifted: bool = True):
    """The proven upper bound for the integer problem: c_p a^(2/(p+2)) b^(p/(p+2)) (shifted) or that + a."""
    val, _ = balance(aa, bb, pp)
    return val if shifted else val + sp.sympify(aa)


_PROV = Provenance(
    "derived",
    (
        cite("schattheory", "proofs/balancing (first-order condition)"),
        cite("ledent2025", "exponents 2/(p+2), p/(p+2) of the per-layer term"),
    ),
    note="derived here by elementary calculus (not a cited result); the connection to the paper's "
    "exponents is reconstructed",
    proof="proofs/balancing",
)
_EX = {a: 3, b: 5, p: _HALF}
_CP = c_p(p)
_VAL, _RSTAR = balance(a, b, p)

KEYS = (
    "balancing.constant",
    "balancing.minimiser",
    "balancing.continuous",
    "balancing.integer",
    "balancing.integer_ceil",
)

register(
    Bound(
        "balancing.constant",
        kind="definition",
        relation="==",
        lhs="c_p",
        expr=_CP,
        params=(p,),
        provenance=_PROV,
        example={p: _HALF},
        title="the balancing constant c_p = (1 + p/2)(2/p)^(p/(p+2)); c_2 = 2",
        limits=(Limit(p, 0, 1, "c_p (tends to 1)"), Limit(p, sp.oo, 1, "c_p (tends to 1)")),
    )
)
register(
    Bound(
        "balancing.minimiser",
        kind="definition",
        relation="==",
        lhs=r"r^\star",
        expr=_RSTAR,
        params=(a, b, p),
        provenance=_PROV,
        example=_EX,
        title="the minimiser r* = (2b/(p a))^(p/(p+2)) of a r + b r^(-2/p) over r > 0",
        limits=(Limit(p, 0, 1, "r* (tends to 1)"),),
    )
)
register(
    Bound(
        "balancing.continuous",
        kind="lemma",
        relation="==",
        lhs=r"\min_{r>0}\left(a r + b r^{-2/p}\right)",
        expr=_VAL,
        params=(a, b, p),
        provenance=_PROV,
        example=_EX,
        title="min over real r > 0 of a r + b r^(-2/p) = c_p a^(2/(p+2)) b^(p/(p+2))",
        limits=(
            Limit(p, 0, a, "the minimum (tends to the parametric count a)"),
            Limit(p, sp.oo, b, "the minimum (tends to the norm-based term b)"),
        ),
    )
)
register(
    Bound(
        "balancing.integer",
        kind="lemma",
        lhs=r"\min_{j\in\mathbb{Z}_{\ge 0}}\left(a j + b (j+1)^{-2/p}\right)",
        expr=_VAL,
        params=(a, b, p),
        provenance=_PROV,
        example=_EX,
        title="integer rank with the Stechkin shift: min_j a j + b (j+1)^(-2/p) <= c_p a^(2/(p+2)) b^(p/(p+2)), "
        "attained below at j = floor(r*)",
        limits=(Limit(p, 0, a, "the bound (tends to a)"), Limit(p, sp.oo, b, "the bound (tends to b)")),
    )
)
register(
    Bound(
        "balancing.integer_ceil",
        kind="lemma",
        lhs=r"\min_{j\in\mathbb{Z}_{\ge 1}}\left(a j + b j^{-2/p}\right)",
        expr=_VAL + a,
        params=(a, b, p),
        provenance=_PROV,
        example=_EX,
        title="integer rank without the shift: min_{j>=1} a j + b j^(-2/p) <= c_p a^(2/(p+2)) b^(p/(p+2)) + a "
        "(j = ceil(r*))",
    )
)


def objective(rr=r, aa=a, bb=b, pp=p, *, shifted: bool = False) -> sp.Expr:
    """a r + b r^(-2/p) (or a j + b (j+1)^(-2/p) when ``shifted``)."""
    rr = sp.sympify(rr)
    return aa * rr + bb * ((rr + 1) if shifted else rr) ** (-2 / sp.sympify(pp))
