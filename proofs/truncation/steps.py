"""Algebraic steps of the Stechkin truncation bound (proof.tex, steps S1-S7)."""

import sympy as sp
from proofkit import Identity, Inequality

from schattheory.foundation.symbols import p, q
from schattheory.lemmas.covering import stechkin_constant

KEYS = ["schatten.stechkin_tail", "schatten.stechkin_tail_sharp"]  # registered by the foundation
s, S, t = sp.Symbol("s", positive=True), sp.Symbol("S", positive=True), sp.Symbol("t", positive=True)
u1, u2, u3, u4 = sp.symbols("u1:5", nonnegative=True)
x4 = u4
x3 = x4 + u3
x2 = x3 + u2
x1 = x2 + u1  # x1 >= x2 >= x3 >= x4 >= 0
c = stechkin_constant(p, q)
DOMU = {u1: (0, 10), u2: (0, 10), u3: (0, 10), u4: (0, 10)}

STEPS = [
    Identity(
        "S1 tail^q <= x_s^(q-p) sum x^p <= (S/s)^((q-p)/p) S = s^(1-q/p) S^(q/p)",
        (S / s) ** ((q - p) / p) * S,
        s ** (1 - q / p) * S ** (q / p),
        note="S = ||x||_p^p, x_s^p <= S/s",
    ),
    Identity(
        "S2 the q-th root: s^(1/q - 1/p) S^(1/p)",
        (s ** (1 - q / p) * S ** (q / p)) ** (1 / q),
        s ** (1 / q - 1 / p) * S ** (1 / p),
    ),
    Identity(
        "S3 the flat extremal t = p/(q-p) attains c_{p,q}: t^(1/q) (1+t)^(-1/p) = c_{p,q}",
        (t ** (1 / q) * (1 + t) ** (-1 / p)).subs(t, p / (q - p)),
        c,
        substitution={q: p + t},
    ),
    Identity(
        "S4 t = p/(q-p) is stationary for t^(1/q) (1+t)^(-1/p)",
        sp.diff(sp.log(t ** (1 / q) * (1 + t) ** (-1 / p)), t).subs(t, p / (q - p)),
        0,
    ),
    Inequality(
        "S5 c_{p,q} <= 1",
        c,
        1,
        domain={p: (sp.Rational(1, 20), 10), q: (sp.Rational(1, 10), 40)},
        assumptions=(sp.Lt(p, q),),
    ),
    Inequality(
        "S6 sharp Stechkin on sorted 4-vectors, s = 2: ||x_{>2}||_q <= c_{p,q} 2^(1/q-1/p) ||x||_p",
        (x3**q + x4**q) ** (1 / q),
        c * 2 ** (1 / q - 1 / p) * (x1**p + x2**p + x3**p + x4**p) ** (1 / p),
        domain={**DOMU, p: (sp.Rational(1, 10), 3), q: (sp.Rational(1, 5), 8)},
        assumptions=(sp.Lt(p, q),),
    ),
    Identity("S7 Frobenius case q = 2", c.subs(q, 2), ((p / 2) ** (p / 2) * (1 - p / 2) ** (1 - p / 2)) ** (1 / p)),
]
