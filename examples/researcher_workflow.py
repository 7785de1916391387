"""A researcher's six tasks with schattheory, through public names only, ending in a compiled PDF.

1. find the main theorem;  2. define a bound of one's own and compare it;  3. derive with the engine;
4. verify an asymptotic claim;  5. produce LaTeX for a paper;  6. check a value by hand.

Run: ``python examples/researcher_workflow.py OUT_DIR`` (writes OUT_DIR/paper.tex, refs.bib and paper.pdf when
pdflatex is on the PATH; prints one line per task).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import sympy as sp

import schattheory as st
from schattheory.analysis.asymptotics import compare, growth, sample_complexity, sample_complexity_table
from schattheory.bounds.custom import network_bound
from schattheory.bounds.derivations.main_bound import derive_main_bound
from schattheory.bounds.network import evaluate_network
from schattheory.core import registry
from schattheory.core.derivation import Start, derive, derived_bound
from schattheory.data import bundled_network
from schattheory.foundation.assumptions import assuming
from schattheory.foundation.symbols import L, N, W, c, eps, p, r
from schattheory.lemmas.steps import DudleyStep
from schattheory.outputs.latex.compile import pdflatex_available
from schattheory.outputs.latex.document import build_document, write_document
from schattheory.outputs.latex.tables import network_results_table

MINE = st.Citation("doe2026", ("Jane Doe",), 2026, "Stable ranks and generalization", "Preprint", entry_type="misc")


def main(out: Path) -> dict:
    facts = {}

    # 1. the main theorem: as stated (one key) and as derived from the lemmas; its p -> 0+ form on square layers
    stated, theorem = registry.get("ledent2025.main"), derive_main_bound()
    square = registry.get("ledent2025.square.dominant")
    facts["main"] = (stated.key, theorem.key, theorem.status.value, square.limit("p", 0).value)
    print(
        f"1. main theorem {stated.key} [{stated.status.value}], derived as {theorem.key} "
        f"[{theorem.status.value}], p -> 0+: {facts['main'][3]}"
    )

    # 2. a bound of one's own: sqrt(L sum_l srank_l (U_l + d_l) / N), srank = ||A||_F^2 / ||A||_2^2
    F, s, U, d, S = sp.symbols("F s U d S")
    form = network_bound(
        "mine.stable_rank",
        terms={"S": F**2 / s**2 * (U + d)},
        outer=sp.sqrt(L * S / N),
        citations=[MINE],
        title="Stable-rank counting bound",
    )
    stats = bundled_network()
    ours = evaluate_network(stats, "mine.stable_rank")
    others = {f: evaluate_network(stats, f) for f in ("ledent2025", "counting", "golowich2018")}
    square_ours, _ = form.square()
    sc_ours = sample_complexity(square_ours)
    g = growth(sc_ours.expr, [W, L, r], numeric=False)
    rows = sample_complexity_table()
    rows.append(
        {
            "key": "mine.stable_rank.dominant",
            "label": "stable-rank counting (ours)",
            "sample_complexity": sc_ours.expr,
            "growth": {"W": g[W], "L": g[L], "r": g[r]},
            "exploits_low_rank": g[r] != 0,
            "depth_exponent": g[L],
        }
    )
    vs_main = compare(
        sc_ours.expr, next(x for x in rows if x["label"].startswith("Schatten bound, p -> 0+"))["sample_complexity"]
    )
    facts["own"] = (ours.value, {k: v.value for k, v in others.items()}, sc_ours.expr, vs_main.ratio)
    print(
        f"2. own bound {ours.value:.4g} on the bundled network (main {others['ledent2025'].value:.4g}); "
        f"N ~ {sc_ours.expr}; ratio to the main bound's: {vs_main.ratio}"
    )

    # 3. the engine: Dudley's integral on a power-law cover ln N <= c eps^-p, under p < 2 (stated once)
    cover = st.register(
        st.Bound(
            "mine.power_cover",
            expr=c * eps ** (-p),
            params=(c, eps, p),
            lhs=r"\ln\mathcal{N}(\varepsilon)",
            provenance=st.Provenance("new result", (MINE,)),
            example={c: 1, eps: sp.Rational(1, 2), p: 1},
            assumptions=(p < 2,),
            title="Power-law entropy bound",
        )
    )
    with assuming(p < 2):
        der = derive(
            "mine.power_cover.dudley", [Start(bound=cover), DudleyStep(eps, N, alpha=0)], example={c: 1, p: 1, N: 100}
        )
    rad = st.register(
        derived_bound(
            der,
            status="new result",
            citations=(MINE,),
            assumptions=(p < 2,),
            lhs=r"\hat{\mathfrak{R}}_N",
            title="Rademacher complexity of the power-law class",
        )
    )
    facts["derived"] = rad.expr
    print(f"3. derived {rad.key}: {rad.expr}")

    # 4. an asymptotic claim: the main bound's sample complexity as p -> 0+ is ~ W r L^2 (claim C04)
    row = next(x for x in rows if x["label"].startswith("Schatten bound, p -> 0+"))
    facts["claim"] = row["growth"]
    print(f"4. C04: exponents {row['growth']} (W r L^2 holds: {row['growth'] == {'W': 1, 'L': 2, 'r': 1}})")

    # 5. LaTeX: the new bound, the derived one, the comparison table, the network table and a bibliography
    results = [v for v in [ours, *others.values()]]
    doc = build_document(
        keys=["mine.stable_rank.dominant", rad.key],
        sample_rows=rows,
        name="paper",
        title="Stable ranks against Schatten-$p$ bounds",
        citations=[MINE],
        sections=[
            (
                "Evaluation on a trained network",
                network_results_table(results, network="the bundled digits network")
                + "\n\nThe bound of \\cite{doe2026} is compared with \\cite{ledent2025}.",
            )
        ],
    )
    written = write_document(doc, out, compile=pdflatex_available(), overfull_threshold=5.0)
    facts["pdf"] = written.pdf
    facts["warnings"] = written.warnings
    facts["report"] = written.compile_result.report if written.compile_result is not None else None
    print(
        f"5. wrote {written.tex}"
        + (f" and {written.pdf}" if written.pdf else "")
        + (f"; warnings: {written.warnings}" if written.warnings else "")
    )

    # 6. a value by hand: the own bound from the singular values, and the main bound's square form at a point
    sig = [np.sort(np.asarray(lay.sigma, dtype=float))[::-1] for lay in stats.layers]
    total = sum(np.sum(sv**2) / sv[0] ** 2 * (lay.out_features + lay.in_features) for sv, lay in zip(sig, stats.layers))
    by_hand = math.sqrt(len(sig) * total / stats.data.n)
    at = {"p": sp.Rational(1, 2), "W": 64, "r": 4, "L": 4, "N": 10000, "X": 3}
    square_value = square.evaluate(at, dps=30)
    # L sqrt(C / N), C = X^(2p/(p+2)) r^(2/(p+2)) (2W)^(2/(p+2)) with p = 1/2: exponents 0.4, 0.8, 0.8
    formula = 4 * math.sqrt(3**0.4 * 4**0.8 * 128**0.8 / 10000)
    facts["by_hand"] = (ours.value, by_hand, float(square_value), formula)
    print(f"6. by hand {by_hand:.10g} vs engine {ours.value:.10g}; square form {square_value} vs {formula:.15g}")
    return facts


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "researcher-workflow"))
