"""Running the audit: each claim's check computes its evidence, :func:`~.verdicts.decide` gives the verdict."""

from __future__ import annotations

import time
from collections.abc import Callable

from schattheory.analysis.claims import comparators, covering, main_bound, schatten_checks, sweep
from schattheory.analysis.claims.context import Context
from schattheory.analysis.claims.data import BY_ID, CLAIMS
from schattheory.analysis.claims.result import ClaimResult
from schattheory.analysis.claims.verdicts import Undecided, decide
from schattheory.foundation.errors import InputError

__all__ = ["CHECKS", "audit", "result_of"]

#: check name (ClaimSpec.check) -> function(context) returning the evidence tree ("finding") and its context
CHECKS = {
    "schatten_definition": schatten_checks.schatten_definition,
    "schatten_limits": schatten_checks.schatten_limits,
    "weight_decay": schatten_checks.weight_decay,
    "main_p_to_zero": main_bound.main_p_to_zero,
    "main_p_one": main_bound.main_p_one,
    "main_p_to_infinity": main_bound.main_p_to_infinity,
    "bartlett_claim": comparators.bartlett_claim,
    "frobenius_claim": comparators.frobenius_claim,
    "pac_bayes_claim": comparators.pac_bayes_claim,
    "improvement_factor": comparators.improvement_factor,
    "covering_claim": covering.covering_claim,
    "interpolation": main_bound.interpolation,
    "depth_claim": main_bound.depth_claim,
    "sweep_claim": sweep.sweep_claim,
}


def result_of(cid: str, res: dict, seconds: float = 0.0) -> ClaimResult:
    """The ClaimResult of one check's output: the verdict is decided from ``res["finding"]``, never given."""
    res = dict(res)
    if "verdict" in res:
        raise TypeError(f"{cid}: a check returns evidence ('finding'), not a verdict")
    decision = decide(res.pop("finding"))
    return ClaimResult(
        cid, BY_ID[cid].text, decision.verdict, seconds=seconds, reason=decision.reason, basis=decision.to_dict(), **res
    )


def audit(ids=None, timeout: float = 20.0, progress: Callable | None = None) -> list[ClaimResult]:
    """Check the claims ``ids`` (default: all, in order); each gets a verdict decided from its evidence.

    ``progress(done, total, result)`` is called after each claim (the CLI prints a line on stderr).
    """
    wanted = [c.id for c in CLAIMS] if ids is None else list(ids)
    unknown = [i for i in wanted if i not in BY_ID]
    if unknown:
        raise InputError("ids", unknown, f"unknown claim ids; known: {', '.join(BY_ID)}")
    ctx = Context(timeout)
    out = []
    for i, cid in enumerate(wanted, 1):
        t0 = time.perf_counter()
        try:
            res = CHECKS[BY_ID[cid].check](ctx)
        except Exception as exc:  # a check that cannot run is reported, never hidden
            res = dict(
                finding=Undecided(cid, f"the check could not run: {type(exc).__name__}: {exc}"),
                checked_against=(),
                convention="",
                evidence={"error": f"{type(exc).__name__}: {exc}"},
                numeric=(),
                derivation="check failed",
            )
        out.append(result_of(cid, res, time.perf_counter() - t0))
        if progress is not None:
            progress(i, len(wanted), out[-1])
    return out
