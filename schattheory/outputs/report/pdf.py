"""The report's LaTeX document: built by :mod:`schattheory.outputs.latex` and compiled when pdflatex is on the PATH.

The document is the LaTeX module's paper document (main theorem with its proof skeleton, the lemmas it rests on,
the sample-complexity comparison, the claims audit) plus a table of the bounds evaluated on the report's network.
Results the report already computed (claims, main theorem, bound rows) are handed over rather than recomputed.
"""

from __future__ import annotations

from pathlib import Path

from schattheory.outputs.report.sections import Section

__all__ = ["build", "TITLE", "NAME"]

TITLE = "LaTeX document"
NAME = "schattheory-report"


def build(outdir, context=None) -> Section:
    from schattheory.outputs.latex.compile import pdflatex_available
    from schattheory.outputs.latex.document import build_document, write_document

    context = context or {}
    net = context.get("network")
    network_results = None
    if net is not None and net.bounds:
        label = "the bundled digits network" if "bundled" in net.source else Path(net.source).name
        rows = sorted(net.bounds, key=lambda r: (r["mode"], r["log10_value"]))
        network_results = {label: rows}
    doc = build_document(
        name=NAME,
        main=context.get("main_theorem"),
        claim_results=context.get("claims"),
        network_results=network_results,
    )
    compiled = pdflatex_available()
    written = write_document(doc, outdir, compile=compiled)
    files = [Path(outdir).name + "/" + p.name for p in (written.tex, written.bib, written.pdf) if p is not None]
    lines = [
        "The main theorem with its proof skeleton, the lemmas it rests on, the sample-complexity comparison "
        "table, the claims-audit table"
        + (" and the bounds on the network" if network_results else "")
        + ", as a standalone LaTeX document (packages from texlive-latex-base and -recommended only).",
        "",
    ]
    lines += [f"- [`{f}`]({f})" for f in files]
    if compiled:
        summary = [f"LaTeX document compiled: {files[-1]}"]
    else:
        lines += [
            "",
            "pdflatex is not on the PATH, so the document was written but not compiled (install "
            "texlive-latex-base and texlive-latex-recommended, then run `pdflatex` in that folder).",
        ]
        summary = [f"LaTeX document written (no pdflatex here, not compiled): {files[0]}"]
    if written.warnings:
        lines += ["", f"{len(written.warnings)} overfull box warning(s) from pdflatex (layout only)."]
    return Section(
        "latex",
        TITLE,
        markdown="\n".join(lines) + "\n",
        summary=summary,
        data={"files": files, "compiled": compiled, "warnings": list(written.warnings)},
    )
