"""Algebraic steps of Maurey's matrix covering lemma (proof.tex, steps M1-M8)."""

import sympy as sp
from proofkit import Identity, Inequality

from schattheory.foundation.symbols import d, eps, m

KEYS = ["maurey.general", "maurey.bft_instance"]
M, k, u = sp.Symbol("M", positive=True), sp.Symbol("k", positive=True), sp.Symbol("u", positive=True)
Nn, kk = sp.Symbol("N", positive=True, integer=True), sp.Symbol("k", positive=True, integer=True)
pp, ss = sp.Symbol("p", positive=True), sp.Symbol("s", positive=True)
x11, x21, x12, x22, a1, a2 = sp.symbols("x11 x21 x12 x22 a1 a2", positive=True)
y1, y2 = sp.symbols("y1 y2", positive=True)
lam = sp.Symbol("lambda", positive=True)
v1, v2 = sp.symbols("v1 v2", real=True)
qq = pp / (pp - 1)
rr = ss / (ss - 1)
POS = (sp.Rational(1, 100), 10)


def lp(vals, e):
    return sp.Add(*[v**e for v in vals]) ** (1 / e)


STEPS = [
    Inequality(
        "M1 Maurey error M/sqrt(k) <= eps once k >= M^2/eps^2 (k = (M/eps)^2 (1+u))",
        M / sp.sqrt(k),
        eps,
        substitution={k: M**2 / eps**2 * (1 + u)},
        domain={M: POS, k: (1, 10**4), eps: POS},
        assumptions=(sp.Ge(k, M**2 / eps**2),),
    ),
    Identity("M2 ln((2dm)^k) = k ln(2dm)", sp.expand_log(sp.log((2 * d * m) ** k), force=True), k * sp.log(2 * d * m)),
    Inequality(
        "M3 multisets: C(N + k - 1, k) <= N^k",
        sp.binomial(Nn + kk - 1, kk),
        Nn**kk,
        domain={Nn: ("int", 1, 40), kk: ("int", 1, 12)},
    ),
    Inequality(
        "M4 Hoelder in a column: sum_i |A_ij| ||X e_i||_p <= ||A_j||_q ||X||_p (d = 2, n = 2)",
        a1 * lp([x11, x21], pp) + a2 * lp([x12, x22], pp),
        lp([a1, a2], qq) * lp([x11, x21, x12, x22], pp),
        domain={x11: POS, x21: POS, x12: POS, x22: POS, a1: POS, a2: POS, pp: (sp.Rational(11, 10), 2)},
    ),
    Inequality(
        "M5 Hoelder across m = 2 columns: y_1 + y_2 <= 2^(1/r) ||y||_s, 1/r + 1/s = 1",
        y1 + y2,
        2 ** (1 / rr) * lp([y1, y2], ss),
        domain={y1: POS, y2: POS, ss: (sp.Rational(11, 10), 20)},
    ),
    Inequality(
        "M6 atoms have ||V||_F = ||X e_i||_2 / ||X e_i||_p <= 1 for p <= 2",
        lp([x11, x21], 2),
        lp([x11, x21], pp),
        domain={x11: POS, x21: POS, pp: (1, 2)},
    ),
    Identity(
        "M7 one draw's variance: E V^2 - (E V)^2 = lambda (1 - lambda)(v1 - v2)^2",
        lam * v1**2 + (1 - lam) * v2**2 - (lam * v1 + (1 - lam) * v2) ** 2,
        lam * (1 - lam) * (v1 - v2) ** 2,
    ),
    Inequality(
        "M8 ... which is at most max(v1^2, v2^2) <= 1 for atoms in the unit ball",
        lam * (1 - lam) * (v1 - v2) ** 2,
        1,
        domain={lam: (0, 1), v1: (-1, 1), v2: (-1, 1)},
    ),
]
