"""Algebraic steps of the balancing lemma (proof.tex, steps B1-B9)."""

import sympy as sp
from proofkit import Identity, Inequality, LimitStep

from schattheory.foundation.symbols import a, b, p, r
from schattheory.lemmas.balancing import c_p, r_star

KEYS = [
    "balancing.constant",
    "balancing.minimiser",
    "balancing.continuous",
    "balancing.integer",
    "balancing.integer_ceil",
]

f = a * r + b * r ** (-2 / p)
rs = r_star(a, b, p)
val = c_p(p) * a ** (2 / (p + 2)) * b ** (p / (p + 2))
u = sp.Symbol("u", positive=True)
DOM = {a: (sp.Rational(1, 100), 1000), b: (sp.Rational(1, 100), 10**6), p: (sp.Rational(1, 20), 20)}

STEPS = [
    Identity("B1 f'(r*) = 0", sp.diff(f, r).subs(r, rs), 0, note="first-order condition at r*"),
    Inequality("B2 f'' > 0 (strict convexity)", 0, sp.diff(f, r, 2), note="so r* is the unique minimiser"),
    Identity("B3 a r* = (2/p) b r*^(-2/p) at the optimum", a * rs, 2 / p * b * rs ** (-2 / p)),
    Identity("B4 f(r*) = c_p a^(2/(p+2)) b^(p/(p+2))", f.subs(r, rs), val),
    Inequality(
        "B5 shifted integer: a floor(r*) + b (floor(r*)+1)^(-2/p) <= f(r*)",
        a * sp.floor(rs) + b * (sp.floor(rs) + 1) ** (-2 / p),
        val,
        domain=DOM,
        note="floor(r*) <= r* < floor(r*) + 1",
    ),
    Inequality(
        "B6 ceil integer: a ceil(r*) + b ceil(r*)^(-2/p) <= f(r*) + a",
        a * sp.ceiling(rs) + b * sp.ceiling(rs) ** (-2 / p),
        val + a,
        domain=DOM,
        note="r* <= ceil(r*) <= r* + 1",
    ),
    Identity(
        "B7 d ln c_p / dp = 2 ln(2/p) / (p+2)^2",
        sp.diff(sp.log(c_p(p)), p),
        2 * sp.log(2 / p) / (p + 2) ** 2,
        note="c_p increases on (0,2), decreases on (2,oo): max c_2 = 2",
    ),
    Identity("B8 c_2 = 2", c_p(2), 2),
    LimitStep("B9 c_p -> 1 as p -> 0+", c_p(p), p, 0, 1),
    LimitStep("B10 c_p -> 1 as p -> oo", c_p(p), p, sp.oo, 1),
    Inequality("B11 c_p >= 1", 1, c_p(p), domain={p: (sp.Rational(1, 1000), 1000)}),
    Inequality("B12 c_p <= 2", c_p(p), 2, domain={p: (sp.Rational(1, 1000), 1000)}),
]
