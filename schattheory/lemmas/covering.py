r"""Covering numbers of norm balls, quasi-norm balls, low-rank sets and Schatten-p balls (log N bounds).

Registered statements (``N(T, rho, eps)`` is the least size of an eps-net of T in the metric rho; ``ln`` natural):

- ``covering.volumetric``: any norm ball in R^d, :math:`\ln N(B(R),\|\cdot\|,\varepsilon)\le d\ln(1+2R/\varepsilon)`;
  the bound holds for the packing number too (a maximal packing is a net), so greedy packings test it.
- ``covering.quasi_norm_ball``: a p-normed space (:math:`\|x+y\|^p\le\|x\|^p+\|y\|^p`, 0 < p <= 1; e.g. l_p or
  S_p): :math:`\ln N\le\frac dp\ln(1+2(R/\varepsilon)^p)`. This is what the volume argument with the
  p-triangle inequality proves (proofs/quasi_norm_ball); it is larger than the tempting
  :math:`d\ln(1+2^{1/p}R/\varepsilon)`, which this argument does **not** give.
- ``covering.low_rank`` (Candès and Plan 2011, Lemma 3.1, ball version): rank <= r, ||X||_F <= R in
  R^{m x d}: :math:`\ln N\le(m+d+1)r\ln(9R/\varepsilon)` for eps <= R; ``covering.low_rank.all_eps``:
  :math:`(m+d+1)r\ln(1+6R/\varepsilon)` for every eps > 0.
- the truncation step uses ``schatten.stechkin_tail_sharp`` (foundation): best rank-j approximation error
  :math:`\|A-A_j\|_{S_q}\le c_{p,q}\,j^{1/q-1/p}\|A\|_{S_p}` (Foucart and Rauhut, Thm 2.5, sharp constant).
- ``covering.schatten_ball.frobenius`` (derived, SOURCES.md [C6.4]) and ``covering.schatten_ball.spectral``
  (derived): truncation plus the low-rank cover.
- ``covering.hpv.middle``, ``covering.hpv.large``: Hinrichs, Prochno and Vybíral's entropy-number rates,
  RATE ONLY (two-sided, constants depending on p, q unspecified).

>>> from schattheory.core.registry import get
>>> from schattheory.foundation.symbols import d, R, eps
>>> float(get("covering.volumetric").evaluate({d: 2, R: 1, eps: 1}))   # 2 ln 3
2.1972245773362196
"""

from __future__ import annotations

import sympy as sp

from schattheory.core.bound import Bound, Limit
from schattheory.core.derivation import Choose, UseLemma, derive
from schattheory.core.registry import register
from schattheory.foundation.provenance import Provenance, cite
from schattheory.foundation.quantities import LogCoveringNumber, LowRankBall, Metric, NormBall, SchattenBall
from schattheory.foundation.symbols import R, d, eps, m, p, q, r

__all__ = ["stechkin_constant", "frobenius_truncation_rank", "spectral_truncation_rank", "KEYS"]

_HALF = sp.Rational(1, 2)


def stechkin_constant(pp=p, qq=q) -> sp.Expr:
    """c_{p,q} = [(p/q)^(p/q) (1 - p/q)^(1 - p/q)]^(1/p) <= 1, the sharp constant for 0 < p < q < oo.

    The one definition is ``schattheory.lemmas.schatten_facts.STECHKIN_C`` (``schatten.stechkin_tail_sharp``).

    >>> stechkin_constant(1, 2)
    1/2
    """
    from schattheory.lemmas.schatten_facts import STECHKIN_C

    return STECHKIN_C.subs({p: sp.sympify(pp), q: sp.sympify(qq)}, simultaneous=True)


def frobenius_truncation_rank(pp=p, RR=R, ee=eps) -> sp.Expr:
    """r = ceil((2 c_{p,2} R / eps)^(2p/(2-p))): then ||A - A_r||_F <= eps/2 on B_{S_p}(R), 0 < p < 2."""
    pp = sp.sympify(pp)
    return sp.ceiling((2 * stechkin_constant(pp, 2) * RR / ee) ** (2 * pp / (2 - pp)))


def spectral_truncation_rank(pp=p, RR=R, ee=eps) -> sp.Expr:
    """r = ceil((2R/eps)^p) - 1: then sigma_{r+1} <= R (r+1)^(-1/p) <= eps/2 on B_{S_p}(R)."""
    return sp.ceiling((2 * RR / ee) ** sp.sympify(pp)) - 1


_VER = cite(
    "vershynin2018",
    "Prop. 4.2.12 and Cor. 4.2.13 (volume argument; stated there for the Euclidean "
    "ball, the argument is the same for any norm)",
)
KEYS = (
    "covering.volumetric",
    "covering.quasi_norm_ball",
    "covering.low_rank",
    "covering.low_rank.all_eps",
    "covering.schatten_ball.frobenius",
    "covering.schatten_ball.spectral",
    "covering.hpv.middle",
    "covering.hpv.large",
)

