"""The report's claims-audit section: every claim about the paper with its verdict and evidence.

The verdicts come from :func:`schattheory.analysis.claims.audit` (each decided from the evidence its check computed);
this module only lays them out and counts them.
"""

from __future__ import annotations

from collections import Counter

from schattheory.analysis.claims import VERDICTS, audit, tally
from schattheory.outputs.report.markdown import table
from schattheory.outputs.report.sections import Section

__all__ = ["build", "TITLE"]

TITLE = "Claims audit"


def _cell(text, limit=None) -> str:
    text = " ".join(str(text).split())
    return text if limit is None or len(text) <= limit else text[: limit - 3] + "..."


def build(context=None) -> Section:
    results = audit()
    if context is not None:
        context["claims"] = results
    counts = Counter(r.verdict for r in results)
    counted = tally(results)
    flagged = {v: [r.id for r in results if r.verdict == v] for v in ("fails", "not-universal", "undecided")}
    lines = [
        f"{len(results)} claims about the paper (from a third-party summary and the abstract) checked against "
        "the encoded bounds: " + counted + ".",
        "Each verdict is decided from the evidence its check computed (symbolic limits, growth exponents, "
        "ratios, counts over a sweep), never typed; `why` says what decided it and `not-universal` gives the "
        "counts. `schattheory claims --json` gives everything.",
        "",
        table(
            ["id", "claim", "verdict", "why", "deciding convention"],
            [[r.id, _cell(r.text), f"**{r.verdict}**", _cell(r.reason), _cell(r.convention)] for r in results],
        ),
    ]
    summary = [
        f"claims audit: {len(results)} claims, {counted}"
        + "".join(f" ({v}: {', '.join(ids)})" for v, ids in flagged.items() if ids)
    ]
    return Section(
        "audit",
        TITLE,
        markdown="\n".join(lines) + "\n",
        summary=summary,
        data={"counts": {v: counts[v] for v in VERDICTS if counts[v]}, "claims": [r.to_dict() for r in results]},
    )
