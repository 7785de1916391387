"""Algebraic steps of the whole-network cover, Bartlett et al. Theorem 3.3 at depth 3 (proof.tex, N1-N6)."""

import sympy as sp
from proofkit import Identity, Inequality

from schattheory.bounds.derivations.network_cover import derive_bft_theorem33
from schattheory.foundation.symbols import W, eps
from schattheory.lemmas.network_cover import bft_theorem33, layer_symbols, unrolled_error

KEYS = [
    "network_cover.layer_step",
    "network_cover.unrolled.L3",
    "network_cover.bft_thm33.L3",
    "derived.bartlett2017.network_cover.L3",
]
s, b, rho, e, al = layer_symbols(3)
D1 = rho[0] * e[0]
D2 = rho[1] * s[1] * D1 + rho[1] * e[1]
D3 = rho[2] * s[2] * D2 + rho[2] * e[2]
scales = {e[i]: al[i] * eps / (rho[i] * sp.Mul(*[rho[j] * s[j] for j in range(i + 1, 3)])) for i in range(3)}
beta = sp.symbols("beta1:4", positive=True)
u = sp.symbols("u1:4", positive=True)
alpha_star = [bb ** sp.Rational(1, 3) / sum(x ** sp.Rational(1, 3) for x in beta) for bb in beta]
x = sp.Symbol("x", positive=True)

STEPS = [
    Identity(
        "N1 the induction Delta_{i+1} = rho_i s_i Delta_i + rho_i eps_i from Delta_0 = 0, unrolled at L = 3",
        D3,
        unrolled_error(3),
    ),
    Identity(
        "N2 with eps_i = alpha_i eps/(rho_i prod_{j>i} rho_j s_j) the output error is eps sum alpha_i",
        unrolled_error(3).subs(scales),
        eps * (al[0] + al[1] + al[2]),
    ),
    Identity(
        "N3 sum beta_i/alpha_i^2 at alpha_i ~ beta_i^(1/3) equals (sum beta_i^(1/3))^3",
        sum(bb / aa**2 for bb, aa in zip(beta, alpha_star)),
        sum(x_ ** sp.Rational(1, 3) for x_ in beta) ** 3,
    ),
    Inequality(
        "N4 Hoelder: (sum beta^(1/3))^3 <= sum beta_i/alpha_i^2 on the simplex (alpha_i = u_i/sum u)",
        sum(x_ ** sp.Rational(1, 3) for x_ in beta) ** 3,
        sum(bb / (uu / sum(u)) ** 2 for bb, uu in zip(beta, u)),
        domain={**{x_: (sp.Rational(1, 100), 100) for x_ in beta}, **{x_: (sp.Rational(1, 100), 100) for x_ in u}},
    ),
    Inequality("N5 ceil(x) <= x + 1", sp.ceiling(x), x + 1, domain={x: (0, 10**4)}),
    Identity(
        "N6 re-derived minus published Theorem 3.3 = 3 ln(2W^2) (the ceilings)",
        derive_bft_theorem33(3).expr - bft_theorem33(3),
        3 * sp.log(2 * W**2),
    ),
]
