"""The audit as text: a Markdown table (full, or compact for the README) and the plain listing of the CLI."""

from __future__ import annotations

from collections import Counter

from schattheory.analysis.claims.verdicts import VERDICTS

__all__ = ["markdown_table", "tally", "text_listing"]


def _cell(text) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def tally(results) -> str:
    """'7 holds, 1 depends-on-convention, ...' in the order of VERDICTS (verdicts that occur only)."""
    counts = Counter(r.verdict for r in results)
    return ", ".join(f"{counts[v]} {v}" for v in VERDICTS if counts[v])


def markdown_table(results, compact: bool = False) -> str:
    """The audit as a Markdown table. Full: id, claim, verdict, why (what decided it), deciding convention,
    evidence, checked against. ``compact``: id, claim, verdict, why."""
    if compact:
        head = ["id", "claim", "verdict", "why"]
    else:
        head = ["id", "claim", "verdict", "why", "convention", "evidence", "checked against"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        cells = [r.id, _cell(r.text), f"**{r.verdict}**", _cell(r.reason)]
        if not compact:
            cells += [_cell(r.convention), _cell(r.derivation), _cell(", ".join(r.checked_against))]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def text_listing(results) -> str:
    """The plain listing of ``schattheory claims``: one block per claim, then the tally."""
    width = max(len(r.verdict) for r in results)
    lines = []
    for r in results:
        lines += [
            f"{r.id}  {r.verdict:<{width}}  {r.text}",
            f"     why: {r.reason}",
            f"     convention: {r.convention}",
            f"     derivation: {r.derivation}",
            f"     checked against: {', '.join(r.checked_against)}",
        ]
    return "\n".join(lines + ["", tally(results)])
