"""What the falsifier reports: a confirmed counterexample, or the verdict of an attack that found none."""

from __future__ import annotations

from dataclasses import dataclass, field

import mpmath

__all__ = ["Counterexample", "Verdict", "METHODS", "fmt50"]

#: how a counterexample was found
METHODS = ("search", "optimise", "volume", "packing", "witness", "monte-carlo", "declared-limit")


def fmt50(x) -> str:
    """A number at 50 significant digits (the form both sides are reported in)."""
    if x is None:
        return "n/a"
    with mpmath.workdps(60):
        return mpmath.nstr(mpmath.mpf(x), 50, min_fixed=-5, max_fixed=6, strip_zeros=False)


@dataclass(frozen=True)
class Counterexample:
    """A point of the statement's domain where ``lhs relation rhs`` fails, confirmed at 50 digits.

    ``point`` maps parameter names to the values used (matrices as lists of singular values or nested lists);
    ``lhs`` is the left side at the point (for a covering number or a Rademacher complexity: a proven lower bound,
    or a lower confidence limit, described by ``argument``); ``assumptions`` lists the conditions the point was
    checked against (symbol assumptions and the statement's own, all satisfied).
    """

    key: str
    relation: str
    point: dict
    lhs: object
    rhs: object
    method: str
    assumptions: tuple = ()
    argument: str = ""

    @property
    def lhs50(self) -> str:
        return fmt50(self.lhs)

    @property
    def rhs50(self) -> str:
        return fmt50(self.rhs)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "relation": self.relation,
            "method": self.method,
            "point": {k: _plain(v) for k, v in self.point.items()},
            "lhs": self.lhs50,
            "rhs": self.rhs50,
            "assumptions": list(self.assumptions),
            "argument": self.argument,
        }

    def __str__(self) -> str:
        pt = ", ".join(f"{k}={_plain(v)}" for k, v in self.point.items())
        text = (
            f"{self.key} refuted ({self.method}) at {pt}:\n  lhs = {self.lhs50}\n  rhs = {self.rhs50}\n"
            f"  (relation {self.relation} fails; assumptions respected: {', '.join(self.assumptions) or 'none'})"
        )
        return text + (f"\n  argument: {self.argument}" if self.argument else "")


def _plain(v):
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if hasattr(v, "tolist"):
        return _plain(v.tolist())
    if isinstance(v, (int, str)):
        return v
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return int(f) if f.is_integer() and abs(f) < 2**53 else repr(f)


@dataclass(frozen=True)
class Verdict:
    """The outcome of attacking one statement: ``refuted`` (with the counterexample), ``survived`` (attacked for
    ``seconds`` over ``points`` points, nothing found) or ``unchecked`` (``reason`` says why it cannot be)."""

    key: str
    outcome: str
    kind: str
    seconds: float = 0.0
    points: int = 0
    reason: str = ""
    counterexample: Counterexample | None = field(default=None)

    def as_dict(self) -> dict:
        out = {
            "key": self.key,
            "outcome": self.outcome,
            "kind": self.kind,
            "seconds": round(self.seconds, 3),
            "points": self.points,
        }
        if self.reason:
            out["reason"] = self.reason
        if self.counterexample is not None:
            out["counterexample"] = self.counterexample.as_dict()
        return out
