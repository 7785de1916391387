"""The claims about the target paper that the audit checks (C01 to C14), as data.

Each claim names what it speaks of (``quantity``), the regime, and ``check``: the name under which
:data:`schattheory.analysis.claims.run.CHECKS` holds the function that checks it against the registered bounds. The
conventions for sample complexity: the N at which a bound's complexity term drops below a fixed accuracy, norms
normalised (B prod_i rho_i ||A_i|| / gamma = O(1)), square W x W layers, depth L, rank r, polylog factors dropped.

>>> [c.id for c in CLAIMS][:3]
['C01', 'C02', 'C03']
>>> BY_ID["C04"].check
'main_p_to_zero'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ClaimSpec", "CLAIMS", "BY_ID"]


@dataclass(frozen=True)
class ClaimSpec:
    id: str
    text: str
    source: str
    quantity: str
    regime: str
    check: str
    how: str


CLAIMS = (
    ClaimSpec(
        "C01",
        "For a matrix A, the Schatten p quasi-norm is (sum_i sigma_i^p)^(1/p); smaller p is more "
        "rank-sensitive, larger p recovers conventional norms (p=oo spectral, p=2 Frobenius, p=1 nuclear).",
        "summary, 'Key Designs'",
        "||A||_{S_p} and the rank proxy r(p) = sum_i (sigma_i/sigma_1)^p",
        "all p > 0",
        "schatten_definition",
        "special values of SchattenNorm; sign of d r(p)/dp; numeric norms of a matrix at p = 1, 2, 2^k",
    ),
    ClaimSpec(
        "C02",
        "As p->0+, sum_i sigma_i^p -> rank(A); as p->oo, ||A||_{S_p} -> ||A||_spectral.",
        "summary + classical",
        "sum_i sigma_i^p and ||A||_{S_p}",
        "p -> 0+ and p -> oo",
        "schatten_limits",
        "declared limits of schatten.power_sum and schatten.norm against sympy.limit and a 50-digit sequence",
    ),
    ClaimSpec(
        "C03",
        "For linear networks, weight decay on the L factors equals a Schatten quasi-norm penalty of the "
        "end-to-end map (p = 2/L).",
        "abstract + summary",
        "min over factorisations of sum_l ||W_l||_F^2",
        "depth L >= 1, inner widths >= rank",
        "weight_decay",
        "AM-GM equality case symbolically; balanced SVD factorisation and random factorisations numerically",
    ),
    ClaimSpec(
        "C04",
        "Main bound, p->0: sample complexity O~(W r L^2).",
        "abstract + summary table",
        "sample complexity of ledent2025 (dominant)",
        "p -> 0+, square W x W layers of rank r",
        "main_p_to_zero",
        "symbolic limit p -> 0+ of the square form and of the L = 3 form; growth exponents",
    ),
    ClaimSpec(
        "C05",
        "Main bound, p=1: 'intermediate', balances rank and norm.",
        "summary table",
        "the per-layer complexity C_l(1)",
        "p = 1",
        "main_p_one",
        "log C(1) as a weighted mean of log(parametric) and log(norm); growth exponents between the endpoints",
    ),
    ClaimSpec(
        "C06",
        "Main bound, p->oo: sample complexity O~(W^2 L), recovering the classical norm-based bound.",
        "summary table only (not in the abstract)",
        "sample complexity of ledent2025 (dominant)",
        "p -> oo, both W_l conventions",
        "main_p_to_infinity",
        "symbolic limit p -> oo of the square forms under W_l = 1 and W_l = w_l; growth exponents",
    ),
    ClaimSpec(
        "C07",
        "Spectral-norm bound (Bartlett et al. 2017): O~(W^2 L), does not exploit low rank, depth dependence O(L).",
        "summary comparison table",
        "sample complexity of bartlett2017 (dominant)",
        "square W x W layers of rank r, norms normalised",
        "bartlett_claim",
        "square form under the named worst-case substitutions; growth exponents in W, L, r",
    ),
    ClaimSpec(
        "C08",
        "Frobenius-norm bound: O~(W^2 L), exploits low rank 'indirectly', depth O(L).",
        "summary comparison table",
        "sample complexity of golowich2018 (dominant)",
        "square W x W layers of rank r, spectral norms normalised",
        "frobenius_claim",
        "square form; growth exponents (exponential in L detected)",
    ),
    ClaimSpec(
        "C09",
        "PAC-Bayes (Neyshabur et al. 2018): O~(W^2 L^2), depth O(L^2).",
        "summary comparison table",
        "sample complexity of neyshabur2018 (dominant)",
        "square W x W layers, norms normalised",
        "pac_bayes_claim",
        "square form; growth exponents",
    ),
    ClaimSpec(
        "C10",
        "Improvement factor over classical bounds: 1x at r=W, sqrt(W) at r=sqrt(W), W at r=O(1).",
        "summary 'Key Findings'",
        "ratio of sample complexities",
        "p -> 0+, r in {W, sqrt(W), 1}",
        "improvement_factor",
        "compare(parameter counting, main bound at p -> 0+) in three regimes",
    ),
    ClaimSpec(
        "C11",
        "The Schatten covering numbers are substantially tighter than Frobenius-based ones in the low-rank regime.",
        "summary 'Covering Number Analysis'",
        "log covering numbers",
        "n x n matrices, rank r << n, accuracy eps",
        "covering_claim",
        "log N of the Schatten-p ball containing the unit-Frobenius rank-r matrices vs the Frobenius-ball "
        "cover, over a sweep of r, p and eps",
    ),
    ClaimSpec(
        "C12",
        "The parameter p interpolates continuously between the rank-constraint bound (p->0) and the "
        "norm-constraint bound (p->oo); the best p can be chosen from the network's rank structure.",
        "summary + abstract",
        "the per-layer complexity C_l(p)",
        "p in (0, oo)",
        "interpolation",
        "declared limits of ledent2025.per_layer; continuity; monotone geometric-mean structure; best p on "
        "synthetic spectra",
    ),
    ClaimSpec(
        "C13",
        "Depth dependence of the main bound is O(L^2) for small p, worse than the O(L) of some classical methods.",
        "summary 'Limitations'",
        "depth exponent of sample complexities",
        "p -> 0+",
        "depth_claim",
        "depth exponents from the sample-complexity table",
    ),
    ClaimSpec(
        "C14",
        "In the overparametrised regime the main bound (p optimised) is smaller than both the "
        "parameter-counting and the norm-based bounds.",
        "abstract (experiments)",
        "dominant bounds on synthetic networks",
        "N < number of parameters; spectra sigma_i = i^(-alpha)",
        "sweep_claim",
        "p-sweep on synthetic spectra under both W_l conventions",
    ),
)

BY_ID = {c.id: c for c in CLAIMS}
