r"""The per-layer mixed cover: a low-rank part by Candès-Plan plus a Frobenius tail by Maurey. STATUS: DERIVED.

Proved in ``proofs/mixed_cover`` from three registered lemmas (``covering.low_rank.all_eps``, ``maurey.general``
with r = s = 2, ``schatten.stechkin_tail_sharp`` at q = 2); it is *not* the target paper's lemma (the paper's text
was not available).

**Setting.** A layer A in R^{m x d} (m outputs, d inputs) with :math:`\|A\|_{S_p}\le R`, 0 < p <= 2, acting on
inputs Z in R^{d x n} with :math:`\|Z\|_F\le b`; the class :math:`\{AZ\}` in the Frobenius norm of R^{m x n}. Only
R b / eps enters, so the same bound holds in the empirical L2 metric
:math:`d_X(A,A')=(\frac1n\sum_i\|(A-A')x_i\|^2)^{1/2}` over inputs with :math:`\|x_i\|\le b` (then
:math:`\|Z\|_F\le\sqrt n\,b` and the scale is sqrt(n) eps): that is the registered left side
(``LogCoveringNumber(SchattenBall(p, R, m, d), EmpiricalL2(b), eps)``), which the falsifier attacks with x_i = e_i.

**Split form** (``covering.mixed_layer.split``), for every integer j >= 1 and eps > 0:

.. math::

    \ln\mathcal N \le (m+d+1)\,j\,\ln\Big(1+\frac{12Rb}{\varepsilon}\Big)
      + \Big\lceil \frac{4m\,c_{p,2}^2\,j^{1-2/p}R^2b^2}{\varepsilon^2}\Big\rceil \ln(2dm),

with the sharp Stechkin constant :math:`c_{p,2}\le1` (:math:`c_{2,2}=1`). Why: truncating A at rank j leaves
:math:`A_j` in the rank-j Frobenius ball of radius R (as p <= 2) and a tail E with
:math:`\|E\|_F\le c_{p,2}j^{1/2-1/p}R`; :math:`\|(A_j-\hat A)Z\|_F\le\|A_j-\hat A\|_F\|Z\|_\sigma` with
:math:`\|Z\|_\sigma\le b`, so a Candès-Plan net at eps/(2b) covers the first part, and Maurey's lemma with the
**Frobenius** constraint (BFT Lemma 3.2, (q, s) = (2, 2), r = 2, so m^(2/r) = m) covers {EZ} at eps/2. A
spectral-norm bound on the tail is not enough for Maurey: the Frobenius (or (2,1)) norm is what it needs, and it
costs the factor m (the number of output rows).

**Balanced form** (``covering.mixed_layer``), 0 < p < 2: with :math:`\pi = 2p/(2-p)` the tail decays like
:math:`j^{-2/\pi}`, and ``balancing.integer_ceil`` (j = ceil(r*)) at exponent pi gives

.. math::

    \ln\mathcal N \le \Lambda\Big[c^\ast_p\,a^{1-p/2}\Big(\frac{2c_{p,2}Rb}{\varepsilon}\Big)^{p} m^{p/2} + a\Big]
      + \ln(2dm),\qquad a = m+d+1,\quad \Lambda = \ln\Big(1+\frac{12Rb}{\varepsilon}+2dm\Big),

:math:`c^\ast_p = c_\pi = \frac{2}{2-p}\big(\frac{2-p}{p}\big)^{p/2}` (ceil(x) <= x + 1 and both logarithms <= Lambda
first). The covering exponent is p (< 2, so Dudley's integral converges at 0): the per-layer complexity is
:math:`a^{1-p/2}(Rb)^p m^{p/2}` up to c*_p, 2^p c_{p,2}^p and logs, a geometric mean of the parametric count a
(weight 1 - p/2) and the Frobenius-Maurey count (R b)^2 m (weight p/2).

**The refuted first release** (kept in tests/data as refuted): ``a j + Omega X^2 (rho/(j+1))^(2/p) / eps^2`` charged
the tail its *spectral* norm with a small multiplicity Omega; one w x w layer with inputs e_i and the unit
Frobenius ball (p = 2) has ln N >= w^2 ln 2 at eps = 1/(2 sqrt w), which it understated for w >= 6 (Omega = 1).

>>> from schattheory.core.registry import get
>>> get("covering.mixed_layer").status.value
'derived'
>>> from schattheory.foundation.symbols import m, d, j, p, R, b, eps
>>> v = get("covering.mixed_layer.split").evaluate({m: 6, d: 6, j: 1, p: 2, R: 1, b: 6 ** 0.5, eps: 0.5})
>>> float(v) > 36 * 0.6931           # the volume lower bound w^2 ln 2 at w = 6
True
"""

from __future__ import annotations

import sympy as sp

from schattheory.core.bound import Bound, Limit
from schattheory.core.registry import register
from schattheory.foundation.provenance import Provenance, cite
from schattheory.foundation.quantities import EmpiricalL2, LogCoveringNumber, SchattenBall
from schattheory.foundation.symbols import R, b, d, eps, j, m, p, q
from schattheory.lemmas.schatten_facts import STECHKIN_C

__all__ = ["split_form", "balanced_form", "c_star", "tail_frobenius_factor", "KEYS", "EXAMPLE"]

KEYS = ("covering.mixed_layer.split", "covering.mixed_layer")
_HALF = sp.Rational(1, 2)
EXAMPLE = {m: 20, d: 30, p: _HALF, R: 3, b: 10, eps: sp.Rational(3, 7)}  # ceiling argument not an integer