# ---- volumetric ----------------------------------------------------------------------------------------------
register(
    Bound(
        "covering.volumetric",
        kind="lemma",
        lhs=LogCoveringNumber(NormBall(R, d), Metric("own"), eps),
        expr=d * sp.log(1 + 2 * R / eps),
        params=(d, R, eps),
        provenance=Provenance("classical", (_VER,), note="locator recalled; proof in proofs/volumetric"),
        example={d: 3, R: 1, eps: sp.Rational(1, 4)},
        title="volumetric cover of a radius-R ball of any norm on R^d (also bounds the eps-packing number)",
        limits=(Limit(eps, sp.oo, 0, "the log-covering bound (a single point suffices)"),),
    )
)
register(
    Bound(
        "covering.quasi_norm_ball",
        kind="lemma",
        lhs=LogCoveringNumber(NormBall(R, d, p), Metric("own"), eps),
        expr=d / p * sp.log(1 + 2 * (R / eps) ** p),
        params=(d, p, R, eps),
        assumptions=(sp.Le(p, 1),),
        provenance=Provenance(
            "derived",
            (_VER, cite("mccarthy1967", "p-triangle inequality of S_p, p <= 1")),
            note="volume argument with the p-triangle inequality, proved in proofs/quasi_norm_ball",
            derived_from=("covering.volumetric",),
            proof="proofs/quasi_norm_ball",
        ),
        example={d: 2, p: _HALF, R: 1, eps: sp.Rational(1, 4)},
        title="volumetric cover of a radius-R ball of a p-norm (||x+y||^p <= ||x||^p + ||y||^p, 0 < p <= 1) on R^d; "
        "also bounds the eps-packing number",
        notes="the smaller d ln(1 + 2^(1/p) R/eps) is NOT proved by this argument (the p-triangle inequality only "
        "places x + (eps/2^(1/p)) B inside (R^p + eps^p/2)^(1/p) B); at p = 1 the bound is covering.volumetric",
    )
)

# ---- low rank (Candès and Plan) --------------------------------------------------------------------------------
_LOW_RANK_LHS = LogCoveringNumber(LowRankBall(r, R, m, d), Metric("F"), eps)
_CP = Provenance(
    "derived",
    (cite("candes_plan2011", "Lemma 3.1 (the argument; stated there for the unit Frobenius sphere)"),),
    note="derived here: the radius-R ball version (and the all-eps form) of Candes and Plan's argument, "
    "not their statement; proof in proofs/low_rank_cover",
    proof="proofs/low_rank_cover",
)
register(
    Bound(
        "covering.low_rank",
        kind="lemma",
        lhs=_LOW_RANK_LHS,
        expr=(m + d + 1) * r * sp.log(9 * R / eps),
        params=(m, d, r, R, eps),
        assumptions=(sp.Le(eps, R),),
        provenance=_CP,
        example={m: 3, d: 2, r: 1, R: 1, eps: sp.Rational(1, 2)},
        title="Candès-Plan low-rank cover: rank <= r, ||X||_F <= R in R^{m x d}, eps <= R (r a positive integer)",
        limits=(Limit(r, 0, 0, "the log-covering bound (rank 0: the single point 0)"),),
    )
)
register(
    Bound(
        "covering.low_rank.all_eps",
        kind="lemma",
        lhs=_LOW_RANK_LHS,
        expr=(m + d + 1) * r * sp.log(1 + 6 * R / eps),
        params=(m, d, r, R, eps),
        provenance=_CP,
        example={m: 3, d: 2, r: 1, R: 1, eps: sp.Rational(1, 2)},
        title="Candès-Plan low-rank cover, form valid for every eps > 0 (nets at eps/3 of each factor)",
        limits=(Limit(eps, sp.oo, 0, "the log-covering bound"),),
    )
)

_FR = cite("foucart_rauhut2013", "Thm 2.5 (sharp constant, vectors); Prop. 2.3 (constant 1)")

