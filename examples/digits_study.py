#!/usr/bin/env python3
"""Digits study: weight decay, depth and the bottleneck rank of ReLU MLPs, with every bound evaluated.

Trains fully-connected ReLU networks on scikit-learn's bundled ``digits`` data set (8x8 images, 1797 samples, no
download) over a sweep of weight decay and depth, with a fixed seed, and records per layer the singular values,
rank proxies sum_i (sigma_i/sigma_1)^p and numerical ranks (the bottleneck-rank picture of Ledent, Alves, Lei
2025, abstract), the true test error, and every neural-network bound registered in schattheory (dominant and
explicit forms, per-layer p optimised) through :mod:`schattheory.outputs.report.network`.

Training is a small full-batch NumPy loop (gradient descent with heavy-ball momentum 0.9 on mean cross-entropy +
(lambda/2) sum_l ||A_l||_F^2, biases not decayed), not ``sklearn.neural_network.MLPClassifier``. Why:

- every step is ours and deterministic (no shuffling, no early stopping, no tolerance-based stop), with BLAS on one
  thread (threadpoolctl), since the thread count changes the last bits of every product;
- it is stable under rounding: a 1e-12 relative change of the data moved the final weights of the bundled
  configuration by ~1e-9 (relative), whereas the same loop with Adam (and so MLPClassifier's default solver)
  amplified it to ~20 percent, which would make the bundled network irreproducible on another CPU;
- the penalty is exactly the weight decay whose link to Schatten quasi-norms the paper invokes (sklearn's ``alpha``
  is divided by the batch size); weights come out in torch orientation (out, in) with biases kept;
- the only thing taken from scikit-learn is the data, so the result depends on NumPy's ``default_rng`` stream, the
  BLAS kernel and the digits file; the reproduction test checks all three.

Usage::

    python3 examples/digits_study.py --out digits-results                # default sweep, a minute or two on 2 cores
    python3 examples/digits_study.py --out big --depths 2 3 4 5 6 \\
        --weight-decays 0 1e-4 1e-3 3e-3 1e-2 3e-2 --width 128 --steps 4000
    python3 examples/digits_study.py --write-bundled schattheory/data    # regenerate the bundled default network

Writes ``results.json`` (everything), ``runs.csv`` (one row per trained network), ``layers.csv`` (one row per
layer), ``bounds.csv`` (one row per bound, mode and p) and ``summary.md`` into the output directory.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import io
import json
import math
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

_REPO = Path(__file__).resolve().parent.parent
if (_REPO / "schattheory" / "__init__.py").exists() and str(_REPO) not in sys.path:
    sys.path.insert(0, str(_REPO))  # run from a checkout without installing

#: the default sweep (small enough for a few minutes on 2 cores)
DEFAULTS = {
    "depths": (2, 3, 4),
    "weight_decays": (0.0, 1e-3, 1e-2),
    "width": 64,
    "steps": 3000,
    "lr": 0.02,
    "seed": 0,
    "n_train": 1200,
}
#: the network shipped in schattheory/data/ (one point of the default sweep)
BUNDLED = {"depth": 4, "width": 64, "weight_decay": 1e-2, "steps": 3000, "lr": 0.02, "seed": 0, "n_train": 1200}
#: heavy-ball momentum of the full-batch gradient descent
MOMENTUM = 0.9


def progress(msg: str) -> None:
    print(f"[digits] {msg}", file=sys.stderr, flush=True)


# ---- data --------------------------------------------------------------------------------------------------------
def load_digits_split(seed: int = 0, n_train: int = 1200):
    """Pixels scaled to [0, 1] (x / 16), split by a seeded permutation: (X_train, y_train, X_test, y_test, digest)."""
    try:
        from sklearn.datasets import load_digits
    except ImportError as exc:  # the experiment is the only place that needs scikit-learn
        raise SystemExit("the digits study needs scikit-learn: pip install 'schattheory[experiment]'") from exc
    digits = load_digits()
    X = np.asarray(digits.data, dtype=np.float64) / 16.0
    y = np.asarray(digits.target, dtype=np.int64)
    digest = hashlib.sha256(X.tobytes() + y.tobytes()).hexdigest()
    perm = np.random.default_rng(seed).permutation(len(y))
    tr, te = perm[:n_train], perm[n_train:]
    return X[tr], y[tr], X[te], y[te], digest


# ---- model -------------------------------------------------------------------------------------------------------
def forward(weights, biases, X):
    """Logits of the ReLU MLP x -> A_L relu(... relu(A_1 x + b_1) ...) + b_L; weights are (out, in)."""
    h = X
    for i, (A, b) in enumerate(zip(weights, biases)):
        h = h @ A.T + b
        if i < len(weights) - 1:
            h = np.maximum(h, 0.0)
    return h


def margins(logits, y):
    """f_y(x) - max_{j != y} f_j(x) per sample (negative where the prediction is wrong)."""
    idx = np.arange(len(y))
    true = logits[idx, y]
    other = logits.copy()
    other[idx, y] = -np.inf
    return true - other.max(axis=1)


def single_thread_blas():
    """Run BLAS on one thread: results then do not depend on the thread count (and it is faster for these
    small matrices on a busy 2-core machine). Uses threadpoolctl (a scikit-learn dependency) when present."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def blas_info() -> dict:
    """NumPy's BLAS (and the CPU kernel it chose): it decides the last bits of every matrix product."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return {}
    libs = [lib for lib in threadpool_info() if lib.get("user_api") == "blas"]
    mine = [lib for lib in libs if "numpy" in str(lib.get("filepath", ""))] or libs
    return {k: mine[0].get(k) for k in ("internal_api", "version", "architecture")} if mine else {}


def train_mlp(
    X, y, *, depth: int, width: int, weight_decay: float, steps: int, lr: float, seed: int, num_classes: int = 10
):
    """Full-batch gradient descent with heavy-ball momentum on mean cross-entropy + (weight_decay/2) sum ||A_l||_F^2.

    He-normal initialisation from ``default_rng(seed)``, zero biases (not decayed).

    Returns (weights, biases, final objective); weights in torch orientation (out, in). BLAS runs on one thread.
    """
    with single_thread_blas():
        return _train(
            X,
            y,
            depth=depth,
            width=width,
            weight_decay=weight_decay,
            steps=steps,
            lr=lr,
            seed=seed,
            num_classes=num_classes,
        )


def _train(X, y, *, depth, width, weight_decay, steps, lr, seed, num_classes):
    rng = np.random.default_rng(seed)
    dims = [X.shape[1]] + [width] * (depth - 1) + [num_classes]
    weights = [rng.standard_normal((dims[i + 1], dims[i])) * math.sqrt(2.0 / dims[i]) for i in range(depth)]
    biases = [np.zeros(dims[i + 1]) for i in range(depth)]
    params = weights + biases
    velocity = [np.zeros_like(q) for q in params]
    n = len(y)
    onehot = np.eye(num_classes)[y]
    objective = float("nan")
    for t in range(1, steps + 1):
        acts = [X]
        h = X
        for i in range(depth):
            h = h @ weights[i].T + biases[i]
            if i < depth - 1:
                h = np.maximum(h, 0.0)
            acts.append(h)
        z = acts[-1] - acts[-1].max(axis=1, keepdims=True)
        prob = np.exp(z)
        prob /= prob.sum(axis=1, keepdims=True)
        if t == steps:
            ce = -float(np.mean(np.log(prob[np.arange(n), y] + 1e-300)))
            objective = ce + 0.5 * weight_decay * sum(float(np.sum(A * A)) for A in weights)
        g = (prob - onehot) / n
        gw, gb = [None] * depth, [None] * depth
        for i in reversed(range(depth)):
            gw[i] = g.T @ acts[i] + weight_decay * weights[i]
            gb[i] = g.sum(axis=0)
            if i > 0:
                g = (g @ weights[i]) * (acts[i] > 0)
        for j, (q, gq) in enumerate(zip(params, gw + gb)):
            velocity[j] = MOMENTUM * velocity[j] - lr * gq  # heavy ball
            q += velocity[j]
    return weights, biases, objective


# ---- what is recorded --------------------------------------------------------------------------------------------
def layer_record(name: str, A) -> dict:
    """Spectrum, norms, rank proxies, numerical rank and relative-threshold ranks of one layer (report's layer_row)."""
    from schattheory.foundation.netstats import LayerStats
    from schattheory.outputs.report.network import layer_row

    lay = LayerStats.from_matrix(name, A)
    return {**layer_row(lay), "sigma": [float(s) for s in lay.sigma]}


def data_statistics(X, logits, y, train_error: float, weights=None, biases=None) -> dict:
    """n, B = max ||x||_2, ||X||_F, all training margins, the margin gamma chosen by the accuracy-drop rule
    (:mod:`schattheory.outputs.report.margins`) and the activation norms B_(l-1,A) entering each layer."""
    from schattheory.outputs.report.margins import ACCURACY_DROP, RULE_TEXT, activation_norms, margin_for_accuracy_drop

    marg = margins(logits, y)
    gamma, loss = margin_for_accuracy_drop(marg, train_error)
    out = {
        "n": int(len(y)),
        "input_norm": float(np.max(np.linalg.norm(X, axis=1))),
        "data_frobenius": float(np.linalg.norm(X)),
        "num_classes": int(logits.shape[1]),
        "margin": gamma,
        "margin_loss": loss,
        "margin_rule": RULE_TEXT.format(drop=ACCURACY_DROP),
        "min_margin": float(np.min(marg)),
        "median_margin": float(np.median(marg)),
    }
    if weights is not None:
        out["activation_norms"] = activation_norms(weights, biases, X)
    out["margins"] = [float(v) for v in marg]
    return out


def run_one(data, *, depth, width, weight_decay, steps, lr, seed, bounds=True) -> dict:
    """Train one network and record everything about it."""
    Xtr, ytr, Xte, yte, digest = data
    t0 = time.perf_counter()
    weights, biases, objective = train_mlp(
        Xtr, ytr, depth=depth, width=width, weight_decay=weight_decay, steps=steps, lr=lr, seed=seed
    )
    seconds = time.perf_counter() - t0
    logits_tr = forward(weights, biases, Xtr)
    train_error = float(np.mean(logits_tr.argmax(axis=1) != ytr))
    test_error = float(np.mean(forward(weights, biases, Xte).argmax(axis=1) != yte))
    run = {
        "config": {
            "depth": depth,
            "width": width,
            "weight_decay": weight_decay,
            "steps": steps,
            "lr": lr,
            "seed": seed,
            "n_train": len(ytr),
        },
        "train_error": train_error,
        "test_error": test_error,
        "objective": objective,
        "train_seconds": round(seconds, 3),
        "layers": [layer_record(f"fc{i + 1}", A) for i, A in enumerate(weights)],
        "data": data_statistics(Xtr, logits_tr, ytr, train_error, weights, biases),
    }
    run["weights"], run["biases"] = weights, biases
    if bounds:
        run["bounds"], run["bounds_status"] = evaluate_bounds(weights, run["data"])
    return run


def evaluate_bounds(weights, data: dict):
    """Every registered bound on this network, via the report's network section (the bound families' API).

    Returns (rows, status): rows are dicts with key, family, mode, p, value, log10_value; status says what was
    available.
    """
    from schattheory.data import data_stats
    from schattheory.foundation.netstats import LayerStats, NetworkStats
    from schattheory.outputs.report import network as net_section

    stats = NetworkStats(
        tuple(LayerStats.from_matrix(f"fc{i + 1}", A) for i, A in enumerate(weights)),
        data_stats(data),
        extras={"activation_norms": data.get("activation_norms")},
    )
    result = net_section.evaluate_stats(stats, curves=False)
    return result.bounds, result.status


def versions() -> dict:
    import numpy

    out = {
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "blas": blas_info(),
        "platform": platform.platform(),
    }
    try:
        import sklearn

        out["scikit-learn"] = sklearn.__version__
    except ImportError:
        out["scikit-learn"] = None
    return out


def rng_fingerprint(seed: int) -> list:
    """The first draws of default_rng(seed): if NumPy's stream changed, reproduction cannot be expected."""
    return [float(v) for v in np.random.default_rng(seed).standard_normal(4)]


# ---- outputs -----------------------------------------------------------------------------------------------------
def _public(run: dict) -> dict:
    return {k: v for k, v in run.items() if k not in ("weights", "biases")}


def _csv(rows, fields) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for row in rows:
        w.writerow(row)
    return buf.getvalue()


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def best_rows(bounds):
    """Per (key, mode) the row with the smallest log10 value (the best p for families indexed by p)."""
    best = {}
    for row in bounds:
        k = (row["key"], row["mode"])
        if row.get("log10_value") is not None and (k not in best or row["log10_value"] < best[k]["log10_value"]):
            best[k] = row
    return sorted(best.values(), key=lambda r: r["log10_value"])


def _versions_text(v: dict) -> str:
    blas = v.get("blas") or {}
    blas_txt = (
        f"{blas.get('internal_api', '?')} {blas.get('version', '?')} ({blas.get('architecture', '?')})"
        if blas
        else "unknown BLAS"
    )
    return f"Python {v.get('python')}, NumPy {v.get('numpy')}, {blas_txt}, scikit-learn {v.get('scikit-learn')}"


def _best(bounds, key, mode):
    rows = [r for r in bounds if r["key"] == key and r["mode"] == mode]
    return min(rows, key=lambda r: r["log10_value"]) if rows else None


def _val(row) -> str:
    if row is None:
        return "n/a"
    return f"{row['value']:.3g}" if row.get("value") is not None else f"10^{row['log10_value']:.1f}"


NORM_BASED = ("bartlett2017.dominant", "golowich2018.dominant", "neyshabur2018.dominant", "pinto2024.dominant")


def summary_markdown(results: dict) -> str:
    lines = [
        "# Digits study",
        "",
        f"ReLU MLPs on scikit-learn's digits ({results['n_train']} training / {results['n_test']} test images), "
        f"width {results['sweep']['width']}, {results['sweep']['steps']} full-batch gradient steps (momentum "
        f"{MOMENTUM}, lr {results['sweep']['lr']}), seed {results['sweep']['seed']}. "
        f"Versions: {_versions_text(results['versions'])}.",
        "",
        "## Runs: the bottleneck rank",
        "",
        "| depth | weight decay | train err | test err | margin gamma | ranks at sigma > 1e-2 sigma_1 "
        "| rank proxy p=0.5 | stable rank |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for run in results["runs"]:
        c = run["config"]
        ranks = " ".join(str(lay["rank_rel0.01"]) for lay in run["layers"])
        prox = " ".join(f"{lay['rank_proxy_p0.5']:.1f}" for lay in run["layers"])
        srank = " ".join(f"{lay['stable_rank']:.2f}" for lay in run["layers"])
        lines.append(
            f"| {c['depth']} | {c['weight_decay']:g} | {run['train_error']:.4f} | {run['test_error']:.4f} | "
            f"{run['data']['margin']:.3g} | {ranks} | {prox} | {srank} |"
        )
    lines += [
        "",
        "Ranks, rank proxies and stable ranks are listed layer by layer (first layer first).",
        "",
        "## Bounds (each bounds test error minus training margin loss)",
        "",
    ]
    for st in sorted({run.get("bounds_status", "") for run in results["runs"]}):
        if st:
            lines.append(f"- {st}")
    if any(run.get("bounds") for run in results["runs"]):
        lines += [
            "",
            "Dominant forms (constants and logs dropped, the paper's comparison) and the tightest explicit "
            "bound. Main = ledent2025.fc (W_l = 1); best p per layer, then the same p for every layer.",
            "",
            "| depth | weight decay | main, best p per layer | main p=0.5 | p=1 | p=2 | parameter counting | "
            "best norm-based | loss-augmented, best p | tightest explicit |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for run in results["runs"]:
            b = run.get("bounds") or []
            if not b:
                continue
            c = run["config"]
            fixed = {r["p"]: r for r in b if r["key"] == "ledent2025.fc.dominant" and r.get("p_rule") == "fixed"}
            norm = [x for x in (_best(b, k, "dominant") for k in NORM_BASED) if x]
            nb = min(norm, key=lambda r: r["log10_value"]) if norm else None
            expl = [r for r in b if r["mode"] == "explicit"]
            te = min(expl, key=lambda r: r["log10_value"]) if expl else None
            lines.append(
                f"| {c['depth']} | {c['weight_decay']:g} | "
                f"{_val(_best(b, 'ledent2025.fc.dominant', 'dominant'))}"
                f" | {_val(fixed.get(0.5))} | {_val(fixed.get(1.0))} | {_val(fixed.get(2.0))} | "
                f"{_val(_best(b, 'counting.dominant', 'dominant'))} | "
                f"{_val(nb)}{' (' + nb['key'].split('.')[0] + ')' if nb else ''} | "
                f"{_val(_best(b, 'ledent2025.loss_augmented.dominant', 'dominant'))} | "
                f"{_val(te)}{' (' + te['key'] + ')' if te else ''} |"
            )
    for run in results["runs"]:
        rows = best_rows(run.get("bounds") or [])
        if not rows:
            continue
        c = run["config"]
        lines += [
            "",
            f"### depth {c['depth']}, weight decay {c['weight_decay']:g} (test error {run['test_error']:.4f})",
            "",
            "| bound | mode | p | value | log10 |",
            "|---|---|---|---|---|",
        ]
        for row in rows:
            p = row.get("p")
            ptxt = "-" if p is None else (", ".join(f"{x:.3g}" for x in p) if isinstance(p, list) else f"{p:g}")
            lines.append(f"| {row['key']} | {row['mode']} | {ptxt} | {_val(row)} | {row['log10_value']:.3f} |")
    return "\n".join(lines) + "\n"


def write_results(results: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    runs = results["runs"]
    _atomic_write(out / "results.json", json.dumps(results, indent=1))
    run_rows = [
        {
            **r["config"],
            "train_error": r["train_error"],
            "test_error": r["test_error"],
            "margin": r["data"]["margin"],
            "margin_loss": r["data"]["margin_loss"],
            "min_margin": r["data"]["min_margin"],
            "objective": r["objective"],
        }
        for r in runs
    ]
    _atomic_write(out / "runs.csv", _csv(run_rows, list(run_rows[0]) if run_rows else ["depth"]))
    from schattheory.outputs.report.network import P_GRID, RANK_TOLS

    lay_fields = (
        [
            "depth",
            "weight_decay",
            "name",
            "shape",
            "spectral",
            "frobenius",
            "nuclear",
            "stable_rank",
            "effective_rank",
            "rank",
        ]
        + [f"rank_rel{t:g}" for t in RANK_TOLS]
        + [f"rank_proxy_p{p:g}" for p in P_GRID]
        + ["norm21"]
    )
    lay_rows = [
        {
            "depth": r["config"]["depth"],
            "weight_decay": r["config"]["weight_decay"],
            **lay,
            "shape": "x".join(map(str, lay["shape"])),
        }
        for r in runs
        for lay in r["layers"]
    ]
    _atomic_write(out / "layers.csv", _csv(lay_rows, lay_fields))
    b_fields = ["depth", "weight_decay", "key", "mode", "p", "value", "log10_value"]
    b_rows = [
        {"depth": r["config"]["depth"], "weight_decay": r["config"]["weight_decay"], **b}
        for r in runs
        for b in (r.get("bounds") or [])
    ]
    _atomic_write(out / "bounds.csv", _csv(b_rows, b_fields))
    _atomic_write(out / "summary.md", summary_markdown(results))


def run_sweep(*, depths, weight_decays, width, steps, lr, seed, n_train, bounds=True) -> dict:
    data = load_digits_split(seed, n_train)
    runs = []
    total = len(depths) * len(weight_decays)
    for depth in depths:
        for wd in weight_decays:
            progress(f"run {len(runs) + 1}/{total}: depth {depth}, weight decay {wd:g}")
            runs.append(
                _public(
                    run_one(
                        data, depth=depth, width=width, weight_decay=wd, steps=steps, lr=lr, seed=seed, bounds=bounds
                    )
                )
            )
    return {
        "sweep": {
            "depths": list(depths),
            "weight_decays": list(weight_decays),
            "width": width,
            "steps": steps,
            "lr": lr,
            "seed": seed,
        },
        "n_train": int(len(data[1])),
        "n_test": int(len(data[3])),
        "data_sha256": data[4],
        "versions": versions(),
        "runs": runs,
    }


# ---- the bundled default network ---------------------------------------------------------------------------------
def bundled_run(config: dict = BUNDLED) -> dict:
    """Train the bundled configuration (no bound evaluation): the run the bundled files are made from."""
    data = load_digits_split(config["seed"], config["n_train"])
    run = run_one(
        data,
        depth=config["depth"],
        width=config["width"],
        weight_decay=config["weight_decay"],
        steps=config["steps"],
        lr=config["lr"],
        seed=config["seed"],
        bounds=False,
    )
    run["data_sha256"] = data[4]
    return run


def write_bundled(out: Path, config: dict = BUNDLED) -> None:
    """Write digits_mlp.npz (fcK.weight (out, in), fcK.bias) and digits_mlp.json (data statistics, provenance)."""
    from schattheory.data import MODEL_FILE, STATS_FILE

    run = bundled_run(config)
    out.mkdir(parents=True, exist_ok=True)
    arrays = {}
    for i, (A, b) in enumerate(zip(run["weights"], run["biases"])):
        arrays[f"fc{i + 1}.weight"] = A
        arrays[f"fc{i + 1}.bias"] = b
    tmp = out / f".{MODEL_FILE}.tmp.npz"
    np.savez(tmp, **arrays)
    os.replace(tmp, out / MODEL_FILE)
    meta = {
        "description": "ReLU MLP trained on scikit-learn's digits by examples/digits_study.py (bundled config)",
        "config": run["config"],
        "train_error": run["train_error"],
        "test_error": run["test_error"],
        "objective": run["objective"],
        "data": run["data"],
        "data_sha256": run["data_sha256"],
        "data_preprocessing": "pixels / 16, seeded permutation split (numpy default_rng(seed).permutation)",
        "versions": versions(),
        "rng_fingerprint": rng_fingerprint(config["seed"]),
        "model_sha256": hashlib.sha256(b"".join(arrays[k].tobytes() for k in sorted(arrays))).hexdigest(),
        "orientation": "torch (out, in); activation relu between layers; biases applied",
    }
    _atomic_write(out / STATS_FILE, json.dumps(meta, indent=1) + "\n")
    progress(f"wrote {out / MODEL_FILE} and {out / STATS_FILE} (test error {run['test_error']:.4f})")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path("digits-results"), help="output directory")
    ap.add_argument("--depths", type=int, nargs="+", default=list(DEFAULTS["depths"]), help="weight layers")
    ap.add_argument("--weight-decays", type=float, nargs="+", default=list(DEFAULTS["weight_decays"]))
    ap.add_argument("--width", type=int, default=DEFAULTS["width"])
    ap.add_argument("--steps", type=int, default=DEFAULTS["steps"])
    ap.add_argument("--lr", type=float, default=DEFAULTS["lr"])
    ap.add_argument("--seed", type=int, default=DEFAULTS["seed"])
    ap.add_argument("--n-train", type=int, default=DEFAULTS["n_train"])
    ap.add_argument("--no-bounds", action="store_true", help="record spectra and errors only")
    ap.add_argument(
        "--write-bundled",
        type=Path,
        metavar="DIR",
        help="train the bundled configuration and write its files into DIR, then exit",
    )
    args = ap.parse_args(argv)
    if args.write_bundled:
        write_bundled(args.write_bundled)
        return 0
    bad = [d for d in args.depths if d < 1] + [w for w in args.weight_decays if not w >= 0]
    if bad or args.width < 1 or args.steps < 1 or not 0 < args.n_train < 1797:
        ap.error("bad sweep setting: depths >= 1, weight decays >= 0, width, steps >= 1, 0 < n-train < 1797")
    results = run_sweep(
        depths=args.depths,
        weight_decays=args.weight_decays,
        width=args.width,
        steps=args.steps,
        lr=args.lr,
        seed=args.seed,
        n_train=args.n_train,
        bounds=not args.no_bounds,
    )
    write_results(results, args.out)
    progress(f"wrote {args.out}/results.json, runs.csv, layers.csv, bounds.csv, summary.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
