"""Steps of the certified explicit main bound (proof.tex, steps G1-G12)."""

import sympy as sp
from proofkit import Identity, Inequality

from schattheory.bounds import family as fam
from schattheory.bounds.ledent2025 import D_TERM, LAMBDA
from schattheory.core.registry import get
from schattheory.foundation.symbols import B, L, N, U, X, d, delta, eps, layer, p, rho

KEYS = ["derived.ledent2025.per_layer", "derived.ledent2025.network_cover.L3", "ledent2025.fc.explicit"]

s, t, ep, rh, x, y = sp.symbols("s t epsilon' rho_hat x y", positive=True)
ll = sp.Symbol("l", positive=True, integer=True)
tt = sp.Symbol("t", positive=True)
per = get("derived.ledent2025.per_layer").expr
k_t = sp.Max(0, sp.ceiling(sp.log(tt, 2)))
k_r = sp.ceiling(sp.log(rho, 2))
tau = sp.log(1 + tt, 2)
x1, x2, x3 = sp.symbols("x1:4", positive=True)

# G12: the registered depth-3 bound assembled from the engine's per-layer term alone, at a numeric point
PT = {
    N: 1000,
    B: 2,
    delta: sp.Rational(1, 100),
    fam.G: 40,
    fam.gamma: 1,
    layer("s", 1): 1,
    layer("s", 2): 1,
    layer("s", 3): sp.Rational(5, 2),
}  # X = B s_1 s_2 s_3 / gamma = 5
LAY = [
    (1, 20, 30, 3, sp.Rational(1, 2)),
    (2, 10, 20, 2, sp.Rational(3, 10)),
    (3, 5, 10, sp.Rational(3, 2), sp.Rational(7, 5)),
]
exp3 = get("ledent2025.fc.explicit")
at = dict(PT)
S1 = S2 = S3 = 0
for i, u_, d_, r_, p_ in LAY:
    at.update({layer("w", i, positive=True, integer=True): u_, layer("rho", i): r_, layer("p", i): p_})
    if i == 1:
        at[layer("w", 0, positive=True, integer=True)] = d_
    ev = {U: u_, d: d_, rho: r_, p: p_, B: 2, X: 5, L: 3, N: 1000}
    f1, f2 = per.subs(ev).subs(eps, 1), per.subs(ev).subs(eps, 2)
    lam_d = (f1 - f2) / (1 - 2 ** (-p_))  # per(eps) = Lambda D eps^(-p) + const
    S1 += 4 * lam_d / (2 - p_) ** 2
    S2 += f1 - lam_d
    S3 += sp.log((sp.log(r_, 2) + 2) * (sp.log(r_, 2) + 3))
# the network's widths are w_0 = 30, w_1 = 20, w_2 = 10, w_3 = 5: layer i has d = w_{i-1}, U = w_i
LAY_OK = all(LAY[i][2] == LAY[i - 1][1] for i in (1, 2))
at.update(
    {
        layer("w", 1, positive=True, integer=True): 20,
        layer("w", 2, positive=True, integer=True): 10,
        layer("w", 3, positive=True, integer=True): 5,
    }
)
tau_x = sp.log(1 + sp.Rational(5, 2), 2)
assembled = (
    sp.Rational(8, 1000)
    + 24 / sp.sqrt(1000) * (sp.sqrt(3 * S1) + sp.sqrt(S2))
    + 3 * sp.sqrt((sp.log(200) + sp.log((tau_x + 2) * (tau_x + 3)) + S3 + 3 * sp.log(40)) / 2000)
)

LHS12, RHS12 = exp3.expr.subs(at).evalf(60), assembled.evalf(60)  # 60-digit numbers (exact simplify is slow)

