"""Wall time of the whole claims audit (target: < 30 s on a 2-core machine).

Measures, in one process: a cold audit (first run: imports, lambdify, SymPy limits), a warm audit (second run), the
CPU time including the forked SymPy-limit workers, and a baseline unit of SymPy work (the symbolic limit of
sin(x)/x plus a lambdify, 10 times) so that runs on different machines can be compared as ratios. Also times the
CLI as a user runs it (``python3 -m schattheory claims --json``, a fresh interpreter).

Run: python3 benchmarks/bench_claims.py
"""

import os
import resource
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))


def cpu():
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def baseline():
    import sympy as sp

    x = sp.Symbol("x")
    t = time.perf_counter()
    for i in range(10):
        sp.limit(sp.sin(x) / x * (i + 1), x, 0)
        sp.lambdify([x], sp.sin(x) + i, "numpy")
    return time.perf_counter() - t


def main():
    t0, c0 = time.perf_counter(), cpu()
    from schattheory.analysis.claims import audit

    results = audit()
    cold, cold_cpu = time.perf_counter() - t0, cpu() - c0
    t1, c1 = time.perf_counter(), cpu()
    audit()
    warm, warm_cpu = time.perf_counter() - t1, cpu() - c1
    base = baseline()
    t2 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "schattheory", "claims", "--json"],
        capture_output=True,
        cwd=os.path.join(os.path.dirname(__file__), ".."),
    )
    cli = time.perf_counter() - t2
    print("per claim (cold):", ", ".join(f"{r.id} {r.seconds:.2f}s" for r in results))
    print(f"cold audit (imports included): {cold:6.2f} s wall, {cold_cpu:6.2f} s CPU")
    print(f"warm audit:                    {warm:6.2f} s wall, {warm_cpu:6.2f} s CPU")
    print(f"CLI `schattheory claims --json` (fresh interpreter): {cli:6.2f} s wall (exit {out.returncode})")
    print(f"baseline (10 x sympy limit + lambdify): {base:6.3f} s; cold audit / baseline = {cold / base:6.1f}")
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print("target: < 30 s:", "met" if max(cold, cli) < 30 else "NOT met")


if __name__ == "__main__":
    main()