def stechkin_constant(pp=p, qq=2) -> sp.Expr:
    """c_{p,q} (schatten_facts.STECHKIN_C; covering.stechkin_constant is the same, but importing covering here
    would run its derivations, which load the whole registry, mid-import)."""
    return STECHKIN_C.subs({p: sp.sympify(pp), q: sp.sympify(qq)}, simultaneous=True)


def tail_frobenius_factor(pp=p, jj=j) -> sp.Expr:
    """c_{p,2} j^(1/2 - 1/p): ||A - A_j||_F <= this times ||A||_{S_p} (Stechkin, sharp constant; 0 < p <= 2)."""
    pp = sp.sympify(pp)
    return stechkin_constant(pp, 2) * sp.sympify(jj) ** (_HALF - 1 / pp)


def c_star(pp=p) -> sp.Expr:
    """c*_p = (2/(2-p)) ((2-p)/p)^(p/2): the balancing constant c_pi at pi = 2p/(2-p), 0 < p < 2."""
    pp = sp.sympify(pp)
    return 2 / (2 - pp) * ((2 - pp) / pp) ** (pp / 2)


def split_form(mm=m, dd=d, jj=j, pp=p, RR=R, bb=b, ee=eps) -> sp.Expr:
    """(m+d+1) j ln(1 + 12Rb/eps) + ceil(4 m (c_{p,2} j^(1/2-1/p) R b)^2 / eps^2) ln(2dm)."""
    tail = tail_frobenius_factor(pp, jj) * RR * bb
    return (mm + dd + 1) * jj * sp.log(1 + 12 * RR * bb / ee) + sp.ceiling(4 * mm * tail**2 / ee**2) * sp.log(
        2 * dd * mm
    )


def balanced_form(mm=m, dd=d, pp=p, RR=R, bb=b, ee=eps) -> sp.Expr:
    """Lambda [c*_p a^(1-p/2) (2 c_{p,2} R b/eps)^p m^(p/2) + a] + ln(2dm), a = m + d + 1 (0 < p < 2)."""
    pp = sp.sympify(pp)
    aa = mm + dd + 1
    lam = sp.log(1 + 12 * RR * bb / ee + 2 * dd * mm)
    main = c_star(pp) * aa ** (1 - pp / 2) * (2 * stechkin_constant(pp, 2) * RR * bb / ee) ** pp * mm ** (pp / 2)
    return lam * (main + aa) + sp.log(2 * dd * mm)


_CITES = (
    cite("candes_plan2011", "Lemma 3.1 (rank-j part; all-eps form)"),
    cite("bartlett2017", "Lemma 3.2 (Maurey; (q, s) = (2, 2), r = 2)"),
    cite("foucart_rauhut2013", "Thm 2.5 (Stechkin, sharp constant, q = 2)"),
)
_NOTE = (
    "derived here (proofs/mixed_cover): Candès-Plan on the rank-j truncation plus Maurey on the tail's "
    "Frobenius norm; not the target paper's lemma. Replaces the first release's reconstructed form "
    "a j + Omega X^2 (rho/(j+1))^(2/p)/eps^2, which charged the tail its spectral norm and is false "
    "(kept only as refuted test data)"
)
#: the set, metric and scale, structured (schattheory.foundation.quantities): the S_p ball in the empirical L2 metric
# over
#: inputs of norm <= b. Only R b / eps enters, so the same bound holds for ||(A - A')Z||_F with ||Z||_F <= b.
_LHS = LogCoveringNumber(SchattenBall(p, R, m, d), EmpiricalL2(b), eps)
_ASSUME = (sp.Le(p, 2),)  # m, d >= 1 and p > 0 are the symbols' own assumptions

register(
    Bound(
        "covering.mixed_layer.split",
        kind="lemma",
        lhs=_LHS,
        expr=split_form(),
        params=(m, d, j, p, R, b, eps),
        assumptions=_ASSUME + (sp.Ge(j, 1),),
        provenance=Provenance(
            "derived",
            _CITES,
            note=_NOTE,
            derived_from=("covering.low_rank.all_eps", "maurey.general", "schatten.stechkin_tail_sharp"),
            proof="proofs/mixed_cover",
        ),
        example={**EXAMPLE, j: 3},
        title="per-layer mixed cover at truncation rank j >= 1 (0 < p <= 2): Candès-Plan on the rank-j part at eps/2 "
        "plus Maurey on the tail's Frobenius norm c_{p,2} j^(1/2-1/p) R at eps/2",
        notes=_NOTE + ". At p = 2 the tail factor is 1 for every j (no decay): the cover is then Maurey's on the "
        "Frobenius ball plus a useless rank part.",
    )
)
register(
    Bound(
        "covering.mixed_layer",
        kind="lemma",
        lhs=_LHS,
        expr=balanced_form(),
        params=(m, d, p, R, b, eps),
        assumptions=(sp.Lt(p, 2),),
        provenance=Provenance(
            "derived",
            _CITES,
            note=_NOTE + "; balanced over the integer rank by balancing.integer_ceil at exponent 2p/(2-p)",
            derived_from=("covering.mixed_layer.split", "balancing.integer_ceil"),
            proof="proofs/mixed_cover",
        ),
        example=EXAMPLE,
        title="per-layer mixed cover balanced over the rank (0 < p < 2): Lambda [c*_p a^(1-p/2) (2 c_{p,2} R b/eps)^p "
        "m^(p/2) + a] + ln(2dm), a = m + d + 1, Lambda = ln(1 + 12Rb/eps + 2dm)",
        notes=_NOTE,
        limits=(
            Limit(
                p,
                0,
                sp.log(1 + 12 * R * b / eps + 2 * d * m) * 2 * (m + d + 1) + sp.log(2 * d * m),
                "the log-covering bound (c*_p -> 1, the rate term -> a: the parametric count 2a per Lambda)",
            ),
        ),
    )
)
