"""``schattheory report``: the claims audit, the main theorem derived, every bound on a real network, in one place.

:func:`build_report` writes into a directory (default ``./schattheory-report``) a Markdown report, PNG figures
(when matplotlib is installed), ``report.json`` with every number, and the LaTeX document compiled to PDF (when
pdflatex is on the PATH). Sections whose modules are missing are kept and say why. Modules:

- :mod:`.builder` orchestration; :mod:`.output` the all-or-nothing directory swap;
- :mod:`.audit`, :mod:`.derivation`, :mod:`.network`, :mod:`.pdf` the sections; :mod:`.figures` the PNGs;
- :mod:`.inputs` the bundled network or ``--model``/``--data``; :mod:`.markdown` tables and layout.
"""

from __future__ import annotations

__all__ = ["build_report"]


def build_report(*args, **kwargs):
    """See :func:`schattheory.outputs.report.builder.build_report`."""
    from schattheory.outputs.report.builder import build_report as _build

    return _build(*args, **kwargs)
