"""Algebraic steps of the Schatten-ball covers by truncation plus low rank (proof.tex, steps T1-T5)."""

import sympy as sp
from proofkit import Identity, Inequality

from schattheory.foundation.symbols import R, eps, p
from schattheory.lemmas.covering import frobenius_truncation_rank, spectral_truncation_rank, stechkin_constant

KEYS = ["covering.schatten_ball.frobenius", "covering.schatten_ball.spectral"]
rF = frobenius_truncation_rank(p, R, eps)
rS = spectral_truncation_rank(p, R, eps)
DOM = {p: (sp.Rational(1, 20), sp.Rational(39, 20)), R: (sp.Rational(1, 10), 10), eps: (sp.Rational(1, 1000), 10)}
A = (sp.Le(eps, R),)

STEPS = [
    Inequality(
        "T1 Frobenius truncation error c_{p,2} r^(1/2-1/p) R <= eps/2 at r = ceil((2cR/eps)^(2p/(2-p)))",
        stechkin_constant(p, 2) * rF ** (sp.Rational(1, 2) - 1 / p) * R,
        eps / 2,
        domain=DOM,
        assumptions=A,
    ),
    Inequality(
        "T2 spectral truncation error R (r+1)^(-1/p) <= eps/2 at r = ceil((2R/eps)^p) - 1",
        R * (rS + 1) ** (-1 / p),
        eps / 2,
        domain={**DOM, p: (sp.Rational(1, 20), 2)},
        assumptions=A,
    ),
    Inequality(
        "T3 the spectral truncation rank is >= 1 when eps <= R",
        1,
        rS,
        domain={**DOM, p: (sp.Rational(1, 20), 2)},
        assumptions=A,
    ),
    Identity("T4 eps/2 in Candès-Plan: 9R/(eps/2) = 18R/eps", 9 * R / (eps / 2), 18 * R / eps),
    Identity("T5 the exponent 2p/(2-p) is HPV's 1/(1/p - 1/2)", 2 * p / (2 - p), 1 / (1 / p - sp.Rational(1, 2))),
]