STEPS = [
    Identity(
        "G1 layer l of the rescaled network: R b / e = 4 L B t rho_hat^(1/p) / eps' (input s^(l-1) B, "
        "amplification s^(L-l), scale eps'/(2L s^(L-l)) halved for a proper cover, s^L = t)",
        rh ** (1 / p) * s * (B * s ** (ll - 1)) / (ep / 2 / 2 / L / s ** (L - ll)),
        4 * L * B * t * rh ** (1 / p) / ep,
        substitution={t: s**L},
    ),
    Inequality(
        "G2 the product rounded up on {1, 2, 4, ...}: max(1, 2^k) <= 1 + 2t, k = ceil(log2 t)",
        sp.Max(1, 2 ** sp.ceiling(sp.log(tt, 2))),
        1 + 2 * tt,
        domain={tt: (sp.Rational(1, 1000), 10**6)},
    ),
    Inequality(
        "G3 its union-bound cost: (k+1)(k+2) <= (tau+2)(tau+3), tau = log2(1 + t)",
        (k_t + 1) * (k_t + 2),
        (tau + 2) * (tau + 3),
        domain={tt: (sp.Rational(1, 1000), 10**6)},
    ),
    Inequality(
        "G4 the rank proxy rounded up: 2^ceil(log2 rho) <= 2 rho (rho >= 1)", 2**k_r, 2 * rho, domain={rho: (1, 10**4)}
    ),
    Inequality(
        "G5 its cost: (k+1)(k+2) <= (log2 rho + 2)(log2 rho + 3)",
        (k_r + 1) * (k_r + 2),
        (sp.log(rho, 2) + 2) * (sp.log(rho, 2) + 3),
        domain={rho: (1, 10**4)},
    ),
    Identity(
        "G6 the grid weights sum to 1: sum_k 1/((k+1)(k+2)) = 1",
        sp.summation(1 / ((ll + 1) * (ll + 2)), (ll, 0, sp.oo)),
        1,
    ),
    Identity(
        "G7 the engine's per-layer term is Lambda (D eps^(-p) + a) + ln(2dU) with the explicit form's Lambda, D",
        per,
        LAMBDA * (D_TERM * eps ** (-p) + U + d + 1) + sp.log(2 * d * U),
    ),
    Identity(
        "G8 d/deps [eps^(1-p/2)/(1-p/2)] = eps^(-p/2) (the antiderivative vanishes at 0 for p < 2)",
        sp.diff(eps ** (1 - p / 2) / (1 - p / 2), eps),
        eps ** (-p / 2),
    ),
    Identity("G8b so int_0^1 eps^(-p/2) deps = 2/(2-p)", (eps ** (1 - p / 2) / (1 - p / 2)).subs(eps, 1), 2 / (2 - p)),
    Inequality(
        "G9 sqrt(x + y) <= sqrt(x) + sqrt(y)",
        sp.sqrt(x + y),
        sp.sqrt(x) + sp.sqrt(y),
        domain={x: (0, 10**6), y: (0, 10**6)},
    ),
    Inequality(
        "G10 Cauchy-Schwarz at L = 3: x1 + x2 + x3 <= sqrt(3 (x1^2 + x2^2 + x3^2))",
        x1 + x2 + x3,
        sp.sqrt(3 * (x1**2 + x2**2 + x3**2)),
        domain={x1: (0, 100), x2: (0, 100), x3: (0, 100)},
    ),
    Identity(
        "G11 the depth-3 network cover is the sum of three per-layer terms",
        get("derived.ledent2025.network_cover.L3").expr,
        sp.Add(
            *[
                per.subs(
                    {
                        U: layer("U", i, positive=True, integer=True),
                        d: layer("d", i, positive=True, integer=True),
                        rho: layer("rho", i, positive=True),
                        p: layer("p", i, positive=True),
                    },
                    simultaneous=True,
                )
                for i in (1, 2, 3)
            ]
        ),
    ),
    Inequality(
        "G12 the registered ledent2025.fc.explicit at a point is at most its assembly from the engine's "
        "per-layer term (Dudley from 1/N, Cauchy-Schwarz, Lemma 3.1, union over the grids; G = 40)",
        LHS12,
        RHS12,
    ),
    Inequality("G12b ... and at least it (the two agree to 42 digits)", RHS12, LHS12),
]
