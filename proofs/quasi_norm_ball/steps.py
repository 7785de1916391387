"""Algebraic steps of the quasi-norm ball cover (proof.tex, steps Q1-Q5)."""

import sympy as sp
from proofkit import Identity, Inequality

from schattheory.foundation.symbols import R, d, eps, p

KEYS = ["covering.quasi_norm_ball"]
t = eps * 2 ** (-1 / p)
x, y = sp.Symbol("x", nonnegative=True), sp.Symbol("y", nonnegative=True)
DOM = {p: (sp.Rational(1, 50), 1), R: (sp.Rational(1, 100), 100), eps: (sp.Rational(1, 100), 100)}

STEPS = [
    Identity("Q1 disjointness threshold 2 t^p = eps^p for t = eps 2^(-1/p)", 2 * t**p, eps**p),
    Identity(
        "Q2 volume ratio ((R^p + t^p)^(1/p)/t)^d = (1 + 2 (R/eps)^p)^(d/p)",
        ((R**p + t**p) ** (1 / p) / t) ** d,
        (1 + 2 * (R / eps) ** p) ** (d / p),
    ),
    Identity(
        "Q3 p = 1 gives the volumetric bound", ((1 + 2 * (R / eps) ** p) ** (d / p)).subs(p, 1), (1 + 2 * R / eps) ** d
    ),
    Inequality(
        "Q4 scalar p-triangle (x + y)^p <= x^p + y^p, 0 < p <= 1",
        (x + y) ** p,
        x**p + y**p,
        domain={p: (sp.Rational(1, 50), 1), x: (0, 100), y: (0, 100)},
    ),
    Inequality(
        "Q5 the unproved form is smaller: (1 + 2^(1/p) R/eps)^p <= 1 + 2 (R/eps)^p",
        (1 + 2 ** (1 / p) * R / eps) ** p,
        1 + 2 * (R / eps) ** p,
        domain=DOM,
        note="so d ln(1 + 2^(1/p) R/eps) would be a stronger claim than what is proved",
    ),
]
