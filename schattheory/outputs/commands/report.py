"""`schattheory report [--out DIR] [--model F [--data F [--margin G]]]`: the main job, in one directory.

Runs the claims audit, derives the main theorem and its p -> 0, 1, oo forms, evaluates every bound on the bundled
digits network (or on ``--model``/``--data``), prints a short summary, and writes DIR/report.md, report.json, PNG
figures (with matplotlib) and latex/ (compiled to PDF where pdflatex exists). Progress goes to stderr; DIR is
replaced only when everything was written.
"""

from __future__ import annotations


def add_parser(sub):
    p = sub.add_parser("report", help="audit the claims, derive the main theorem, evaluate every bound on a network")
    p.add_argument(
        "--out",
        default="schattheory-report",
        metavar="DIR",
        help="output directory (default ./schattheory-report; a previous report there is replaced)",
    )
    p.add_argument(
        "--model", metavar="F", help="weights .npz (<layer>.weight (out, in)); default: the bundled digits network"
    )
    p.add_argument("--data", metavar="F", help="data statistics .json (bundled format) or .npz with X and y")
    p.add_argument(
        "--margin",
        type=float,
        metavar="G",
        help="margin gamma for --data FILE.npz (default: the "
        "largest gamma whose margin loss exceeds the training error by at most 1 point)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty directory schattheory did not make "
        "(adds the report's files, replacing same-named ones; nothing else there is touched)",
    )
    p.add_argument("--no-figures", action="store_true", help="skip the PNG figures")
    p.add_argument("--no-latex", action="store_true", help="skip the LaTeX document and its PDF")
    p.set_defaults(run=run)


def run(args) -> int:
    from schattheory.outputs.report.builder import build_report

    result = build_report(
        args.out,
        args.model,
        args.data,
        margin=args.margin,
        figures=not args.no_figures,
        latex=not args.no_latex,
        force=args.force,
    )
    print(f"schattheory report -> {result.out}/report.md")
    for line in result.summary_lines():
        print(f"  {line}")
    missing = [s.title for s in result.sections if not s.available]
    if missing:
        print(f"  unavailable here: {', '.join(missing)} (see the report for why)")
    return 0
