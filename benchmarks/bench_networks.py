"""Benchmark `schattheory evaluate` against a bare load-and-svdvals script, in one run, on the same files.

Measures (wall time of whole subprocesses, imports included on both sides; each command run ``--repeat`` times,
interleaved, best time kept so that load from other processes on the machine affects both sides alike):

1. ``schattheory evaluate MODEL --n .. --input-norm .. --margin .. --json`` on 18 float32 matrices (6 blocks of
   768x768, 3072x768, 768x3072, torch orientation, chaining) stored as safetensors, against a bare script that opens
   the same file with ``safe_open`` and calls ``scipy.linalg.svdvals`` on every tensor. Target ratio <= 1.25.
2. The same with ``--method gram``. Target ratio <= 0.5.
3. Peak resident memory (``/usr/bin/time -v``, maximum RSS) of ``schattheory evaluate`` on a ~1 GiB safetensors
   file of 32 float32 layers of 4096x2048 (32 MiB each). Target <= 4 x largest layer + 300 MB.

Measured here (2 shared cores, `--repeat 5 --threads 1`; with the default two BLAS threads, identical runs varied
from 1.7 s to 33 s while other processes loaded the cores, so the default-thread ratios are noise on this machine):

    baseline 1.86 s | evaluate svd 3.17 s (ratio 1.70) | gram 2.16 s (1.16)
    spectra only (no data statistics, so no bound evaluated): svd 1.88 s (1.01) | gram 0.89 s (0.48)
    the difference, about 1.3 s per process, is the bound module's set-up: SymPy import 0.18 s, bound family
    modules 0.38 s, registry.load_all reached through the provenance-status lookup 0.69 s, first log-space
    rewrite + lambdify of every family 0.60 s (a second evaluation of everything takes 0.004 s)
    peak RSS on the 1 GiB file: svd 161 MiB, gram 162 MiB (limit 428 MiB); the bare script 1154 MiB (its safe_open
    handle keeps every mapped page resident)

Usage: python3 benchmarks/bench_networks.py [--repeat 3] [--threads N] [--skip-memory] [--memory-methods gram,svd]
       [--keep DIR]
Prints a table and a JSON line with every figure. WeightWatcher needs torch, which is not installable here, so it
is not measured by this script.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BASELINE = """
import sys
import scipy.linalg
from safetensors import safe_open
with safe_open(sys.argv[1], framework="numpy") as f:
    for name in f.keys():
        scipy.linalg.svdvals(f.get_tensor(name))
