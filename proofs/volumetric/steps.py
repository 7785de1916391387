"""Algebraic steps of the volumetric covering bound (proof.tex, steps V1-V4)."""

import sympy as sp
from proofkit import Identity, Inequality

from schattheory.foundation.symbols import R, d, eps

KEYS = ["covering.volumetric"]
x = sp.Symbol("x", positive=True)

STEPS = [
    Identity(
        "V1 volume ratio ((R + eps/2)/(eps/2))^d = (1 + 2R/eps)^d",
        ((R + eps / 2) / (eps / 2)) ** d,
        (1 + 2 * R / eps) ** d,
    ),
    Identity(
        "V2 ln of the count", sp.expand_log(sp.log((1 + 2 * R / eps) ** d), force=True), d * sp.log(1 + 2 * R / eps)
    ),
    Inequality("V3 containment: R + eps/2 is the radius of the enlarged ball", R, R + eps / 2),
    Inequality(
        "V4 d = 1 sharpness: floor(2R/eps) + 1 points fit, and floor(x) + 1 <= 1 + x",
        sp.floor(x) + 1,
        1 + x,
        domain={x: (0, 1000)},
    ),
]
