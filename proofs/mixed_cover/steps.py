"""Steps of the per-layer mixed cover (proof.tex, steps M1-M12)."""

import sympy as sp
from proofkit import Identity, Inequality, LimitStep

from schattheory.core.registry import get
from schattheory.foundation.symbols import R, a, b, d, eps, j, m, p, r, r_M
from schattheory.lemmas.balancing import c_p
from schattheory.lemmas.covering import stechkin_constant
from schattheory.lemmas.mixed_cover import balanced_form, c_star, split_form, tail_frobenius_factor

KEYS = ["covering.mixed_layer.split", "covering.mixed_layer"]

x = sp.Symbol("x", positive=True)  # the Maurey count 4 m c^2 R^2 b^2 / eps^2 at j = 1
pi = 2 * p / (2 - p)  # the balancing exponent of the tail j^(1 - 2/p) = j^(-2/pi)
cstr = stechkin_constant(p, 2)
split, bal = split_form(), balanced_form()
lam = sp.log(1 + 12 * R * b / eps + 2 * d * m)
X4 = 4 * m * cstr**2 * R**2 * b**2 / eps**2
A = m + d + 1
rstar = (2 * X4 / (pi * A)) ** (pi / (pi + 2))  # the real minimiser of A j + X4 j^(-2/pi)
jceil = sp.ceiling(rstar)
DOM = {
    m: ("int", 1, 300),
    d: ("int", 1, 300),
    R: (sp.Rational(1, 100), 100),
    b: (sp.Rational(1, 100), 1000),
    eps: (sp.Rational(1, 1000), 10),
    p: (sp.Rational(1, 50), sp.Rational(199, 100)),
}
w = sp.Symbol("w", positive=True, integer=True)
jj = sp.Symbol("jj", positive=True, integer=True)
# the counterexample of the first release: one w x w layer, inputs e_i (b = sqrt(w)), R = 1, p = 2, eps = 1/2
volume = w**2 * sp.log(2)

STEPS = [
    Identity(
        "M1 tail: (c_{p,2} j^(1/2-1/p) R)^2 = c_{p,2}^2 j^(1-2/p) R^2",
        (tail_frobenius_factor(p, j) * R) ** 2,
        cstr**2 * j ** (1 - 2 / p) * R**2,
    ),
    Inequality(
        "M2 c_{p,2} <= 1, so the tail factor is <= 1 for every j >= 1", cstr, 1, domain={p: (sp.Rational(1, 100), 2)}
    ),
    Identity(
        "M3 Candès-Plan (all-eps form) at eps/(2b): the rank part of the split form",
        get("covering.low_rank.all_eps").expr.subs({r: j, eps: eps / (2 * b)}, simultaneous=True),
        (m + d + 1) * j * sp.log(1 + 12 * R * b / eps),
    ),
    Identity(
        "M4 Maurey (BFT Lemma 3.2, r = 2, m columns) at eps/2 with a = c_{p,2} j^(1/2-1/p) R: the tail part",
        get("maurey.general").expr.subs({a: tail_frobenius_factor(p, j) * R, r_M: 2, eps: eps / 2}, simultaneous=True),
        sp.ceiling(X4 * j ** (1 - 2 / p)) * sp.log(2 * d * m),
    ),
    Identity(
        "M5 the split form is M3 + M4",
        split,
        (m + d + 1) * j * sp.log(1 + 12 * R * b / eps) + sp.ceiling(X4 * j ** (1 - 2 / p)) * sp.log(2 * d * m),
    ),
    Identity("M6 the tail exponent: j^(1-2/p) = j^(-2/pi) with pi = 2p/(2-p)", 1 - 2 / p, -2 / pi),
    Identity("M7 the balancing constant at pi is c*_p = (2/(2-p))((2-p)/p)^(p/2)", c_p(pi), c_star(p)),
    Identity("M8 the balancing exponent at pi: 2/(pi+2) = 1 - p/2", 2 / (pi + 2), 1 - p / 2),
    Identity("M8b the balancing exponent at pi: pi/(pi+2) = p/2", pi / (pi + 2), p / 2),
    Inequality(
        "M9 the split form at j = ceil(r*) is at most the balanced form (ceil(x) <= x + 1, both logs <= "
        "Lambda, balancing.integer_ceil)",
        split.subs(j, jceil),
        bal,
        domain=DOM,
    ),
    Inequality(
        "M10 the first release's form at j = 0, Omega = 1 (4w) is below the volume bound w^2 ln 2 for w >= 6",
        4 * w,
        volume,
        domain={w: ("int", 6, 10**6)},
    ),
    Inequality(
        "M11 the split form at the same point (p = 2, b = sqrt(w), R = 1, eps = 1/2) is above the volume bound "
        "for every j >= 1",
        volume,
        split.subs({m: w, d: w, p: 2, R: 1, b: sp.sqrt(w), eps: sp.Rational(1, 2)}).subs(j, jj),
        domain={w: ("int", 1, 10**5), jj: ("int", 1, 10**4)},
    ),
    LimitStep(
        "M12 p -> 0+: Lambda 2a + ln(2dm) (a parametric count)",
        bal,
        p,
        0,
        lam * 2 * A + sp.log(2 * d * m),
        at={m: 5, d: 7, R: 2, b: 3, eps: sp.Rational(1, 10)},
    ),
]
