r"""Pinto, Rangamani, Poggio (2024): generalization bounds for networks with low-rank layers (dominant term).

**Dominant form, as rendered by the reproduction script S2** (paper's Appendix C eqs. C9/C10):

.. math:: C_1^L \prod_l s_l \cdot L \cdot r \cdot \sqrt{h / N},

with r the largest layer rank, h the largest width and C_1 in {1, 2} in S2 (C_1 stays a parameter; the network
evaluator uses C_1 = 1). S2 applies no input-norm or margin normalisation; neither do we. Not checked against Pinto
et al.'s text. By hand: L = 1, s = 3/2, rank 4, h = 16, N = 10^4, C_1 = 1: 1.5 * 4 * 4 / 100 = 0.24.

>>> DOMINANT.expand(1)
C_1*rank_1*s_1*sqrt(Max(w_0, w_1))/sqrt(N)

Reference: Pinto, Rangamani, Poggio (2024), arXiv 2411.13733, via S2 (eqs. C9, C10).
"""

from __future__ import annotations

import sympy as sp

from schattheory.bounds import family as fam
from schattheory.bounds._register import DEPTH, register_form, sample_constant_limit
from schattheory.bounds.family import Aggregate, NetworkForm
from schattheory.foundation.provenance import Provenance, cite

Rmax = sp.Symbol("r_max", positive=True)
DOMINANT = NetworkForm(
    "pinto2024.dominant",
    "pinto2024",
    "dominant",
    (Aggregate(Rmax, fam.k, "max"),),
    fam.C1**fam.L * fam.P * fam.L * Rmax * sp.sqrt(fam.h / fam.N),
    needs=("n",),
)
FORMS = {"dominant": DOMINANT}

register_form(
    DOMINANT,
    Provenance(
        "transcribed",
        (cite("pinto2024", "main bound"), cite("ledent2025", "App. C eqs. (C9), (C10), via S2")),
        note="S2's dominant rendering; no margin or input normalisation; C_1 in {1, 2}.",
    ),
    "low-rank bound C_1^L prod s_l L r sqrt(h / N)",
    limits=sample_constant_limit(
        (
            DEPTH
            * fam.C1**DEPTH
            * sp.Mul(*[fam.layer_symbol("s", l) for l in range(1, DEPTH + 1)])
            * sp.Max(*[fam.layer_symbol("k", l) for l in range(1, DEPTH + 1)])
        )
        ** 2
        * sp.Max(*[fam.layer_symbol("U", l) for l in range(DEPTH + 1)])
    ),
)