# ---- Schatten-p balls: truncation + low rank (derived) ---------------------------------------------------------
_EXS = {m: 3, d: 2, p: _HALF, R: 1, eps: sp.Rational(1, 2)}
_FROB = derive(
    "covering.schatten_ball.frobenius",
    [
        UseLemma(
            "covering.low_rank",
            subs={eps: eps / 2},
            note="A -> A_r moves every point of B_{S_p}(R) by <= eps/2 (r below) and A_r lies in the rank-r "
            "Frobenius ball of radius R, as ||A_r||_F <= ||A||_F <= ||A||_{S_p} for p <= 2; an eps/2-net of "
            "that ball is an (external) eps-net of B_{S_p}(R)",
        ),
        Choose(
            r,
            frobenius_truncation_rank(p, R, eps),
            key="schatten.stechkin_tail_sharp",
            condition=sp.Le(stechkin_constant(p, 2) * r ** (_HALF - 1 / p) * R, eps / 2),
            note="the smallest r with c_{p,2} r^(1/2 - 1/p) R <= eps/2",
        ),
    ],
    example=_EXS,
    assumptions=(sp.Lt(p, 2),),
)
register(
    Bound(
        "covering.schatten_ball.frobenius",
        kind="lemma",
        lhs=LogCoveringNumber(SchattenBall(p, R, m, d), Metric("F"), eps),
        expr=_FROB.expr,
        params=(m, d, p, R, eps),
        assumptions=(sp.Lt(p, 2), sp.Le(eps, R)),
        provenance=Provenance(
            "derived",
            (cite("candes_plan2011", "Lemma 3.1"), _FR),
            note="SOURCES.md [C6.4] [D]; not the target paper's lemma",
            derived_from=_FROB.uses(),
        ),
        example=_EXS,
        derivation=_FROB,
        title="Schatten-p ball (m x d, 0 < p < 2) covered in Frobenius norm: truncate at "
        "r = ceil((2 c_{p,2} R/eps)^(2p/(2-p))), then the Candès-Plan cover at eps/2",
        notes="r may exceed min(m, d); the bound stays valid (the rank-r set is then the whole ball) but is loose",
    )
)
_SPEC = derive(
    "covering.schatten_ball.spectral",
    [
        UseLemma(
            "covering.low_rank",
            subs={eps: eps / 2},
            note="A -> A_r moves every point by sigma_{r+1}(A) <= eps/2 in spectral norm (r below); A_r lies in "
            "the rank-r Frobenius ball of radius R (p <= 2) and a Frobenius net is a spectral net",
        ),
        Choose(
            r,
            spectral_truncation_rank(p, R, eps),
            key="schatten.stechkin_sigma",
            condition=sp.Le(R * (r + 1) ** (-1 / p), eps / 2),
            note="the smallest r with R (r+1)^(-1/p) <= eps/2",
        ),
    ],
    example=_EXS,
    assumptions=(sp.Le(p, 2),),
)
register(
    Bound(
        "covering.schatten_ball.spectral",
        kind="lemma",
        lhs=LogCoveringNumber(SchattenBall(p, R, m, d), Metric("sigma"), eps),
        expr=_SPEC.expr,
        params=(m, d, p, R, eps),
        assumptions=(sp.Le(p, 2), sp.Le(eps, R)),
        provenance=Provenance(
            "derived",
            (cite("candes_plan2011", "Lemma 3.1"), cite("foucart_rauhut2013", "Prop. 2.3")),
            note="SOURCES.md [P4.5], 'alternative cruder Schatten-ball cover' (reconstructed there as "
            "a rate; the constants here are proved)",
            derived_from=_SPEC.uses(),
        ),
        example=_EXS,
        derivation=_SPEC,
        title="Schatten-p ball (m x d, 0 < p <= 2) covered in spectral norm: truncate at r = ceil((2R/eps)^p) - 1, "
        "then the Candès-Plan cover at eps/2",
    )
)

# ---- Hinrichs, Prochno, Vybíral: rates only --------------------------------------------------------------------
_HPV = Provenance(
    "classical",
    (cite("hinrichs2017", "main theorem (entropy numbers of id: S_p^N -> S_q^N)"),),
    note="RATE ONLY: two-sided asymptotics with constants depending on p, q that the source does not "
    "specify; rates recalled [R], abstract checked [V-abs]; translation e_k <= eps <=> "
    "log2 N(B_{S_p}, eps B_{S_q}) <= k - 1. Use for exponent sanity checks, never as a bound.",
)
register(
    Bound(
        "covering.hpv.middle",
        kind="lemma",
        relation="==",
        mode="dominant",
        lhs=r"\text{rate (constants } C_{p,q}\text{ unspecified) of }\ln\mathcal{N}(B_{S_p^m},\varepsilon B_{S_q^m})",
        expr=m * eps ** (-p * q / (q - p)),
        params=(m, p, q, eps),
        assumptions=(sp.Lt(p, q), sp.Le(eps, 1), sp.Ge(eps, m ** (1 / q - 1 / p))),
        provenance=_HPV,
        example={m: 100, p: _HALF, q: 2, eps: _HALF},
        title="HPV middle regime (m <= k <= m^2): ln N(B_{S_p^m}, eps B_{S_q^m}) ~ m eps^(-pq/(q-p)); RATE ONLY, "
        "no constants",
        limits=(Limit(q, sp.oo, m * eps ** (-p), "the rate (exponent p at q = oo)"),),
    )
)
register(
    Bound(
        "covering.hpv.large",
        kind="lemma",
        relation="==",
        mode="dominant",
        lhs=r"\text{rate (constants } C_{p,q}\text{ unspecified) of }\ln\mathcal{N}(B_{S_p^m},\varepsilon B_{S_q^m})",
        expr=m**2 * sp.log(m ** (1 / q - 1 / p) / eps),
        params=(m, p, q, eps),
        assumptions=(sp.Lt(p, q), sp.Lt(eps, m ** (1 / q - 1 / p))),
        provenance=_HPV,
        example={m: 100, p: _HALF, q: 2, eps: sp.Rational(1, 10**6)},
        title="HPV large-k regime (k >= m^2): ln N ~ m^2 ln(m^(1/q-1/p)/eps) (volumetric); RATE ONLY, no constants",
    )
)
