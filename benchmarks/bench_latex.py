"""Benchmark the LaTeX side's two hot paths against their plain versions, in one run.

1. Parsing LaTeX back (the round trip): :func:`schattheory.outputs.latex.roundtrip.parse` (ANTLR's SLL prediction,
   full LL only on a syntax error) against ``sympy.parsing.latex.parse_latex`` (full LL), on the printed right-hand
   side of the ``--parse`` longest registered statements; the two results must be equal.
2. Laying out every registered statement (:func:`schattheory.outputs.latex.layout.fit`) with the per-layout memo of
   printed subexpressions against the same search printing afresh each time; the lines must be equal.

Each pair is interleaved ``--repeat`` times and the best of each is kept (CPU time of this process).

Measured here (2 cores, idle; --repeat 3):

    | what                                              | plain   | toolkit | ratio |
    | parse the 6 longest registered statements         | 6.12 s  | 1.76 s  | 0.287 |
    | lay out all 71 registered statements              | 1.43 s  | 0.82 s  | 0.569 |

Usage: python3 benchmarks/bench_latex.py [--repeat 3] [--parse 6] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _cpu(fn):
    start = time.process_time()
    out = fn()
    return time.process_time() - start, out


class _Plain:
    """The layout's notation without the memo: every latex() call prints afresh."""

    def __init__(self, n):
        self._n = n

    def latex(self, expr, **kw):
        return self._n.latex(expr, **kw)

    def __getattr__(self, name):
        return getattr(self._n, name)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="interleaved repetitions, best kept (default 3)")
    parser.add_argument("--parse", type=int, default=6, help="how many of the longest statements to parse (default 6)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.parse < 1:
        print("bench_latex: error: --repeat and --parse must be >= 1", file=sys.stderr)
        return 2

    from sympy.parsing.latex import parse_latex

    from schattheory.core import registry
    from schattheory.foundation.notation import current
    from schattheory.outputs.latex import layout
    from schattheory.outputs.latex.roundtrip import parse, parser_available, unsupported_reason

    if not parser_available():
        print(
            "bench_latex: error: sympy's LaTeX parser needs antlr4-python3-runtime 4.11 (the test extras)",
            file=sys.stderr,
        )
        return 2
    n = current()
    bounds = registry.all_bounds()
    texs = sorted((n.latex(b.expr) for b in bounds if not unsupported_reason(b.expr, n)), key=len, reverse=True)[
        : args.parse
    ]

    def parse_all(fn):
        return [fn(t) for t in texs]

    def layout_all(memo: bool):
        real = layout._Printed
        if not memo:
            layout._Printed = _Plain
        try:
            return [layout.fit(b.expr).lines for b in bounds]
        finally:
            layout._Printed = real

    rows = {"parse": [float("inf"), float("inf")], "layout": [float("inf"), float("inf")]}
    for _ in range(args.repeat):
        t_ll, a = _cpu(lambda: parse_all(parse_latex))
        t_two, b = _cpu(lambda: parse_all(parse))
        if a != b:
            print("bench_latex: error: the two-stage parse differs from parse_latex", file=sys.stderr)
            return 1
        t_plain, la = _cpu(lambda: layout_all(False))
        t_memo, lb = _cpu(lambda: layout_all(True))
        if la != lb:
            print("bench_latex: error: the memo changed a layout", file=sys.stderr)
            return 1
        rows["parse"] = [min(rows["parse"][0], t_ll), min(rows["parse"][1], t_two)]
        rows["layout"] = [min(rows["layout"][0], t_plain), min(rows["layout"][1], t_memo)]

    result = {
        "parse": {"statements": len(texs), "plain_s": rows["parse"][0], "toolkit_s": rows["parse"][1]},
        "layout": {"statements": len(bounds), "plain_s": rows["layout"][0], "toolkit_s": rows["layout"][1]},
    }
    for v in result.values():
        v["ratio"] = v["toolkit_s"] / v["plain_s"]
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print("| what | plain | toolkit | ratio |")
    print("|---|---|---|---|")
    for label, v in (
        (f"parse the {result['parse']['statements']} longest registered statements", result["parse"]),
        (f"lay out all {result['layout']['statements']} registered statements", result["layout"]),
    ):
        print(f"| {label} | {v['plain_s']:.2f} s | {v['toolkit_s']:.2f} s | {v['ratio']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
