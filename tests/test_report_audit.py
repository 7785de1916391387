"""The report's audit section lays out the computed verdicts (the full audit runs in test_claims and in the full
report run of test_report); here on synthetic results, so that every verdict of the vocabulary is exercised."""

import importlib
import sys

import pytest

from schattheory.analysis.claims import VERDICTS, ClaimResult
from schattheory.outputs.report import audit as report_audit


def _result(cid, verdict, reason):
    return ClaimResult(cid, f"claim {cid}", verdict, ("k",), "a convention", {"e": 1}, reason=reason)


def test_section_counts_and_flags_each_verdict(monkeypatch):
    results = [_result(f"C{i:02d}", v, f"why {v}") for i, v in enumerate(VERDICTS + ("not-universal",), 1)]
    monkeypatch.setattr(report_audit, "audit", lambda: results)
    context = {}
    sec = report_audit.build(context)
    assert context["claims"] is results
    assert sec.data["counts"] == {v: 2 if v == "not-universal" else 1 for v in VERDICTS}
    assert list(sec.data["counts"]) == list(VERDICTS)
    assert "(not-universal: C04, C07)" in sec.summary[0] and "(fails: C05)" in sec.summary[0]
    assert (
        "2 not-universal" in sec.markdown
        and "| C04 | claim C04 | **not-universal** | why not-universal |" in sec.markdown
    )


def test_the_section_needs_the_claims_package(monkeypatch):
    """No fallback: when the claims package cannot be imported, the report's audit module fails to import."""
    monkeypatch.setitem(sys.modules, "schattheory.analysis.claims", None)
    try:
        with pytest.raises(ImportError):
            importlib.reload(report_audit)
    finally:
        monkeypatch.undo()
        importlib.reload(report_audit)
