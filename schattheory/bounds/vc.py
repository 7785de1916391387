r"""VC dimension of piecewise-linear networks (Bartlett, Harvey, Liaw, Mehrabian 2019) and the textbook conversion.

**VC dimension** (JMLR Theorem 7, recalled [R]; activation with p = 2 linear pieces (ReLU), effective depth
bounded by the depth L):

.. math:: \mathrm{VCdim} \le L + L\,P \log_2\!\big(4 e p\, U \log_2(2 e p\, U)\big),

P = sum_l U_l d_{l-1} weights and U = sum_l U_l W_l units (biases not counted).

**Dominant form**: sqrt(L P / N), the VCdim = O(P L log P) of the abstract [V-abs] with the log dropped.

**Explicit form** (Mohri et al. 2018, Cor. 3.19, [R]): for N >= D,
gap <= sqrt(2 D ln(e N / D) / N) + sqrt(ln(1/delta) / (2N)); for N < D the growth function is at most 2^N and
sqrt(2 D / N) >= sqrt(2 ln 2) bounds the same term, so ln(e max(N, D) / D) is used. Bounds the 0-1 error directly
(no margin).

>>> DOMINANT.expand(1)
sqrt(w_0)*sqrt(w_1)/sqrt(N)

Reference: Bartlett, Harvey, Liaw, Mehrabian (2019), abstract and Theorem 7; Mohri, Rostamizadeh, Talwalkar (2018),
Corollary 3.19.
"""
from __future__ import annotations

import sympy as sp

from .. import symbols as S
from ..bound import Bound
from ..provenance import Provenance, cite
from ..registry import register
from . import family as fam
from ._register import DEPTH, register_form, sample_constant_limit
from .family import Aggregate, NetworkForm

Pw = sp.Symbol("P_weights", positive=True)
Uu = sp.Symbol("U_units", positive=True)
PIECES = 2
VCDIM = fam.L + fam.L * Pw * sp.log(4 * sp.E * PIECES * Uu * sp.log(2 * sp.E * PIECES * Uu, 2), 2)
_AGG = (Aggregate(Pw, fam.U * fam.d), Aggregate(Uu, fam.U * fam.Omega))
_D = sp.Symbol("D_vc", positive=True)

DOMINANT = NetworkForm("vc.bhlm2019.dominant", "vc", "dominant", _AGG[:1], sp.sqrt(fam.L * Pw / fam.N),
                       needs=("n",))
_explicit_outer = (sp.sqrt(2 * _D * sp.log(sp.E * sp.Max(fam.N, _D) / _D) / fam.N)
                   + sp.sqrt(sp.log(1 / fam.delta) / (2 * fam.N))).subs(_D, VCDIM)
EXPLICIT = NetworkForm("vc.bhlm2019.explicit", "vc", "explicit", _AGG, _explicit_outer, needs=("n",))
VCDIM_FORM = NetworkForm("vc.bhlm2019.vcdim", "vc", "explicit", _AGG, VCDIM, conventions={fam.Omega: 1})
FORMS = {"dominant": DOMINANT, "explicit": EXPLICIT}

_THM7 = cite("bartlett2019vc", "Thm 7 (JMLR 2019; Thm 6 in the earlier arXiv version)")
#: the formula is recalled from memory: the JMLR version's first-page footnote places the refined upper bound at
#: Theorem 7, but the statement itself was not checked against the source
_RECALLED = ("RECALLED from memory, not checked against the source: the formula of the refined upper bound "
             "(Theorem 7 of the JMLR version) is as remembered")
register_form(VCDIM_FORM, Provenance("classical", (_THM7,), note=_RECALLED),
              "VCdim <= L + L P log2(4 e p U log2(2 e p U)), p = 2",
              lhs=r"\mathrm{VCdim}", kind="lemma", limits=())
_W = [fam.layer_symbol("U", l) for l in range(DEPTH + 1)]
register_form(DOMINANT, Provenance("classical", (cite("bartlett2019vc", "abstract: VCdim = O(P L log P)"),)),
              "VC sample-complexity term sqrt(L P / N)",
              limits=sample_constant_limit(DEPTH * sp.Add(*[_W[l - 1] * _W[l] for l in range(1, DEPTH + 1)])))
register_form(EXPLICIT, Provenance("derived", (_THM7, cite("mohri2018", "Cor. 3.19")),
                                   derived_from=("vc.bhlm2019.vcdim",),
                                   note="Theorem 7's VCdim bound inserted in the textbook VC generalization bound. "
                                        + _RECALLED,
                                   proof="the VCdim bound of Theorem 7 inserted in Mohri et al. Cor. 3.19"),
              "sqrt(2 D ln(e max(N, D)/D)/N) + sqrt(ln(1/delta)/(2N)) with D the VCdim bound",
              lhs=r"\Pr[\text{error}] - \hat R", assumptions=(sp.Lt(fam.delta, 1),),
              # no declared N -> oo limit: with D ~ 5e4 at the example point the decay sqrt(D ln N / N) is too slow
              # for a sequence check up to N = 2^48 to certify it
              limits=())
