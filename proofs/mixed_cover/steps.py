"""Algebraic steps of the reconstructed per-layer mixed cover (proof.tex, steps X1-X8)."""
import sympy as sp

from proofkit import Identity, Inequality, LimitStep
from schattheory.derivations.main_bound import per_layer_derivation, transcribed_per_layer
from schattheory.lemmas.balancing import balance, c_p
from schattheory.registry import get
from schattheory.symbols import Omega, X, a, eps, j, p, rho

KEYS = ["covering.mixed_layer.split", "covering.mixed_layer", "derived.ledent2025.per_layer"]
S, sv = sp.Symbol("S", positive=True), sp.Symbol("s", positive=True)   # sum sigma^p and the spectral norm
u1, u2, u3, u4 = sp.symbols("u1:5", nonnegative=True)
s4 = u4
s3 = s4 + u3
s2 = s3 + u2
s1 = s2 + u1
bal = get("covering.mixed_layer").expr

STEPS = [
    Identity("X1 relative tail: (S/(j+1))^(1/p)/s = (rho/(j+1))^(1/p) with rho = S/s^p",
             (S / (j + 1)) ** (1 / p) / sv, ((S / sv ** p) / (j + 1)) ** (1 / p)),
    Inequality("X2 (j+1) sigma_{j+1}^p <= sum_i sigma_i^p (sorted spectrum of 4, j = 1)",
               2 * s2 ** p, s1 ** p + s2 ** p + s3 ** p + s4 ** p,
               domain={u1: (0, 10), u2: (0, 10), u3: (0, 10), u4: (0, 10), p: (sp.Rational(1, 20), 10)}),
    Identity("X3 the tail term Omega (X (rho/(j+1))^(1/p))^2/eps^2 is the lemma's second term",
             Omega * (X * (rho / (j + 1)) ** (1 / p)) ** 2 / eps ** 2, Omega * X ** 2 * (rho / (j + 1)) ** (2 / p) / eps ** 2),
    Identity("X4 balancing with A = a, B = Omega X^2 rho^(2/p)/eps^2 gives the registered balanced cover",
             balance(a, Omega * X ** 2 * rho ** (2 / p) / eps ** 2, p)[0], bal),
    Identity("X5 the eps-free complexity is c_p times the transcribed C_l(p)", per_layer_derivation().expr,
             c_p(p) * transcribed_per_layer()),
    Identity("X6 the covering exponent 2p/(p+2) stays below 2: 2 - 2p/(p+2) = 4/(p+2)", 2 - 2 * p / (p + 2), 4 / (p + 2)),
    LimitStep("X7 p -> 0+: a rho (parametric; rho -> rank)", bal, p, 0, a * rho),
    LimitStep("X8 p -> oo: Omega X^2/eps^2 (norm-based)", bal, p, sp.oo, Omega * X ** 2 / eps ** 2),
]
