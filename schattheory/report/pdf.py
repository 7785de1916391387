"""The report's LaTeX document: built by :mod:`schattheory.latex` and compiled when pdflatex is on the PATH."""
from __future__ import annotations

from .sections import Section, unavailable

__all__ = ["build"]

TITLE = "LaTeX document"


def build(outdir, sections=()) -> Section:
    try:
        from ..latex import document  # issue 5
    except ImportError as exc:
        return unavailable("latex", TITLE, "schattheory.latex.document (the LaTeX document builder)", exc)
    return unavailable("latex", TITLE, "schattheory.latex", why="document builder present but not wired yet")
