r"""VC dimension of piecewise-linear networks (Bartlett, Harvey, Liaw, Mehrabian 2019) and the textbook conversion.

**VC dimension** (JMLR Theorem 7, recalled [R]; activation with p = 2 linear pieces (ReLU), effective depth
bounded by the depth L):

.. math:: \mathrm{VCdim} \le L + L\,P \log_2\!\big(4 e p\, U \log_2(2 e p\, U)\big),

P = sum_l U_l d_{l-1} weights and U = sum_l U_l W_l units (biases not counted).

**Dominant form**: sqrt(L P / N), the VCdim = O(P L log P) of the abstract [V-abs] with the log dropped.

**Explicit form, multiclass** (derived here; a k-class argmax network ``h(x) = argmax_j f_j(x)``). The binary
corollary (Mohri et al. 2018, Cor. 3.19) does not apply to an argmax of k outputs. The 0-1 loss class
{(x, y) -> 1[h(x) != y]} restricted to N points has at most as many patterns as h restricted to them, and h on N
points is fixed by the signs of the k(k-1)/2 pairwise differences f_i - f_j there: so the multiclass growth
function satisfies Pi_H(N) <= Pi_pair(N k(k-1)/2), where the pairwise class (x, i, j) -> sign(f_i(x) - f_j(x)) is a
piecewise-polynomial function of the parameters with the same pieces as the network, so Theorem 7's argument gives
it the VC bound D above (P counting every weight of the network, all k outputs included). Sauer's lemma then gives
ln Pi_H(N) <= D ln(e max(N Q, D) / D), Q = k(k-1)/2: **the multiclass cost is D ln Q ~ 2 D ln k**, the same
ln k factor as through the Natarajan dimension (Natarajan's lemma, Shalev-Shwartz and Ben-David 2014, Lemma 29.4:
|H_C| <= |C|^{d_N} k^{2 d_N}, so ln Pi_H(N) <= d_N (ln N + 2 ln k); the Natarajan dimension of an argmax network is
itself bounded only through the same pairwise count, 2^{d_N} <= Pi_H(d_N), so the count is used directly). With
Massart's lemma on the 0-1 loss class shifted by 1/2 and the Rademacher bound (Mohri et al. 2018, Thm 3.3 and
Thm 3.7; as in their Cor. 3.18):

.. math:: \Pr[h(x) \ne y] \le \hat R + \sqrt{\frac{2 D \ln(e \max(N Q, D)/D)}{N}} + \sqrt{\frac{\ln(1/\delta)}{2N}}.

For k = 2 (Q = 1) this is the binary bound. It bounds the 0-1 error directly (no margin). Theorem 7 is recalled [R]
(not checked against the journal text); the pairwise reduction is derived here.

>>> DOMINANT.expand(1)
sqrt(w_0)*sqrt(w_1)/sqrt(N)

Reference: Bartlett, Harvey, Liaw, Mehrabian (2019), abstract and Theorem 7; Mohri, Rostamizadeh, Talwalkar (2018),
Theorems 3.3 and 3.7, Corollary 3.18; Natarajan (1989); Shalev-Shwartz and Ben-David (2014), Lemma 29.4.
"""

from __future__ import annotations

import sympy as sp

from schattheory.bounds import family as fam
from schattheory.bounds._register import DEPTH, register_form, sample_constant_limit
from schattheory.bounds.family import Aggregate, NetworkForm
from schattheory.foundation import symbols as S
from schattheory.foundation.provenance import Provenance, cite

Pw = sp.Symbol("P_weights", positive=True)
Uu = sp.Symbol("U_units", positive=True)
PIECES = 2
VCDIM = fam.L + fam.L * Pw * sp.log(4 * sp.E * PIECES * Uu * sp.log(2 * sp.E * PIECES * Uu, 2), 2)
_AGG = (Aggregate(Pw, fam.U * fam.d), Aggregate(Uu, fam.U * fam.Omega))
_D = sp.Symbol("D_vc", positive=True)

DOMINANT = NetworkForm("vc.bhlm2019.dominant", "vc", "dominant", _AGG[:1], sp.sqrt(fam.L * Pw / fam.N), needs=("n",))
PAIRS = S.K * (S.K - 1) / 2  # pairwise comparisons that fix an argmax over K outputs
_explicit_outer = (
    sp.sqrt(2 * _D * sp.log(sp.E * sp.Max(fam.N * PAIRS, _D) / _D) / fam.N)
    + sp.sqrt(sp.log(1 / fam.delta) / (2 * fam.N))
).subs(_D, VCDIM)
EXPLICIT = NetworkForm("vc.bhlm2019.explicit", "vc", "explicit", _AGG, _explicit_outer, needs=("n",))
VCDIM_FORM = NetworkForm("vc.bhlm2019.vcdim", "vc", "explicit", _AGG, VCDIM, conventions={fam.Omega: 1})
FORMS = {"dominant": DOMINANT, "explicit": EXPLICIT}

_THM7 = cite("bartlett2019vc", "Thm 7 (JMLR 2019; Thm 6 in the earlier arXiv version)")
#: the formula is recalled from memory: the JMLR version's first-page footnote places the refined upper bound at
#: Theorem 7, but the statement itself was not checked against the source
_RECALLED = (
    "RECALLED from memory, not checked against the source: the formula of the refined upper bound "
    "(Theorem 7 of the JMLR version) is as remembered"
)
register_form(
    VCDIM_FORM,
    Provenance("classical", (_THM7,), note=_RECALLED),
    "VCdim <= L + L P log2(4 e p U log2(2 e p U)), p = 2",
    lhs=r"\mathrm{VCdim}",
    kind="lemma",
    limits=(),
)
_W = [fam.layer_symbol("U", l) for l in range(DEPTH + 1)]
register_form(
    DOMINANT,
    Provenance("classical", (cite("bartlett2019vc", "abstract: VCdim = O(P L log P)"),)),
    "VC sample-complexity term sqrt(L P / N)",
    limits=sample_constant_limit(DEPTH * sp.Add(*[_W[l - 1] * _W[l] for l in range(1, DEPTH + 1)])),
)
register_form(
    EXPLICIT,
    Provenance(
        "derived",
        (
            _THM7,
            cite("mohri2018", "Thms 3.3, 3.7, Cor. 3.18"),
            cite("shalevshwartz2014", "Lemma 29.4 (Natarajan's lemma)"),
            cite("natarajan1989", "Natarajan dimension"),
        ),
        derived_from=("vc.bhlm2019.vcdim",),
        note="Multiclass: the k-class argmax network's growth function is bounded by the "
        "pairwise-comparison class's on N k(k-1)/2 points (Theorem 7's bound D "
        "applies to it; derived here), then Sauer and Massart: the ln k cost "
        "D ln(k(k-1)/2), as through the Natarajan dimension. " + _RECALLED,
        proof="the pairwise-comparison class's growth function bounded by Theorem 7's "
        "VCdim bound, then Sauer's lemma and Massart's finite-class lemma",
    ),
    "sqrt(2 D ln(e max(N K(K-1)/2, D)/D)/N) + sqrt(ln(1/delta)/(2N)), D the VCdim bound, K classes",
    lhs=r"\Pr[\text{error}] - \hat R",
    assumptions=(sp.Lt(fam.delta, 1), sp.Ge(S.K, 2)),
    # no declared N -> oo limit: with D ~ 5e4 at the example point the decay sqrt(D ln N / N) is too slow
    # for a sequence check up to N = 2^48 to certify it
    limits=(),
)