"""


def write_safetensors(path, named_shapes, seed=0, scale=0.02):
    """Stream a float32 safetensors file tensor by tensor (no need to hold the model in memory)."""
    header, offset = {}, 0
    for name, shape in named_shapes:
        size = 4 * int(np.prod(shape))
        header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    rng = np.random.default_rng(seed)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(text)) + text)
        for _name, shape in named_shapes:
            fh.write((rng.standard_normal(shape, dtype=np.float32) * scale).tobytes())
    return path


def transformer_file(directory):
    shapes = []
    for b in range(6):
        shapes += [
            (f"blocks.{b}.attn.weight", (768, 768)),
            (f"blocks.{b}.mlp.fc1.weight", (3072, 768)),
            (f"blocks.{b}.mlp.fc2.weight", (768, 3072)),
        ]
    return write_safetensors(Path(directory) / "transformer18.safetensors", shapes), shapes


def big_file(directory, layers=32, shape=(4096, 2048)):
    # (4096, 2048) then (2048, 4096) alternate, so the layers chain
    shapes = [(f"layers.{i}.weight", shape if i % 2 == 0 else shape[::-1]) for i in range(layers)]
    return write_safetensors(Path(directory) / "big.safetensors", shapes, seed=1), shapes


ENV = dict(os.environ)
DATA = ["--n", "50000", "--input-norm", "10", "--margin", "1"]  # so that the bounds are evaluated too


def wall(cmd) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=ENV)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{proc.stderr}")
    return elapsed


def peak_rss_mb(cmd) -> float:
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd], cwd=ROOT, capture_output=True, text=True, env=ENV)
    if proc.returncode != 0:
        raise SystemExit(f"command failed: {' '.join(map(str, cmd))}\n{proc.stderr[-2000:]}")
    kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1))
    return kb / 1024


def timing(tmp, script, args) -> dict:
    """Wall time of the bare script and of `schattheory evaluate` (svd and gram), interleaved, best of --repeat."""
    py = sys.executable
    model, _ = transformer_file(tmp)
    data = DATA
    cmds = {
        "baseline": [py, str(script), str(model)],
        "evaluate_svd": [py, "-m", "schattheory", "evaluate", str(model), *data, "--json", "--quiet"],
        "evaluate_gram": [
            py,
            "-m",
            "schattheory",
            "evaluate",
            str(model),
            *data,
            "--json",
            "--quiet",
            "--method",
            "gram",
        ],
        "evaluate_svd_no_bounds": [py, "-m", "schattheory", "evaluate", str(model), "--json", "--quiet"],
        "evaluate_gram_no_bounds": [
            py,
            "-m",
            "schattheory",
            "evaluate",
            str(model),
            "--json",
            "--quiet",
            "--method",
            "gram",
        ],
    }
    for cmd in cmds.values():  # warm the page cache and .pyc files
        wall(cmd)
    times = {k: [] for k in cmds}
    for _ in range(args.repeat):
        for k, cmd in cmds.items():
            times[k].append(wall(cmd))
    best = {k: min(v) for k, v in times.items()}
    results = {
        "threads": args.threads,
        "seconds": {k: round(v, 3) for k, v in best.items()},
        "all_seconds": {k: [round(x, 3) for x in v] for k, v in times.items()},
        "ratio_svd": best["evaluate_svd"] / best["baseline"],
        "ratio_gram": best["evaluate_gram"] / best["baseline"],
        "ratio_svd_no_bounds": best["evaluate_svd_no_bounds"] / best["baseline"],
        "ratio_gram_no_bounds": best["evaluate_gram_no_bounds"] / best["baseline"],
    }
    evaluated = json.loads(
        subprocess.run(cmds["evaluate_svd"], cwd=ROOT, capture_output=True, text=True, env=ENV).stdout
    )
    results["bounds_evaluated"] = len(evaluated["bounds"])
    results["bounds_skipped"] = len(evaluated["skipped"])
    probe = (
        "import contextlib, io, sys\nfrom schattheory.outputs import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    cli.main(['evaluate', {str(model)!r}, '--n', '50000', '--input-norm', '10', '--margin', '1', "
        "'--json', '--quiet'])\n"
        "print(sorted(m for m in ('sympy', 'matplotlib', 'pandas', 'torch') if m in sys.modules))"
    )
    results["heavy_modules_imported"] = subprocess.run(
        [py, "-c", probe], cwd=ROOT, capture_output=True, text=True, env=ENV
    ).stdout.strip()
    print(
        f"18 float32 matrices (6 x 768x768, 3072x768, 768x3072), safetensors, best of {args.repeat}, "
        f"BLAS threads: {args.threads or 'default'}:"
    )
    for k, v in best.items():
        print(f"  {k:<24} {v:7.3f} s   (runs: {', '.join(f'{x:.2f}' for x in times[k])})")
    print(f"  ratio evaluate/baseline (svd)  {results['ratio_svd']:.3f}   target <= 1.25")
    print(f"  ratio evaluate/baseline (gram) {results['ratio_gram']:.3f}   target <= 0.5")
    print(
        f"  without data statistics (spectra only, no bound evaluated): svd {results['ratio_svd_no_bounds']:.3f}, "
        f"gram {results['ratio_gram_no_bounds']:.3f}"
    )
    print(
        f"  bounds evaluated {results['bounds_evaluated']}, skipped {results['bounds_skipped']}; "
        f"heavy modules imported by evaluate: {results['heavy_modules_imported']}"
    )
    return results


BREAKDOWN = """
import json, time
t0 = time.perf_counter()
import numpy as np
from schattheory.foundation.netstats import DataStats, LayerStats, NetworkStats
toy = NetworkStats((LayerStats("l", (2, 2), np.array([2.0, 1.0]), 3.0),),
                   DataStats(n=10, input_norm=1.0, data_frobenius=3.0, margin=1.0), extras={"activation_norms": (1.0,)})
out = {}
t = time.perf_counter(); import sympy; out["sympy import"] = time.perf_counter() - t
t = time.perf_counter()
from schattheory.bounds import network as N
for fam in N.network_families():
    N._forms(fam)
