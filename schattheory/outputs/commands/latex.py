"""`schattheory latex --out DIR [--keys ...] [--no-compile]`: a standalone LaTeX document (and its PDF).

Without ``--keys``: the main theorem, the lemmas it rests on, the sample-complexity comparison table and the
claims-audit table. With ``--keys``: those registered statements (exact keys, or prefixes ending in '.' or '*') and
the lemmas they rest on. ``--results NAME=FILE.json`` adds a table of the bounds evaluated on a network (the JSON
of ``schattheory evaluate --json``). Writes DIR/NAME.tex and DIR/refs.bib, and DIR/NAME.pdf when pdflatex is on
the PATH; everything is produced in a temporary directory first, so a failure leaves DIR as it was.
"""

from __future__ import annotations

import re
import sys

from schattheory.foundation.errors import InputError


def add_parser(sub):
    p = sub.add_parser("latex", help="write a standalone LaTeX document (compiled to PDF when pdflatex exists)")
    p.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help="output directory (created if missing; a non-empty "
        "directory is used only if schattheory wrote it, and is then replaced as a whole)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty directory schattheory did not make "
        "(adds NAME.tex, refs.bib and NAME.pdf, replacing same-named files; nothing else is touched)",
    )
    p.add_argument(
        "--keys",
        nargs="+",
        metavar="KEY",
        help="registered statements to include (default: the "
        "main theorem, its lemmas, the comparison and claims tables)",
    )
    p.add_argument("--no-compile", action="store_true", help="write the .tex and refs.bib only")
    p.add_argument("--name", default="schattheory", help="base name of the .tex/.pdf (default: schattheory)")
    p.add_argument(
        "--notation",
        action="append",
        default=[],
        metavar="ROLE=LATEX",
        help="switch a letter or macro, e.g. width=h, depth=D, schatten='\\|#1\\|_{S_{#2}}' (repeatable)",
    )
    p.add_argument("--expanded", action="store_true", help="write expanded LaTeX instead of the notation macros")
    p.add_argument(
        "--bibliography",
        choices=("inline", "bibtex"),
        default="inline",
        help="inline thebibliography block (default, no BibTeX run) or BibTeX with refs.bib",
    )
    p.add_argument(
        "--results",
        action="append",
        default=[],
        metavar="NAME=FILE.json",
        help="add a table of bounds evaluated on a network: the JSON of `schattheory evaluate --json` "
        "(an object with a 'bounds' list of {key, mode, p, value, log10_value}) (repeatable)",
    )
    p.add_argument(
        "--max-overfull",
        type=float,
        default=None,
        metavar="PT",
        help="fail when an overfull box is wider than PT points (default: report them only)",
    )
    p.set_defaults(run=run)


def run(args) -> int:
    from schattheory.foundation.notation import current, parse_assignments
    from schattheory.foundation.output import check_output_dir
    from schattheory.outputs.commands._status import Status
    from schattheory.outputs.latex.compile import pdflatex_available
    from schattheory.outputs.latex.document import build_document, resolve_keys, write_document

    check_output_dir(args.out, force=args.force)  # every input checked before the document is built
    if not re.fullmatch(r"[A-Za-z0-9_-]+", args.name):
        raise InputError("name", args.name, "use letters, digits, '-' and '_' only (it names the .tex file)")
    notation = current().switch(**parse_assignments(args.notation))
    networks = dict(load_results(item) for item in args.results)
    keys = resolve_keys(args.keys) if args.keys else None
    status = Status("latex")
    try:
        status("building the document")
        doc = build_document(
            keys,
            notation=notation,
            name=args.name,
            bibliography=args.bibliography,
            macros=not args.expanded,
            network_results=networks,
        )
        status("writing" + (" and compiling" if not args.no_compile else "") + f" {args.name}.tex")
        compile_ = not args.no_compile and pdflatex_available()
        if not args.no_compile and not compile_:
            print(
                "schattheory latex: pdflatex is not on the PATH; writing the .tex without compiling "
                "(install texlive-latex-base texlive-latex-recommended)",
                file=sys.stderr,
            )
        written = write_document(
            doc, args.out, compile=compile_, overfull_threshold=args.max_overfull, force=args.force, progress=status
        )
    finally:
        status.close()
    for warning in written.warnings:
        print(f"schattheory latex: warning: {warning}", file=sys.stderr)
    for path in (written.tex, written.bib, written.pdf):
        if path is not None:
            print(path)
    return 0


#: the fields of one row of ``--results`` (a bound evaluated on a network, as ``schattheory evaluate --json`` writes)
def _row_schema():
    from schattheory.foundation.json_input import any_of, list_of, nullable, number, string

    p_value = nullable(any_of(number(positive=True), string()))
    return {
        "key": string(),
        "mode": nullable(string()),
        "p_rule": nullable(string()),
        "p": any_of(p_value, list_of(p_value)),
        "value": nullable(number(minimum=0)),
        "log10_value": nullable(number()),
    }


def load_results(item: str):
    """``NAME=FILE.json`` -> (NAME, rows): the bounds of an evaluation (``schattheory evaluate --json``), each row
    checked against the row schema (key, mode, p, value, log10_value) before any work."""
    from schattheory.foundation.errors import InputError
    from schattheory.foundation.json_input import check_fields, read_json

    name, sep, path = item.partition("=")
    if not sep or not name.strip() or not path.strip():
        raise InputError("--results", item, "expected NAME=FILE.json")
    data = read_json(path, "--results")
    rows = data.get("bounds") if isinstance(data, dict) else data
    if not isinstance(rows, list) or not rows:
        raise InputError("--results", path, "needs a non-empty 'bounds' list of objects with key and log10_value")
    schema = _row_schema()
    for i, row in enumerate(rows):
        check_fields(
            row, schema, argument="--results", value=path, where=f"bounds[{i}]", required=("key", "log10_value")
        )
    return name.strip(), rows
