r"""Parameter-counting bounds: the dominant form of the comparison figure and Graf et al. (2022), Theorem 3.5.

**Dominant form** (S2's rendering of Long and Sedghi 2020 and of the parameter count):

.. math:: \sqrt{\frac{L \sum_{l=1}^L w_l w_{l-1}}{N}},

widths w_0..w_L (for a convolution, U_l d_{l-1} = kernel parameters). By hand: widths (16, 16), N = 10^4, L = 1:
sqrt(256 / 10^4) = 0.16.

**Graf et al. 2022, Theorem 3.5** ("ours_params"; code ``rkwitt/excess_capacity``):

.. math:: \hat{\mathfrak R}_S(\mathcal F_\gamma) \le \frac{12}{\sqrt N}\sqrt{\sum_l 2 W_l \ln(1 + \lceil L^2
          \tilde C_l^2\rceil) + \psi(\lceil L\tilde C_l\rceil)},\quad
          \tilde C_l = \frac4\gamma \frac{\|X\|_F}{\sqrt N}\Big(\prod_i s_i\Big)\frac{\|A_l^\top\|_{2,1}}{s_l},

W_l = U_l d_{l-1} parameters of layer l, psi(x) = 2x(pi/2 - arctan x) = 2x arctan(1/x) < 2.7 (the second form is
used: no cancellation for large x). The explicit gap bound composes it with the margin lemma (Bartlett et al. 2017,
Lemma 3.1): gap <= 2 R + 3 sqrt(ln(1/delta) / (2N)).

>>> DOMINANT.expand(1)
sqrt(w_0)*sqrt(w_1)/sqrt(N)

Reference: Graf, Zeng, Rieck, Niethammer, Kwitt (2022), Theorem 3.5; Long and Sedghi (2020); S2 (eqs. C15, C16).
"""
from __future__ import annotations

import sympy as sp

from ..provenance import Provenance, cite
from . import family as fam
from ._register import DEPTH, register_form, sample_constant_limit
from .family import Aggregate, NetworkForm

Sp = sp.Symbol("S_params", positive=True)
Sg = sp.Symbol("S_graf", positive=True)
DOMINANT = NetworkForm("counting.dominant", "counting", "dominant", (Aggregate(Sp, fam.U * fam.d),),
                       sp.sqrt(fam.L * Sp / fam.N), needs=("n",))

_Ct = 4 / fam.gamma * fam.XF / sp.sqrt(fam.N) * fam.P * fam.b / fam.s
_x = sp.ceiling(fam.L * _Ct)
_graf_term = 2 * fam.U * fam.d * sp.log(1 + sp.ceiling(fam.L ** 2 * _Ct ** 2)) + 2 * _x * sp.atan(1 / _x)
RADEMACHER = NetworkForm("counting.graf2022.rademacher", "counting", "explicit", (Aggregate(Sg, _graf_term),),
                         12 / sp.sqrt(fam.N) * sp.sqrt(Sg), needs=("n", "data_frobenius", "margin"))
EXPLICIT = NetworkForm("counting.graf2022.explicit", "counting", "explicit", (Aggregate(Sg, _graf_term),),
                       24 / sp.sqrt(fam.N) * sp.sqrt(Sg) + 3 * sp.sqrt(sp.log(1 / fam.delta) / (2 * fam.N)),
                       needs=("n", "data_frobenius", "margin"))
FORMS = {"dominant": DOMINANT, "explicit": EXPLICIT}

# declared N -> oo limits (closed forms written out here): N bound^2 -> L sum w_l w_{l-1}; for Graf et al., with
# ||X||_F fixed, C_l -> 0, every ceiling -> 1 and psi(1) = pi/2, leaving 144 (2 ln 2 sum W_l + L pi/2)
_W = [fam.layer_symbol("U", l) for l in range(DEPTH + 1)]
PARAMS_SUM = sp.Add(*[_W[l - 1] * _W[l] for l in range(1, DEPTH + 1)])
_GRAF_INF = 2 * sp.log(2) * PARAMS_SUM + DEPTH * sp.pi / 2

register_form(DOMINANT, Provenance(
    "transcribed", (cite("long_sedghi2020", "dominant term"), cite("ledent2025", "App. C eq. (C15), via S2")),
    note="S2's dominant form sqrt(L sum_l w_l w_{l-1} / N) of the parameter-counting bounds."),
    "parameter counting sqrt(L sum w_l w_{l-1} / N)", limits=sample_constant_limit(DEPTH * PARAMS_SUM))
register_form(RADEMACHER, Provenance("classical", (cite("graf2022", "Thm 3.5 (code: ours_params)"),)),
              "Rademacher bound 12/sqrt(N) sqrt(sum 2 W_l ln(1 + ceil(L^2 C_l^2)) + psi(ceil(L C_l)))",
              lhs=r"\hat{\mathfrak{R}}_S(\mathcal{F}_\gamma)",
              limits=sample_constant_limit(144 * _GRAF_INF, "N x bound^2 with ||X||_F fixed: the pure parameter "
                                                              "count 144 (2 ln 2 sum W_l + L pi/2)"))
register_form(EXPLICIT, Provenance(
    "derived", (cite("graf2022", "Thm 3.5"), cite("bartlett2017", "Lemma 3.1 (margin bound)")),
    derived_from=("counting.graf2022.rademacher",),
    note="gap <= 2 R + 3 sqrt(ln(1/delta)/(2N)) with R the Rademacher bound of Theorem 3.5.",
    proof="the Rademacher bound of Graf et al. Theorem 3.5 inserted in the margin bound of Bartlett et al. Lemma 3.1"),
    "explicit parameter-counting margin bound 2 R_Graf + 3 sqrt(ln(1/delta)/(2N))",
    assumptions=(sp.Lt(fam.delta, 1),),
    limits=sample_constant_limit((24 * sp.sqrt(_GRAF_INF) + 3 * sp.sqrt(sp.log(1 / fam.delta) / 2)) ** 2,
                                 "N x bound^2 with ||X||_F fixed (every ceiling -> 1)"))