out["bound family modules"] = time.perf_counter() - t
t = time.perf_counter(); from schattheory.core import registry; registry.load_all()
out["registry.load_all (reached through the status lookup)"] = time.perf_counter() - t
t = time.perf_counter()
for fam in N.network_families():
    for mode in ("dominant", "explicit"):
        try:
            N.evaluate_network(toy, fam, mode, 1.0 if fam.startswith("ledent") else None)
        except Exception:
            pass
out["first evaluation of every family and mode (log-space rewrite, lambdify)"] = time.perf_counter() - t
t = time.perf_counter()
for fam in N.network_families():
    for mode in ("dominant", "explicit"):
        try:
            N.evaluate_network(toy, fam, mode, 1.0 if fam.startswith("ledent") else None)
        except Exception:
            pass
out["second evaluation of every family and mode"] = time.perf_counter() - t
print(json.dumps(out))
"""


def bound_setup(args) -> dict:
    """Where the bound module's per-process set-up time goes (one fresh process)."""
    proc = subprocess.run([sys.executable, "-c", BREAKDOWN], cwd=ROOT, capture_output=True, text=True, env=ENV)
    if proc.returncode != 0:
        print(f"bound set-up breakdown unavailable: {proc.stderr.strip().splitlines()[-1:]}")
        return {}
    out = json.loads(proc.stdout)
    print("bound module set-up in a fresh process:")
    for k, v in out.items():
        print(f"  {v:6.3f} s  {k}")
    return out


def memory(tmp, script, args) -> dict:
    """Peak RSS of the bare script and of `schattheory evaluate` on a ~1 GiB file."""
    big, shapes = big_file(tmp)
    size_mb = os.path.getsize(big) / 2**20
    largest_mb = max(4 * np.prod(s) for _, s in shapes) / 2**20
    limit = 4 * largest_mb + 300
    results = {
        "file_mib": round(size_mb, 1),
        "layers": len(shapes),
        "largest_layer_mib": round(largest_mb, 1),
        "limit_mib": round(limit, 1),
    }
    print(
        f"memory: {size_mb:.0f} MiB safetensors, {len(shapes)} layers, largest {largest_mb:.0f} MiB, "
        f"limit 4 x largest + 300 = {limit:.0f} MiB"
    )
    base_rss = peak_rss_mb([sys.executable, str(script), str(big)])
    results["baseline_peak_mib"] = round(base_rss, 1)
    print(f"  baseline script peak RSS {base_rss:.0f} MiB")
    for method in [m for m in args.memory_methods.split(",") if m]:
        t0 = time.perf_counter()
        rss = peak_rss_mb(
            [sys.executable, "-m", "schattheory", "evaluate", str(big), *DATA, "--json", "--quiet", "--method", method]
        )
        seconds = time.perf_counter() - t0
        results[f"evaluate_{method}_peak_mib"] = round(rss, 1)
        results[f"evaluate_{method}_seconds"] = round(seconds, 1)
        print(
            f"  evaluate --method {method}: peak RSS {rss:.0f} MiB "
            f"({'within' if rss <= limit else 'OVER'} the limit), {seconds:.0f} s"
        )
    return results


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-timing", action="store_true")
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--memory-methods", default="gram,svd")
    ap.add_argument(
        "--threads",
        type=int,
        help="BLAS threads for every subprocess (OPENBLAS/OMP/MKL_NUM_THREADS); default: the library's own choice",
    )
    ap.add_argument("--keep", help="directory for the generated files (kept); default a temporary directory")
    args = ap.parse_args(argv)
    if args.threads:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            ENV[var] = str(args.threads)
    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench_networks_"))
    tmp.mkdir(parents=True, exist_ok=True)
    results = {}
    try:
        script = tmp / "baseline.py"
        script.write_text(BASELINE)
        if not args.skip_timing:
            results.update(timing(tmp, script, args))
            results["bound_setup_seconds"] = bound_setup(args)
        if not args.skip_memory:
            results["memory"] = memory(tmp, script, args)
        print("WeightWatcher: not measured (needs torch, not installable in this environment)")
        print(json.dumps(results))
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return results


if __name__ == "__main__":
    main()
