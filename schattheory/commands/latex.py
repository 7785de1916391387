"""`schattheory latex --out DIR [--keys ...] [--no-compile]`: a standalone LaTeX document (and its PDF).

Without ``--keys``: the main theorem, the lemmas it rests on, the sample-complexity comparison table and the
claims-audit table. With ``--keys``: those registered statements (exact keys, or prefixes ending in '.' or '*') and
the lemmas they rest on. ``--results NAME=FILE.json`` adds a table of the bounds evaluated on a network (the JSON
of ``schattheory evaluate --json``). Writes DIR/NAME.tex and DIR/refs.bib, and DIR/NAME.pdf when pdflatex is on
the PATH; everything is produced in a temporary directory first, so a failure leaves DIR as it was.
"""
from __future__ import annotations

import sys


def add_parser(sub):
    p = sub.add_parser("latex", help="write a standalone LaTeX document (compiled to PDF when pdflatex exists)")
    p.add_argument("--out", required=True, metavar="DIR", help="output directory (created if missing)")
    p.add_argument("--keys", nargs="+", metavar="KEY", help="registered statements to include (default: the "
                   "main theorem, its lemmas, the comparison and claims tables)")
    p.add_argument("--no-compile", action="store_true", help="write the .tex and refs.bib only")
    p.add_argument("--name", default="schattheory", help="base name of the .tex/.pdf (default: schattheory)")
    p.add_argument("--notation", action="append", default=[], metavar="ROLE=LATEX",
                   help="switch a letter or macro, e.g. width=h, depth=D, schatten='\\|#1\\|_{S_{#2}}' (repeatable)")
    p.add_argument("--expanded", action="store_true", help="write expanded LaTeX instead of the notation macros")
    p.add_argument("--bibliography", choices=("inline", "bibtex"), default="inline",
                   help="inline thebibliography block (default, no BibTeX run) or BibTeX with refs.bib")
    p.add_argument("--results", action="append", default=[], metavar="NAME=FILE.json",
                   help="add a table of bounds evaluated on a network: the JSON of `schattheory evaluate --json` "
                        "(an object with a 'bounds' list of {key, mode, p, value, log10_value}) (repeatable)")
    p.add_argument("--max-overfull", type=float, default=None, metavar="PT",
                   help="fail when an overfull box is wider than PT points (default: report them only)")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..latex.compile import pdflatex_available
    from ..latex.document import build_document, write_document
    from ..latex.notation import current, parse_assignments

    notation = current().switch(**parse_assignments(args.notation))
    networks = dict(load_results(item) for item in args.results)
    doc = build_document(args.keys, notation=notation, name=args.name, bibliography=args.bibliography,
                         macros=not args.expanded, network_results=networks)
    compile_ = not args.no_compile and pdflatex_available()
    if not args.no_compile and not compile_:
        print("schattheory latex: pdflatex is not on the PATH; writing the .tex without compiling "
              "(install texlive-latex-base texlive-latex-recommended)", file=sys.stderr)
    written = write_document(doc, args.out, compile=compile_, overfull_threshold=args.max_overfull)
    for warning in written.warnings:
        print(f"schattheory latex: warning: {warning}", file=sys.stderr)
    for path in (written.tex, written.bib, written.pdf):
        if path is not None:
            print(path)
    return 0


def load_results(item: str):
    """``NAME=FILE.json`` -> (NAME, rows): the bounds of an evaluation (``schattheory evaluate --json``)."""
    import json
    from pathlib import Path

    from ..errors import InputError

    name, sep, path = item.partition("=")
    if not sep or not name.strip() or not path.strip():
        raise InputError("--results", item, "expected NAME=FILE.json")
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("--results", path, "no such file") from None
    except (OSError, ValueError) as exc:
        raise InputError("--results", path, f"is not readable JSON ({exc.__class__.__name__})") from None
    rows = data.get("bounds") if isinstance(data, dict) else data
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) and "key" in r and "log10_value" in r
                                                         for r in rows):
        raise InputError("--results", path, "needs a non-empty 'bounds' list of objects with key and log10_value")
    return name.strip(), rows
