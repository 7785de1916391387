"""C11: Schatten-ball covers against the Frobenius-ball cover in the low-rank regime, from the registered lemmas."""

from __future__ import annotations

from schattheory.analysis.claims.verdicts import Conventions, Sweep
from schattheory.analysis.covers_compare import compare_covers

__all__ = ["covering_sweep", "covering_claim", "SUBSTANTIAL"]

#: "substantially tighter" read as: at most half the Frobenius-ball log-covering number
SUBSTANTIAL = 0.5


def covering_sweep(
    n: int = 256, ranks=(1, 2, 4, 8, 16, 32, 64), ps=(0.1, 0.25, 0.5, 1.0, 1.5), epss=(0.5, 0.1, 0.01)
) -> list[dict]:
    """log N of the Schatten-p ball containing the unit-Frobenius rank-r n x n matrices vs the Frobenius ball.

    One row per (p, eps, r) from :func:`schattheory.analysis.covers_compare.compare_covers` (the registered covering
    lemmas; the Schatten cover's truncation rank capped at n): ``schatten``, ``frobenius``, their ``ratio`` and the
    direct rank-r cover ``rank_cover``. All are upper bounds on log covering numbers.
    """
    rows = []
    for p in ps:
        for x in compare_covers(n, n, list(ranks), list(epss), R=1.0, p=p):
            rows.append(
                {
                    "p": p,
                    "eps": x["eps"],
                    "r": x["rank"],
                    "schatten": x["schatten_capped"],
                    "frobenius": x["frobenius"],
                    "ratio": x["ratio"],
                    "rank_cover": x["low_rank"],
                }
            )
    return rows


def covering_claim(ctx):
    n = 256
    rows = covering_sweep(n)
    low = [x for x in rows if x["r"] <= n // 16]
    ps = sorted({x["p"] for x in rows})
    readings, counts = [], {}
    for p in ps:
        at_p = [x for x in low if x["p"] == p]
        wins = sum(x["ratio"] <= SUBSTANTIAL for x in at_p)
        counts[f"p={p}"] = f"{wins} of {len(at_p)}"
        readings.append((f"p = {p}", Sweep(f"at most {SUBSTANTIAL} x the Frobenius cover, r <= n/16", wins, len(at_p))))
    crossover = {}
    for p in ps:
        for e in sorted({x["eps"] for x in rows}, reverse=True):
            better = [x["r"] for x in rows if x["p"] == p and x["eps"] == e and x["ratio"] < 1]
            crossover[f"p={p}, eps={e}"] = f"tighter for r <= {max(better)}" if better else "never tighter"
    return dict(
        finding=Conventions("C11", tuple(readings)),
        checked_against=("covering.schatten_ball.frobenius", "covering.volumetric", "covering.low_rank"),
        convention="the exponent p of the Schatten ball; 'substantially tighter' read as at most half the "
        f"Frobenius-ball cover; low rank: r <= n/16 with n = {n}, eps in "
        f"{sorted({x['eps'] for x in rows}, reverse=True)}",
        evidence={"n": n, "low-rank points at most half the Frobenius cover, by p": counts, "crossover": crossover},
        numeric=tuple((x["p"], x["eps"], x["r"], round(x["ratio"], 4)) for x in rows if x["eps"] == 0.1),
        derivation="For a rank-r matrix with ||A||_F = 1, ||A||_{S_p} <= r^(1/p-1/2); truncating at rank "
        "(2 c R/eps)^(2p/(2-p)) = r (2c/eps)^(2p/(2-p)) and covering the low-rank part gives "
        "(2n+1) r (2c/eps)^(2p/(2-p)) ln(18R/eps), against n^2 ln(1+2/eps) for the Frobenius ball; "
        "points at most half the Frobenius cover by p: " + ", ".join(f"{k}: {v}" for k, v in counts.items()) + ".",
    )
