"""``falsify(statement)``: attack one Bound with the method its left side allows; ``attack`` gives the verdict.

What each kind of statement faces (:func:`kind_of`):

- ``computable``: both sides are closed forms or spectral quantities: adversarial search plus local optimisation
  (:mod:`.search`), violations confirmed at 50 and 70 digits;
- ``cover``: a :class:`~schattheory.foundation.quantities.LogCoveringNumber` on the left: proven packing / volume lower
bounds
  (:mod:`.covers`);
- ``rademacher``: an :class:`~schattheory.foundation.quantities.EmpiricalRademacher` of a linear class: exact witness
values
  and a Monte-Carlo lower confidence limit (:mod:`.rademacher`);
- every statement: its declared limits, through ``Bound.check()`` (a wrong limit is a counterexample with method
  ``declared-limit``);
- ``unchecked``: a left side given as text (a generalization gap, a network's covering number) or a relation the
  attack cannot contradict; the verdict says why.
"""

from __future__ import annotations

import time

import numpy as np
import sympy as sp

from schattheory.analysis.falsifier.result import Counterexample, Verdict
from schattheory.core.bound import Bound
from schattheory.foundation.errors import InputError
from schattheory.foundation.quantities import EmpiricalRademacher, LogCoveringNumber, quantities_in

__all__ = ["falsify", "attack", "kind_of", "DEFAULT_BUDGET"]

DEFAULT_BUDGET = 3.0


def kind_of(bound: Bound) -> tuple[str, str]:
    """(kind, reason): ``computable``, ``cover``, ``rademacher`` or ``unchecked`` with the reason."""
    from schattheory.analysis.falsifier.covers import SUPPORTED

    lhs = bound.lhs
    if not isinstance(lhs, sp.Basic):
        return "unchecked", "left side is text (no computable or structured quantity to attack)"
    found = quantities_in(lhs)
    if not found:
        return "computable", ""
    if isinstance(lhs, LogCoveringNumber):
        if bound.relation not in ("<=", "<"):
            return "unchecked", "only upper bounds on a covering number can be refuted by lower bounds"
        if not isinstance(lhs.set, SUPPORTED):
            return "unchecked", f"no lower bound known for {type(lhs.set).__name__}"
        return "cover", ""
    if isinstance(lhs, EmpiricalRademacher):
        if bound.relation not in ("<=", "<"):
            return "unchecked", "only upper bounds on a Rademacher complexity can be refuted by lower bounds"
        return "rademacher", ""
    return "unchecked", "left side combines a quantity with other terms"


def _limit_counterexample(bound: Bound):
    for verdict in bound.limit_checks():
        if not verdict.ok:
            lim = verdict.limit
            return Counterexample(
                bound.key,
                "==",
                {str(lim.symbol): str(lim.point)},
                None,
                None,
                "declared-limit",
                tuple(sp.sstr(a) for a in bound.assumptions),
                f"declared {lim.describe()}: {verdict.evidence}",
            )
    return None


def attack(bound: Bound, budget_s: float = DEFAULT_BUDGET, seed: int = 0, *, limits: bool = True) -> Verdict:
    """Attack ``bound`` for about ``budget_s`` seconds; the :class:`Verdict` (refuted / survived / unchecked)."""
    from schattheory.analysis.falsifier.covers import attack_cover
    from schattheory.analysis.falsifier.rademacher import attack_rademacher
    from schattheory.analysis.falsifier.search import attack_scalar, attack_spectral

    if not isinstance(bound, Bound):
        raise InputError("statement", type(bound).__name__, "must be a Bound")
    try:
        budget_s = float(budget_s)
    except (TypeError, ValueError):
        raise InputError("budget_s", budget_s, "must be a number of seconds") from None
    if not budget_s > 0 or budget_s != budget_s:
        raise InputError("budget_s", budget_s, "must be a positive number of seconds")
    start = time.monotonic()
    kind, reason = kind_of(bound)
    bound.check(limits=False)  # a malformed statement is an error, not a counterexample
    if limits and bound.limits:
        found = _limit_counterexample(bound)
        if found:
            return Verdict(bound.key, "refuted", kind, time.monotonic() - start, 0, "", found)
    if kind == "unchecked":
        return Verdict(
            bound.key,
            "unchecked",
            kind,
            time.monotonic() - start,
            0,
            reason + ("; declared limits verified" if bound.limits and limits else ""),
        )
    rng = np.random.default_rng(seed)
    stats: dict = {}
    deadline = time.monotonic() + budget_s  # the budget is the search's; declared limits are checked once, cached
    if kind == "cover":
        found = attack_cover(bound, rng, deadline, stats)
    elif kind == "rademacher":
        found = attack_rademacher(bound, rng, deadline, stats)
    elif bound.matrices():
        found = attack_spectral(bound, rng, deadline, stats)
    else:
        found = attack_scalar(bound, rng, deadline, stats)
    return Verdict(
        bound.key, "refuted" if found else "survived", kind, time.monotonic() - start, stats.get("points", 0), "", found
    )


def falsify(statement: Bound, budget_s: float = DEFAULT_BUDGET, seed: int = 0) -> Counterexample | None:
    """A counterexample to ``statement`` (confirmed at 50 digits) found within ``budget_s`` seconds, or None.

    Works on any Bound: registered, ``dataclasses.replace(registered, expr=...)`` or a user's own. ``None`` means
    only that the attack found nothing (and nothing at all for statements it cannot attack: see
    :func:`attack` for the verdict with its reason).

    >>> import sympy as sp
    >>> from dataclasses import replace
    >>> from schattheory.core.registry import get
    >>> wrong = replace(get("schatten.spectral_le_schatten"), key="demo.wrong",
    ...                 expr=get("schatten.spectral_le_schatten").expr / 2)
    >>> falsify(wrong, budget_s=2, seed=1).method
    'search'
    """
    return attack(statement, budget_s, seed).counterexample
