"""The report's claims-audit section: every claim about the paper with its verdict and evidence.

The verdicts come from :func:`schattheory.claims.audit` (each claim checked against the registered bounds, with
symbolic and numeric evidence); this module only lays them out and counts them.
"""
from __future__ import annotations

from collections import Counter

from .markdown import table
from .sections import Section, unavailable

__all__ = ["build", "TITLE"]

TITLE = "Claims audit"
ORDER = ("holds", "holds-up-to-constant", "depends-on-convention", "fails", "undecided")


def _cell(text, limit=None) -> str:
    text = " ".join(str(text).split())
    return text if limit is None or len(text) <= limit else text[: limit - 3] + "..."


def build(context=None) -> Section:
    try:
        from ..claims import audit
    except ImportError as exc:
        return unavailable("audit", TITLE, "schattheory.claims (the claims audit)", exc)
    results = audit()
    if context is not None:
        context["claims"] = results
    counts = Counter(r.verdict for r in results)
    tally = ", ".join(f"{counts[v]} {v}" for v in ORDER if counts[v])
    failing = [r.id for r in results if r.verdict == "fails"]
    lines = [f"{len(results)} claims about the paper (from a third-party summary and the abstract; "
             "`claims.md`) checked against the encoded bounds: " + tally + ".",
             "Each verdict names the convention that decides it; the evidence is computed (symbolic limits or "
             "growth exponents, and a numeric sequence that agrees), not typed. `schattheory claims --json` gives "
             "everything.", "",
             table(["id", "claim", "verdict", "deciding convention", "evidence"],
                   [[r.id, _cell(r.text), f"**{r.verdict}**", _cell(r.convention), _cell(r.derivation)]
                    for r in results])]
    summary = [f"claims audit: {len(results)} claims, {tally}"
               + (f" (failing: {', '.join(failing)})" if failing else "")]
    return Section("audit", TITLE, markdown="\n".join(lines) + "\n", summary=summary,
                   data={"counts": dict(counts), "claims": [r.to_dict() for r in results]})
