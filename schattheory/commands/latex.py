"""`schattheory latex --out DIR [--keys ...] [--no-compile]`: a standalone LaTeX document (and its PDF).

Without ``--keys``: the main theorem, the lemmas it rests on, the sample-complexity comparison table and the
claims-audit table. With ``--keys``: those registered statements (exact keys, or prefixes ending in '.' or '*') and
the lemmas they rest on. Writes DIR/NAME.tex and DIR/refs.bib, and DIR/NAME.pdf when pdflatex is on the PATH;
everything is produced in a temporary directory first, so a failure leaves DIR as it was.
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
    p.add_argument("--max-overfull", type=float, default=None, metavar="PT",
                   help="fail when an overfull box is wider than PT points (default: report them only)")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..latex.compile import pdflatex_available
    from ..latex.document import build_document, write_document
    from ..latex.notation import current, parse_assignments

    notation = current().switch(**parse_assignments(args.notation))
    doc = build_document(args.keys, notation=notation, name=args.name, bibliography=args.bibliography,
                         macros=not args.expanded)
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
