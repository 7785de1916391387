r"""Neyshabur, Bhojanapalli, Srebro (ICLR 2018): the PAC-Bayesian spectrally-normalised margin bound.

**Dominant form** (Theorem 1 without the O(.) constant and without the additive ln(L m / delta) term):

.. math:: \sqrt{\frac{B^2 L^2 h \ln(L h) \prod_l s_l^2 \sum_l \|A_l\|_F^2 / s_l^2}{\gamma^2 N}},

B the largest input l2 norm, h the largest width, s_l = ||A_l||_sigma. By hand: L = 1, h = 16, B = 10,
||A||_F = 3, gamma = 1/2, N = 10^4 (s cancels at L = 1): sqrt(100 * 16 ln 16 * 9 / (0.25 * 10^4)) = 3.996...

No explicit form is encoded: the proof constants (sigma = gamma / (42 L B beta^(L-1) sqrt(h ln(4hL))), ...) are
recalled, not checked against the paper (SOURCES.md [C2.2]).

>>> e = DOMINANT.expand(1); e
B*F_1*sqrt(log(Max(w_0, w_1)))*sqrt(Max(w_0, w_1))/(sqrt(N)*gamma)
>>> v = {str(x): x for x in e.free_symbols}
>>> round(float(e.subs({v["B"]: 10, v["F_1"]: 3, v["gamma"]: 0.5, v["N"]: 10**4, v["w_0"]: 16, v["w_1"]: 16})), 4)
3.9963

Reference: Neyshabur, Bhojanapalli, Srebro (2018), Theorem 1; Bartlett et al. (2017), Section 1.8 (their paraphrase).
"""

from __future__ import annotations

import sympy as sp

from schattheory.bounds import family as fam
from schattheory.bounds._register import margin_limit, register_form
from schattheory.bounds.family import Aggregate, NetworkForm
from schattheory.foundation.provenance import Provenance, cite

SF = sp.Symbol("S_F", positive=True)  # sum_l ||A_l||_F^2 / s_l^2
DOMINANT = NetworkForm(
    "neyshabur2018.dominant",
    "neyshabur2018",
    "dominant",
    (Aggregate(SF, fam.F**2 / fam.s**2),),
    sp.sqrt(fam.B**2 * fam.L**2 * fam.h * sp.log(fam.L * fam.h) * fam.P**2 * SF / (fam.gamma**2 * fam.N)),
    needs=("n", "input_norm", "margin"),
)
FORMS = {"dominant": DOMINANT}

register_form(
    DOMINANT,
    Provenance(
        "classical",
        (
            cite("neyshabur2018", "Thm 1 (O-constant and ln(Lm/delta) term dropped)"),
            cite("bartlett2017", "Section 1.8 (paraphrase of the bound)"),
        ),
        note="Statement recalled [R], corroborated by Bartlett et al.'s paraphrase and by public code.",
    ),
    "PAC-Bayes bound sqrt(B^2 L^2 h ln(L h) prod s^2 sum ||A||_F^2/s^2 / (gamma^2 N))",
    limits=margin_limit(),
)
