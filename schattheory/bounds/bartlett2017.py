r"""Bartlett, Foster, Telgarsky (NeurIPS 2017): spectrally-normalised margin bounds.

**Dominant form** (Theorem 1.1 without its ln W factor, as in the paper's comparison figure):

.. math:: \frac{\|X\|_F \prod_l s_l}{\gamma N}\Big(\sum_l \big(\|A_l^\top\|_{2,1}/s_l\big)^{2/3}\Big)^{3/2},

with ||X||_F the Frobenius norm of the n x d data matrix, s_l = ||A_l||_sigma and ||A_l^T||_{2,1} the sum over output
units (rows of a torch (out, in) weight) of the l2 norm of their incoming weights. By hand, one layer with
||X||_F = 1000, s = 3/2, ||A^T||_{2,1} = 10, gamma = 1/2, N = 10^4: 1000 * 1.5 * (10/1.5) / (0.5 * 10^4) = 2.

**Explicit form** (derived; SOURCES.md [C1.10]): Lemma 3.1 (margin bound) + Dudley (Lemma A.5) with alpha = 1/n
+ the whole-network cover (Theorem 3.3) with the margin operator's Lipschitz constant 2 give, for a-priori fixed
norm bounds evaluated at the observed norms,

.. math:: \frac8n + \frac{72 \ln n\, \|X\|_F \sqrt{\ln(2W^2)}}{\gamma n}\prod_l s_l
          \Big(\sum_l (b_l/s_l)^{2/3}\Big)^{3/2} + 3\sqrt{\frac{\ln(1/\delta)}{2n}},

W the largest layer dimension. The constant 36 per Rademacher term (72 for the gap) is derived here (Dudley at
alpha = 1/n: 12/n * (3/2) ln n * 2 ||X||_F sqrt(ln 2W^2) R_A / gamma). Graf et al.'s code for "Lemma A.8 in Bartlett
et al." had 9 ln n times their 4/gamma, i.e. the same 36, at commit 14abf4b of rkwitt/excess_capacity, and has
12 ln n times 4/gamma = 48 since commit 23628eb (2023-06-07); BFT's appendix itself was not read here, so the derived
36 is what is encoded, and the 48 of the later code is noted, not used.
A recollection of BFT's appendix reads "72 ... ln(2W) ln(n)"; it is **unverified** (not encoded). The union bound
that removes the a-priori norm bounds (full Theorem 1.1) has unverified constants and is not encoded.

>>> e = DOMINANT.expand(1); e      # at L = 1 the spectral norm cancels
X_F*b_1/(N*gamma)
>>> v = {str(x): x for x in e.free_symbols}
>>> float(e.subs({v["X_F"]: 1000, v["b_1"]: 10, v["gamma"]: 0.5, v["N"]: 10**4}))
2.0

Reference: Bartlett, Foster, Telgarsky (2017), Theorem 1.1, eq. (1.2), Lemmas 3.1 and 3.2, Theorem 3.3.
"""

from __future__ import annotations

import sympy as sp

from schattheory.bounds import family as fam
from schattheory.bounds._register import margin_limit, register_form
from schattheory.bounds.family import Aggregate, NetworkForm
from schattheory.foundation.provenance import Provenance, cite

T = sp.Symbol("T", positive=True)  # sum_l (b_l / s_l)^(2/3)
_AGG = (Aggregate(T, (fam.b / fam.s) ** sp.Rational(2, 3)),)
_CORE = fam.XF * fam.P * T ** sp.Rational(3, 2) / (fam.gamma * fam.N)

DOMINANT = NetworkForm(
    "bartlett2017.dominant", "bartlett2017", "dominant", _AGG, _CORE, needs=("n", "data_frobenius", "margin")
)
EXPLICIT = NetworkForm(
    "bartlett2017.explicit",
    "bartlett2017",
    "explicit",
    _AGG,
    8 / fam.N
    + 72 * sp.log(fam.N) * sp.sqrt(sp.log(2 * fam.h**2)) * _CORE
    + 3 * sp.sqrt(sp.log(1 / fam.delta) / (2 * fam.N)),
    needs=("n", "data_frobenius", "margin"),
)
FORMS = {"dominant": DOMINANT, "explicit": EXPLICIT}

register_form(
    DOMINANT,
    Provenance("classical", (cite("bartlett2017", "Thm 1.1 and eq. (1.2); ln W dropped"),)),
    "spectral complexity ||X||_F prod s (sum (||A^T||_{2,1}/s)^(2/3))^(3/2) / (gamma N)",
    limits=margin_limit(),
)
register_form(
    EXPLICIT,
    Provenance(
        "derived",
        (
            cite("bartlett2017", "Lemma 3.1, Lemma A.5 (Dudley), Thm 3.3"),
            cite(
                "graf2022",
                "code 'bartlett' (Lemma A.8 in Bartlett et al.): 36 at commit 14abf4b, 48 since commit 23628eb",
            ),
        ),
        note="Derived in SOURCES.md [C1.10] (Dudley at alpha = 1/n, margin operator 2-Lipschitz); fixed a-priori norm "
        "bounds. The recalled '72 ln(2W) ln n' form of the appendix is unverified and not encoded.",
        proof="Lemma 3.1 (margin bound) with the Rademacher term from Lemma A.5 (Dudley, alpha = 1/n) applied to the "
        "cover of Theorem 3.3",
    ),
    "explicit margin bound 8/n + 72 ln n ||X||_F sqrt(ln 2W^2) R_A / (gamma n) + 3 sqrt(ln(1/delta)/2n)",
    assumptions=(sp.Lt(fam.delta, 1), sp.Ge(fam.N, 2)),
    limits=margin_limit(
        8 / fam.N + 3 * sp.sqrt(sp.log(1 / fam.delta) / (2 * fam.N)),
        "the bound as gamma -> oo: only 8/n and the confidence term remain",
    ),
)
