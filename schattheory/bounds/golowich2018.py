r"""Golowich, Rakhlin, Shamir (COLT 2018): size-independent Rademacher bounds (Theorems 1 and 2).

**Theorem 1** (Frobenius norms, sqrt(L) depth dependence), for real-valued depth-L networks with 1-Lipschitz
positive-homogeneous elementwise activations and ||A_l||_F <= M_F(l):

.. math:: \hat{\mathfrak R}_N \le \frac{(\sqrt{2 \ln(2) L} + 1)\,\|X\|_F \prod_l M_F(l)}{N}
          \;\le\; \frac{B(\sqrt{2\ln(2) L} + 1)\prod_l M_F(l)}{\sqrt N}.

**Theorem 2** (max-row l1 norms M(l) = max_j sum_k |A_l[j, k]|, inputs with ||x||_oo <= B_oo in R^d):

.. math:: \hat{\mathfrak R}_N \le 2 B_\infty \prod_l M(l) \sqrt{\frac{L + 1 + \ln d}{N}}.

**Dominant form** used for comparisons: B sqrt(L) prod_l ||A_l||_F / (gamma sqrt(N)) (Theorem 1 with its constant
dropped and the margin normalisation of the other bounds). By hand, one layer with B = 10, ||A||_F = 3, gamma = 1/2,
N = 10^4: 10 * 3 / (0.5 * 100) = 0.6.

>>> from schattheory.bounds.golowich2018 import DOMINANT
>>> DOMINANT.expand(1)
B*F_1/(sqrt(N)*gamma)

Reference: Golowich, Rakhlin, Shamir (2018), Theorems 1 and 2 (statements recalled [R]; they match the code of
Graf et al. 2022, ``golowich_fro`` and ``golowich_1inf``).
"""

from __future__ import annotations

import sympy as sp

from schattheory.bounds import family as fam
from schattheory.bounds._register import DEPTH, margin_limit, register_form
from schattheory.bounds.family import Aggregate, NetworkForm
from schattheory.core.bound import Bound, Limit
from schattheory.core.registry import register
from schattheory.foundation import symbols as S
from schattheory.foundation.provenance import Provenance, cite

PF = sp.Symbol("P_F", positive=True)  # prod_l ||A_l||_F
_AGG = (Aggregate(PF, fam.F, "prod"),)
DOMINANT = NetworkForm(
    "golowich2018.dominant",
    "golowich2018",
    "dominant",
    _AGG,
    fam.B * sp.sqrt(fam.L) * PF / (fam.gamma * sp.sqrt(fam.N)),
    needs=("n", "input_norm", "margin"),
)
THM1 = NetworkForm(
    "golowich2018.thm1",
    "golowich2018",
    "explicit",
    _AGG,
    (sp.sqrt(2 * sp.log(2) * fam.L) + 1) * fam.XF * PF / fam.N,
    needs=("n", "data_frobenius"),
)
FORMS = {"dominant": DOMINANT}

_R = Provenance(
    "classical",
    (cite("golowich2018", "Thm 1"), cite("graf2022", "code: golowich_fro")),
    note="Statement recalled [R]; matches public code.",
)
register_form(
    DOMINANT,
    Provenance(
        "classical",
        (cite("golowich2018", "Thm 1 (constant dropped, margin-normalised)"),),
        note="Dominant-term convention of the comparison figure.",
    ),
    "Frobenius bound B sqrt(L) prod ||A_l||_F / (gamma sqrt(N))",
    limits=margin_limit(),
)
register_form(
    THM1,
    _R,
    "empirical Rademacher complexity <= (sqrt(2 ln(2) L) + 1) ||X||_F prod ||A_l||_F / N",
    lhs=r"\hat{\mathfrak{R}}_N(\mathcal{H}_L)",
    limits=lambda e: (Limit(S.N, sp.oo, 0, "the Rademacher bound with ||X||_F fixed (decays like 1/N)"),),
)

# Theorem 2 speaks of max-row l1 norms, which the network statistics do not carry: a fixed-depth statement only.
Binf = sp.Symbol("B_oo", positive=True)
d_in = sp.Symbol("d_in", positive=True, integer=True)
_M = [sp.Symbol(f"M_{l}", positive=True) for l in range(1, DEPTH + 1)]
_thm2 = 2 * Binf * sp.Mul(*_M) * sp.sqrt((DEPTH + 1 + sp.log(d_in)) / S.N)
register(
    Bound(
        "golowich2018.thm2",
        expr=_thm2,
        params=(Binf, d_in, S.N, *_M),
        mode="explicit",
        lhs=r"\hat{\mathfrak{R}}_N(\mathcal{H}_L)",
        provenance=Provenance(
            "classical",
            (cite("golowich2018", "Thm 2"), cite("graf2022", "code: golowich_1inf")),
            note="Statement recalled [R]; matches public code. M_l = max-row l1 norm of A_l.",
        ),
        example={Binf: 1, d_in: 784, S.N: 10000, _M[0]: 2, _M[1]: 2, _M[2]: 2},
        limits=(Limit(_M[0], 0, 0, "the Rademacher bound (linear in each layer's norm M_l)"),),
        title=f"empirical Rademacher complexity <= 2 B_oo prod M_l sqrt((L + 1 + ln d)/N) (L = {DEPTH})",
    )
)
