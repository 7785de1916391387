"""Benchmark ``--method randomized`` (certified intervals from a rank-k subspace) against the exact SVD, in one run.

Eight float32 matrices of 4096 x 1024 (alternately stored (4096, 1024) and (1024, 4096), so that they chain as a
network), entries Gaussian / sqrt(fan-in) plus a rank-8 part with singular values 8..1 (a decaying head on a
Marchenko-Pastur bulk, as trained layers look). Measured in the same process, interleaved ``--repeat`` times, best
kept, wall and CPU time:

1. spectra: ``NetworkSpectra.from_model(method="svd")`` (scipy svdvals per layer) against
   ``method="randomized", top_k=K`` (``certified_top_k``: K-dimensional subspace iteration, the Gram matrix for the
   sigma_1 upper bound, the Frobenius norm);
2. the whole ``evaluate`` with the same data statistics (bounds included; the SymPy set-up is paid once before).

Also reported: the widest relative sigma_1 interval (upper / lower) and the ledent2025 dominant bound at p = 1 from
the intervals over its exact value (the price of the certificate).

Measured here (2 cores shared with other jobs, load average 7-8; K = 32, --repeat 1):

    | what                                   | exact    | randomized | ratio |
    | spectra, wall                          | 138.4 s  | 45.8 s     | 0.331 |
    | spectra, CPU                           |          |            | 0.295 |
    | widest sigma_1 interval (upper/lower)  |          | 1.0036     |       |
    | ledent2025 dominant, p = 1             |          |            | 1.015 |

The randomized path pays for the Gram matrix (m^2 n flops, which the sigma_1 upper bound needs) and K-dimensional
subspace iteration; the exact path for a full SVD per layer. Without the Gram products the sigma_1 upper bound would
rest on the Frobenius norm alone (tail energy), about sqrt(rank) times too large on a flat bulk.

Usage: python3 benchmarks/bench_randomized.py [--k 32] [--repeat 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from schattheory.networks.evaluate import evaluate  # noqa: E402
from schattheory.networks.spectra import NetworkSpectra  # noqa: E402

STATS = dict(n=50000, input_norm=10.0, margin=1.0, biases=False)


def matrices(count=8, big=4096, small=1024, seed=0):
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        m, n = (big, small) if i % 2 == 0 else (small, big)
        A = rng.standard_normal((m, n)) / math.sqrt(n)
        U = np.linalg.qr(rng.standard_normal((m, 8)))[0]
        V = np.linalg.qr(rng.standard_normal((n, 8)))[0]
        out.append((A + (U * np.arange(8, 0, -1.0)) @ V.T).astype(np.float32))
    return out


def timed(fn):
    w, c = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - w, time.process_time() - c


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--k", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    mats = matrices()
    evaluate(mats[:2], **STATS)  # SymPy set-up and the monotonicity checks, paid once
    evaluate(mats[:2], method="randomized", top_k=args.k, **STATS)
    best = {}
    for _ in range(args.repeat):
        for name, kw in (("exact", {}), ("randomized", {"method": "randomized", "top_k": args.k})):
            _, w, c = timed(lambda: NetworkSpectra.from_model(mats, biases=False, **kw))
            ev, ew, ec = timed(lambda: evaluate(mats, **kw, **STATS))
            old = best.get(name)
            if old is None or w < old["spectra_wall"]:
                best[name] = {"spectra_wall": w, "spectra_cpu": c, "evaluate_wall": ew, "evaluate_cpu": ec, "ev": ev}
    ex, ra = best["exact"]["ev"], best["randomized"]["ev"]
    widths = [m["certified"].sigma1[1] / m["certified"].sigma1[0] for m in ra.spectra.info]

    def ledent(ev):
        return next(
            b["log10_value"]
            for b in ev.bounds
            if b["family"] == "ledent2025" and b["mode"] == "dominant" and b["p"] == 1.0
        )

    out = {
        "matrices": "8 x float32 4096 x 1024",
        "k": args.k,
        **{
            f"{what}_{name}": best[name][what]
            for name in best
            for what in ("spectra_wall", "spectra_cpu", "evaluate_wall", "evaluate_cpu")
        },
        "spectra_wall_ratio": best["randomized"]["spectra_wall"] / best["exact"]["spectra_wall"],
        "spectra_cpu_ratio": best["randomized"]["spectra_cpu"] / best["exact"]["spectra_cpu"],
        "evaluate_wall_ratio": best["randomized"]["evaluate_wall"] / best["exact"]["evaluate_wall"],
        "sigma1_interval_max_ratio": max(widths),
        "ledent_p1_bound_ratio": 10 ** (ledent(ra) - ledent(ex)),
    }
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(
            f"randomized (k = {args.k}) / exact on 8 float32 4096 x 1024 matrices: spectra wall "
            f"{out['spectra_wall_ratio']:.3f} ({best['randomized']['spectra_wall']:.2f} s / "
            f"{best['exact']['spectra_wall']:.2f} s), CPU {out['spectra_cpu_ratio']:.3f}; whole evaluate wall "
            f"{out['evaluate_wall_ratio']:.3f}; sigma_1 intervals within x{out['sigma1_interval_max_ratio']:.4f}; "
            f"ledent2025 dominant p = 1 bound from intervals / exact = {out['ledent_p1_bound_ratio']:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
