"""Wall time of ``schattheory check --all`` (target: < 10 minutes on a 2-core machine; a benchmark, not a test).

Runs the CLI as a user does (a fresh interpreter, ``python3 -m schattheory check --all --json``) with the default
budget per statement, and reports the wall and CPU time, the counts (refuted / survived / unchecked) and the five
slowest statements. Exit status 1 if anything is refuted (a false alarm or a false registered statement: read it).

Measured (2 cores shared with up to 8 other jobs, 76 statements): default budget 5 s per statement, 145 s wall
(37 s CPU: the search budget is wall time, so a busy machine gets fewer points, not a longer run); budget 2 s,
98 s wall. Both: 0 refuted, 20 survived, 56 unchecked.

Run: python3 benchmarks/bench_check.py [--budget SECONDS]
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--budget", default=None, help="seconds per statement (default: the command's)")
    args = ap.parse_args()
    cmd = [sys.executable, "-m", "schattheory", "check", "--all", "--json"]
    if args.budget:
        cmd += ["--budget", args.budget]
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        print(proc.stderr, file=sys.stderr)
        return 2
    out = json.loads(proc.stdout)
    slow = sorted(out["verdicts"], key=lambda v: -v["seconds"])[:5]
    print("| what | value |\n|---|---|")
    print(f"| `check --all` wall time | {wall:.1f} s (target < 600 s) |")
    print(f"| CPU time | {kids.ru_utime + kids.ru_stime:.1f} s |")
    print(f"| budget per statement | {out['budget_s']} s |")
    print(
        f"| refuted / survived / unchecked | {out['counts']['refuted']} / {out['counts']['survived']} / "
        f"{out['counts']['unchecked']} |"
    )
    print("| slowest | " + ", ".join(f"{v['key']} {v['seconds']:.1f} s" for v in slow) + " |")
    return 1 if out["counts"]["refuted"] else 0


if __name__ == "__main__":
    sys.exit(main())
