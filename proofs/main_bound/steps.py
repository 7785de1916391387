"""Algebraic steps from the per-layer complexity to the whole-network bound (proof.tex, steps G1-G7)."""
import sympy as sp

from proofkit import Identity, Inequality, LimitStep
from schattheory.derivation import per_layer
from schattheory.derivations.main_bound import PER_LAYER_SYMBOLS, derive_main_bound, transcribed_per_layer
from schattheory.lemmas.balancing import c_p
from schattheory.registry import get
from schattheory.symbols import G, L, N, Omega, X, a, delta, l, p, rho

KEYS = ["derived.ledent2025.layer_rademacher", "derived.ledent2025.main.L3", "derived.ledent2025.main_cover.L3"]
x1, x2, x3 = sp.symbols("x1:4", positive=True)
fl = {s: per_layer(s, l) for s in PER_LAYER_SYMBOLS}
Cl = transcribed_per_layer(fl[p], fl[a], fl[rho], fl[Omega], X)
cover = derive_main_bound(route="cover").derivation.steps[6].result   # after Cauchy-Schwarz
summand = [x for x in sp.preorder_traversal(cover) if isinstance(x, sp.Sum)][0].function
pl = fl[p]
kappa = 36 * (pl + 2) ** 2 * c_p(pl) * L ** (2 * pl / (pl + 2)) * 4 ** (pl / (pl + 2))

STEPS = [
    Identity("G1 the per-layer Rademacher term is 6(p+2) sqrt(c_p C_l/N)", get("derived.ledent2025.layer_rademacher").expr,
             6 * (p + 2) * sp.sqrt(c_p(p) * transcribed_per_layer() / N)),
    Inequality("G2 Cauchy-Schwarz at L = 3: x1 + x2 + x3 <= sqrt(3 (x1^2 + x2^2 + x3^2))", x1 + x2 + x3,
               sp.sqrt(3 * (x1 ** 2 + x2 ** 2 + x3 ** 2)), domain={x1: (0, 100), x2: (0, 100), x3: (0, 100)}),
    Identity("G3 the sum route's summand is C_l/N (symbolic depth)",
             [x for x in sp.preorder_traversal(derive_main_bound(collapse=False).expr) if isinstance(x, sp.Sum)][0].function,
             Cl / N),
    Identity("G4 the cover route's summand is 36 (p_l+2)^2 c_{p_l} L^(2p_l/(p_l+2)) 4^(p_l/(p_l+2)) C_l / N",
             summand, kappa * Cl / N),
    LimitStep("G5 the extra depth factor L^(2p/(p+2)) -> 1 as p -> 0+ (at L = 10)", sp.Integer(10) ** (2 * p / (p + 2)),
              p, 0, 1),
    Identity("G6 union bound over G exponents: ln(2G/delta) = ln 2 + ln G - ln delta",
             sp.log(2 * G / delta), sp.log(2) + sp.log(G) - sp.log(delta)),
    LimitStep("G7 p -> 0+: C_l -> a rho (the rank count when rho -> rank)", transcribed_per_layer(), p, 0, a * rho),
]
