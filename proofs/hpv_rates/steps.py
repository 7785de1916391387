"""Exponent bookkeeping for the Hinrichs-Prochno-Vybíral rates (no constants exist to check)."""

import sympy as sp
from proofkit import Identity, LimitStep

from schattheory.foundation.symbols import eps, k, m, p, q

KEYS = ["covering.hpv.middle", "covering.hpv.large"]
E = p * q / (q - p)
u = sp.Symbol("u", positive=True)

STEPS = [
    Identity("H1 1/(1/p - 1/q) = pq/(q-p)", 1 / (1 / p - 1 / q), E),
    Identity("H2 q = 2 gives 2p/(2-p) (the Schatten-ball cover's exponent)", E.subs(q, 2), 2 * p / (2 - p)),
    Identity(
        "H3 (m/k)^(1/p-1/q) = eps at k = m eps^(-pq/(q-p))",
        (m / (m * eps ** (-E))) ** (1 / p - 1 / q),
        eps,
        substitution={q: p + u},
    ),
    LimitStep("H4 q -> oo: exponent p", E, q, sp.oo, p),
]
del k
