"""Algebraic steps of the Candès-Plan low-rank cover, radius-R ball version (proof.tex, steps L1-L7)."""

import sympy as sp
from proofkit import Identity, Inequality

from schattheory.foundation.symbols import R, d, eps, m, r

KEYS = ["covering.low_rank", "covering.low_rank.all_eps"]
u = sp.Symbol("u", positive=True)
s1, s2, x1, x2 = sp.symbols("s1 s2 x1 x2", positive=True)
POS = (sp.Rational(1, 100), 100)

STEPS = [
    Identity(
        "L1 packing count of each factor ((1 + eps/(6R))/(eps/(6R)))^k = (1 + 6R/eps)^k",
        ((1 + eps / (6 * R)) / (eps / (6 * R))) ** m,
        (1 + 6 * R / eps) ** m,
    ),
    Identity("L2 the exponents add up: r + m r + d r = (m + d + 1) r", r + m * r + d * r, (m + d + 1) * r),
    Identity("L3 three errors of eps/3 add up to eps", 3 * (eps / 3), eps),
    Inequality(
        "L4 ||(U - U')Sigma||_F <= max_i ||u_i - u'_i|| ||Sigma||_F (two columns)",
        sp.sqrt(s1**2 * x1**2 + s2**2 * x2**2),
        sp.Max(x1, x2) * sp.sqrt(s1**2 + s2**2),
        domain={s1: POS, s2: POS, x1: POS, x2: POS},
    ),
    Inequality(
        "L5 1 + 6R/eps <= 7R/eps when eps <= R (R = eps (1 + u))",
        1 + 6 * R / eps,
        7 * R / eps,
        substitution={R: eps * (1 + u)},
        domain={R: POS, eps: POS},
        assumptions=(sp.Le(eps, R),),
    ),
    Inequality("L6 7R/eps <= 9R/eps", 7 * R / eps, 9 * R / eps),
    Identity(
        "L7 ln((9R/eps)^((m+d+1) r)) = (m+d+1) r ln(9R/eps)",
        sp.expand_log(sp.log((9 * R / eps) ** ((m + d + 1) * r)), force=True),
        (m + d + 1) * r * sp.log(9 * R / eps),
    ),
]
