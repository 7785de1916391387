"""Orchestration of ``schattheory report``: run every section, write the directory at once, summarise.

Order: check the destination and read the network (bad input fails here, before any work or file), then the
claims audit, the main theorem's derivation and limits, every bound on the network, figures, the LaTeX document;
everything is written into a hidden temporary directory beside the destination, which replaces the destination
only when all of it succeeded (:mod:`schattheory.foundation.output`). A section whose module is missing is kept, with
the reason, so the report always says what it could not show.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from schattheory.foundation.output import check_output_dir, staged_output
from schattheory.outputs.report import audit, derivation, network, pdf
from schattheory.outputs.report import figures as figs
from schattheory.outputs.report.markdown import render
from schattheory.outputs.report.sections import Section

__all__ = ["build_report", "ReportResult", "DEFAULT_OUT"]

DEFAULT_OUT = "schattheory-report"


def _stderr(msg: str) -> None:
    print(f"[report] {msg}", file=sys.stderr, flush=True)


@dataclass
class ReportResult:
    out: Path
    sections: list
    files: list = field(default_factory=list)

    def summary_lines(self) -> list:
        lines = []
        for s in self.sections:
            lines += s.summary
        return lines

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def _guarded(key, title, fn, progress, strict):
    """Run one section builder; an unexpected error becomes an unavailable section (or propagates if strict)."""
    t0 = time.perf_counter()
    try:
        sec = fn()
    except Exception as exc:
        if strict:
            raise
        progress(f"{title}: failed ({type(exc).__name__}: {exc}); the report continues without it")
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        sec = Section(
            key,
            title,
            available=False,
            reason=f"building this section failed: {detail}",
            summary=[f"{title}: failed ({type(exc).__name__})"],
        )
    progress(f"{title}: {'done' if sec.available else 'unavailable'} ({time.perf_counter() - t0:.1f} s)")
    return sec


def _about(stats, meta, sections) -> Section:
    import platform

    from schattheory import __version__

    lines = [f"schattheory {__version__}, Python {platform.python_version()}.", ""]
    missing = [s for s in sections if not s.available]
    if missing:
        lines.append("Sections that could not be produced here, and why:")
        lines.append("")
        lines += [f"- **{s.title}**: {s.reason}" for s in missing]
    else:
        lines.append("Every section was produced.")
    lines += [
        "",
        "Provenance tags used throughout: *classical* (textbook or primary source), *paper* (stated in the "
        "paper's abstract), *transcribed* (from a third-party rendering of the paper, not checked against "
        "it), *reconstructed* (derived here to match the paper's stated exponents; not the paper's text), "
        "*derived* (composed here from registered lemmas, replayable).",
        "",
        "Files: `report.md` (this), `report.json` (every number), `*.png` (figures), `latex/` (the "
        "LaTeX document and its PDF where pdflatex exists).",
    ]
    return Section("about", "How this report was made", markdown="\n".join(lines) + "\n")


def build_report(
    out=DEFAULT_OUT,
    model=None,
    data=None,
    *,
    margin=None,
    figures: bool = True,
    latex: bool = True,
    progress=_stderr,
    strict: bool = False,
    skip=(),
    force: bool = False,
) -> ReportResult:
    """Build the whole report into ``out`` (replacing a previous report there) and return what was made.

    ``skip``: section keys ("audit", "theorem") left out on request; the report says so. ``force``: write into a
    non-empty directory the toolkit did not make (adding files, replacing only same-named ones).
    """
    unknown = set(skip) - {"audit", "theorem"}
    if unknown:
        from schattheory.foundation.errors import InputError

        raise InputError("skip", sorted(unknown), "only 'audit' and 'theorem' can be skipped")
    from schattheory.outputs.report.inputs import load_network

    check_output_dir(out, argument="out", force=force)
    out = Path(os.path.expanduser(os.fspath(out)))
    # announced only if reading takes a while: bad input fails here with its one error line and nothing else
    announce = threading.Timer(
        1.0, progress, ("reading the network" + (f" {model}" if model else " (bundled digits MLP)"),)
    )
    announce.daemon = True
    announce.start()
    t0 = time.perf_counter()
    try:
        stats, meta = load_network(model, data, margin)
    finally:
        announce.cancel()
    progress(f"read the network: {stats.depth} layers ({time.perf_counter() - t0:.1f} s)")

    context = {}  # what later sections reuse: the evaluated network, claims results, the main theorem
    progress("evaluating every bound on the network")
    t0 = time.perf_counter()
    result = network.evaluate_stats(stats)
    context["network"] = result
    progress(f"bounds: {len(result.bounds)} values ({time.perf_counter() - t0:.1f} s)")
    sections = []
    for key, mod in (("audit", audit), ("theorem", derivation)):
        if key in skip:
            sections.append(
                Section(
                    key,
                    mod.TITLE,
                    available=False,
                    reason="left out on request",
                    summary=[f"{mod.TITLE}: left out on request"],
                )
            )
        else:
            sections.append(_guarded(key, mod.TITLE, lambda mod=mod: mod.build(context), progress, strict))
    net_sec = _guarded("network", "The network", lambda: network.build(result, meta), progress, strict)
    sections.append(net_sec)

    with staged_output(out, argument="out", force=force, command="schattheory report") as tmp:
        if figures:
            ok, why = figs.matplotlib_available()
            if ok:
                progress("drawing figures")
                net_sec.figures = figs.make_figures(result, tmp)
            else:
                progress(f"no figures: {why}")
                net_sec.markdown += f"\n*No figures: {why}.*\n"
        if latex:
            progress("writing the LaTeX document")
            sections.append(_guarded("latex", pdf.TITLE, lambda: pdf.build(tmp / "latex", context), progress, strict))
        sections.append(_about(stats, meta, sections))
        intro = (
            "What the toolkit is for, on one page: the paper's claims checked, the main theorem derived, and "
            "every bound evaluated on a real trained network. Reference: Ledent, Alves, Lei, *Generalization "
            "Bounds for Rank-sparse Neural Networks*, NeurIPS 2025, arXiv:2510.21945.\n\n**At a glance**\n\n"
            + "\n".join(f"- {line}" for line in _glance(sections))
        )
        (tmp / "report.md").write_text(render("schattheory report", intro, sections))
        (tmp / "report.json").write_text(
            json.dumps({"sections": [s.to_json() for s in sections]}, indent=1, default=_jsonable) + "\n"
        )
        files = sorted(p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if p.is_file())
    progress(f"wrote {out}/ ({len(files)} files)")
    return ReportResult(out, sections, files)


def _glance(sections) -> list:
    lines = []
    for s in sections:
        if s.key != "about":
            lines += s.summary
    return lines


def _jsonable(x):
    import numpy as np

    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, (np.floating, np.integer)):
        return x.item()
    return str(x)
