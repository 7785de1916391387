"""Run every ``benchmarks/bench_*.py`` script, one after another, and report their output.

Usage: ``python3 benchmarks/run_all.py [--json] [--only SUBSTRING]``. With ``--json`` each script is run with
``--json`` and the combined results are printed as one JSON object keyed by script name (the convention: every
bench script accepts ``--json`` and then prints exactly one JSON object on stdout). Benchmarks report ratios; they do
not gate anything, so the exit code is non-zero only when a script itself fails.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def scripts(only: str = "") -> list[Path]:
    return sorted(p for p in HERE.glob("bench_*.py") if only in p.name)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="collect every script's JSON output into one object")
    parser.add_argument("--only", default="", help="run only scripts whose file name contains this")
    args = parser.parse_args(argv)
    found = scripts(args.only)
    if not found:
        print(f"run_all: error: no benchmarks/bench_*.py matches --only={args.only!r}", file=sys.stderr)
        return 2
    results, failed = {}, []
    for path in found:
        print(f"== {path.name}", file=sys.stderr)
        start = time.perf_counter()
        run = subprocess.run(
            [sys.executable, str(path)] + (["--json"] if args.json else []),
            capture_output=True,
            text=True,
            cwd=HERE.parent,
        )
        took = time.perf_counter() - start
        sys.stderr.write(run.stderr)
        if run.returncode:
            failed.append(path.name)
            print(f"run_all: {path.name} exited with {run.returncode}", file=sys.stderr)
            continue
        if args.json:
            try:
                results[path.stem] = json.loads(run.stdout)
            except json.JSONDecodeError:
                failed.append(path.name)
                print(f"run_all: {path.name} did not print one JSON object with --json", file=sys.stderr)
        else:
            print(f"## {path.stem} ({took:.0f} s)\n\n{run.stdout.rstrip()}\n")
    if args.json:
        print(json.dumps(results, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
