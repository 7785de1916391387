"""Algebraic steps of the Dudley closed forms (proof.tex, steps D1-D12)."""

import sympy as sp
from proofkit import Identity, Inequality

from schattheory.core.registry import get
from schattheory.foundation.symbols import N, R, alpha, c, eps, p, q

KEYS = [
    "dudley.inverse_square",
    "dudley.inverse_square.optimal",
    "dudley.power_law",
    "dudley.power_law.optimal",
    "dudley.power_law.alpha0",
]
n = N
K = sp.Symbol("K", positive=True)
th = sp.Symbol("theta", positive=True)  # q = 2 theta/(1 + theta) in (0, 2)
F2 = 4 * alpha / sp.sqrt(n) + sp.Integer(12) / n * sp.integrate(R / eps, (eps, alpha, sp.sqrt(n)))
Fq = 4 * alpha / sp.sqrt(n) + sp.Integer(12) / n * sp.integrate(
    sp.sqrt(c) * eps ** (-q / 2), (eps, alpha, sp.sqrt(n)), conds="none"
)
a2 = 3 * R / sp.sqrt(n)
aq = (9 * c / n) ** (1 / q)
Q01 = {q: 2 * th / (1 + th)}

STEPS = [
    Identity("D1 F(alpha) for ln N <= R^2/eps^2", F2, get("dudley.inverse_square").expr),
    Identity("D2 F'(3R/sqrt(n)) = 0", sp.diff(F2, alpha).subs(alpha, a2), 0),
    Identity(
        "D3 F(3R/sqrt(n)) = 12R/n (1 + ln(n/(3R)))", F2.subs(alpha, a2), get("dudley.inverse_square.optimal").expr
    ),
    Inequality("D4 F is convex in alpha", 0, sp.diff(F2, alpha, 2)),
    Identity(
        "D5 alpha = 1/n gives 4/n^(3/2) + 18 R ln(n)/n (SOURCES.md [C1.9])",
        F2.subs(alpha, 1 / n),
        4 / n ** sp.Rational(3, 2) + 18 * R * sp.log(n) / n,
    ),
    Identity(
        "D6 alpha = 1/sqrt(n) gives (4 + 12 R ln n)/n", F2.subs(alpha, 1 / sp.sqrt(n)), (4 + 12 * R * sp.log(n)) / n
    ),
    Identity("D7 F(alpha) for ln N <= c eps^(-q), q < 2", Fq, get("dudley.power_law").expr, substitution=Q01),
    Identity("D8 F'((9c/n)^(1/q)) = 0", sp.diff(Fq, alpha).subs(alpha, aq), 0, substitution=Q01),
    Identity(
        "D9 F(alpha*) = the registered optimum",
        Fq.subs(alpha, aq),
        get("dudley.power_law.optimal").expr,
        substitution=Q01,
    ),
    Identity(
        "D10 int_0^1 eps^(-q/2) with q = 2p/(p+2) equals (p+2)/2",
        sp.integrate(eps ** (-p / (p + 2)), (eps, 0, 1), conds="none"),
        (p + 2) / 2,
    ),
    Identity(
        "D11 normalised <-> unnormalised: c = K n^(q/2) turns 12 sqrt(c) n^(-(2+q)/4)/(1-q/2) into "
        "12 sqrt(K)/(sqrt(n)(1 - q/2))",
        get("dudley.power_law.alpha0").expr.subs(c, K * n ** (q / 2)),
        12 * sp.sqrt(K) / (sp.sqrt(n) * (1 - q / 2)),
        substitution=Q01,
    ),
    Inequality(
        "D12 alpha* = 3R/sqrt(n) <= sqrt(n) when 3R <= n",
        a2,
        sp.sqrt(n),
        substitution={n: 3 * R * (1 + sp.Symbol("u", positive=True))},
        domain={R: (sp.Rational(1, 100), 100), n: ("int", 1, 10**6)},
        assumptions=(sp.Le(3 * R, n),),
    ),
]
