r"""The verdict vocabulary and :func:`decide`, the one function that turns a claim's evidence into its verdict.

A check never names a verdict: it returns a tree of evidence whose leaves are computed facts, and :func:`decide`
maps the tree to a verdict by fixed rules, so a verdict cannot say more than its evidence.

Leaves:

- :class:`Check`: one part of the claim, true or false (``holds`` / ``fails``);
- :class:`Consistency`: the evidence agrees with itself (a symbolic limit equals the declared one, a numeric
  sequence agrees); when it does not, nothing is concluded (``undecided``, whatever the other parts say);
- :class:`Exponents`: growth exponents found against the claimed ones, as the rate (``=``) or an O-bound (``<=``);
- :class:`Ratio`: a quantity found against the claimed one: equal (``holds``), off by a positive constant
  (``holds-up-to-constant``), off by a factor that varies (``fails``);
- :class:`Sweep`: the claim tested at ``total`` points, true at ``holds`` of them: all (``holds``), none
  (``fails``), some (``not-universal``, with the counts);
- :class:`Undecided`: a part that could not be computed.

Nodes: :class:`AllOf` (a claim made of parts: the weakest part decides, a failing part beating everything but
inconsistent evidence) and :class:`Conventions` (the same claim read under several conventions: their common
verdict, or ``depends-on-convention`` when they differ).

>>> decide(Sweep("beats the baselines", 16, 24)).verdict
'not-universal'
>>> d = decide(Conventions("reference", (("counting", Ratio("gain", sp.Symbol("W") / 2, sp.Symbol("W"))),
...                                      ("spectral", Ratio("gain", sp.Symbol("L") / 2, sp.Integer(1))))))
>>> d.verdict
'depends-on-convention'
>>> print(d.reason.replace("; ", "\n"))
counting: holds-up-to-constant (off by the constant 1/2)
spectral: fails (found/claimed = L/2 varies)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import sympy as sp

from schattheory.analysis.asymptotics import Exponential

__all__ = [
    "VERDICTS",
    "MEANING",
    "Check",
    "Consistency",
    "Exponents",
    "Ratio",
    "Sweep",
    "Undecided",
    "AllOf",
    "Conventions",
    "Decision",
    "decide",
]

VERDICTS = ("holds", "holds-up-to-constant", "depends-on-convention", "not-universal", "fails", "undecided")

MEANING = {
    "holds": "every part of the claim holds under every convention examined",
    "holds-up-to-constant": "holds once a constant factor is allowed",
    "depends-on-convention": "holds under some of the conventions examined and not under others",
    "not-universal": "holds at some of the points tested and fails at others (with the counts)",
    "fails": "a part of the claim is false under every convention examined",
    "undecided": "the evidence could not be computed, or disagrees with itself",
}

# a conjunction is as strong as its weakest part: a failing part decides, then an undecided one, ...
_WEAKEST = ("fails", "undecided", "not-universal", "depends-on-convention", "holds-up-to-constant", "holds")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""


@dataclass(frozen=True)
class Consistency:
    name: str
    ok: bool
    detail: str = ""


@dataclass(frozen=True)
class Exponents:
    """Growth exponents (variable name -> exponent, or an Exponential) found against the claimed ones."""

    name: str
    found: dict
    claimed: dict
    relation: str = "="  # "=": the claimed rate is the rate; "<=": the claim is an O-bound

    def __post_init__(self):
        if self.relation not in ("=", "<="):
            raise ValueError(f"relation={self.relation!r}: must be '=' or '<='")


@dataclass(frozen=True)
class Ratio:
    name: str
    found: object
    claimed: object


@dataclass(frozen=True)
class Sweep:
    name: str
    holds: int
    total: int


@dataclass(frozen=True)
class Undecided:
    name: str
    why: str


@dataclass(frozen=True)
class AllOf:
    name: str
    parts: tuple


@dataclass(frozen=True)
class Conventions:
    """The claim under each reading: ``readings`` is a tuple of (convention, evidence)."""

    name: str
    readings: tuple


@dataclass(frozen=True)
class Decision:
    name: str
    verdict: str
    reason: str
    parts: tuple = ()
    inconsistent: bool = field(default=False, compare=False)
    kind: str = field(default="", compare=False)  # the evidence class that produced it

    def to_dict(self) -> dict:
        out = {"name": self.name, "kind": self.kind, "verdict": self.verdict, "reason": self.reason}
        if self.parts:
            out["parts"] = [p.to_dict() for p in self.parts]
        return out


def _exponent_text(x) -> str:
    return sp.sstr(x) if isinstance(x, sp.Basic) else str(x)


def _compare_exponent(found, claimed, relation):
    """True, False, or None (undecided) for found (relation) claimed."""
    if isinstance(found, Exponential):  # faster than every polynomial when the rate is positive
        return False if sp.sympify(found.rate).is_positive else None
    diff = sp.simplify(sp.sympify(found) - sp.sympify(claimed))
    if relation == "=":
        return True if diff == 0 else (False if diff.is_nonzero else None)
    return True if diff.is_nonpositive else (False if diff.is_positive else None)


def _leaf(ev) -> Decision:
    if isinstance(ev, (Check, Consistency)):
        ok = bool(ev.ok)
        detail = f": {ev.detail}" if ev.detail else ""
        if isinstance(ev, Consistency):
            return Decision(
                ev.name,
                "holds" if ok else "undecided",
                ("consistent" if ok else "evidence inconsistent") + detail,
                inconsistent=not ok,
            )
        return Decision(ev.name, "holds" if ok else "fails", ("true" if ok else "false") + detail)
    if isinstance(ev, Exponents):
        bad, unknown = [], []
        for var, claimed in ev.claimed.items():
            if var not in ev.found:
                unknown.append(f"{var}: not computed")
                continue
            got = _compare_exponent(ev.found[var], claimed, ev.relation)
            rel = "<= " if ev.relation == "<=" else ""
            text = f"{var}: found {_exponent_text(ev.found[var])}, claimed {rel}{_exponent_text(claimed)}"
            if got is None:
                unknown.append(text)
            elif not got:
                bad.append(text)
        if bad:
            return Decision(ev.name, "fails", "; ".join(bad))
        if unknown:
            return Decision(ev.name, "undecided", "cannot compare " + "; ".join(unknown))
        return Decision(
            ev.name,
            "holds",
            "exponents as claimed: " + ", ".join(f"{v} {_exponent_text(ev.found[v])}" for v in ev.claimed),
        )
    if isinstance(ev, Ratio):
        q = sp.simplify(sp.sympify(ev.found) / sp.sympify(ev.claimed))
        if q == 1:
            return Decision(ev.name, "holds", "as claimed")
        if q.free_symbols:
            return Decision(ev.name, "fails", f"found/claimed = {sp.sstr(q)} varies")
        if q.is_positive and q.is_finite:
            return Decision(ev.name, "holds-up-to-constant", f"off by the constant {sp.sstr(q)}")
        return Decision(ev.name, "undecided", f"found/claimed = {sp.sstr(q)}")
    if isinstance(ev, Sweep):
        holds, total = int(ev.holds), int(ev.total)
        if total <= 0 or not 0 <= holds <= total:
            return Decision(ev.name, "undecided", f"{holds} of {total} points")
        verdict = "holds" if holds == total else ("fails" if holds == 0 else "not-universal")
        return Decision(ev.name, verdict, f"{holds} of {total} points")
    if isinstance(ev, Undecided):
        return Decision(ev.name, "undecided", ev.why)
    raise TypeError(f"not evidence: {ev!r}")


def decide(ev) -> Decision:
    """The verdict of an evidence tree (see the module docstring for the rules)."""
    if isinstance(ev, (AllOf, Conventions)):
        return _node(ev)
    return replace(_leaf(ev), kind=type(ev).__name__)


def _joined(parts) -> str:
    return "; ".join(f"{p.name}: {p.reason}" for p in parts)


def _holds_reason(parts) -> str:
    """What a conjunction that holds rests on: the quantitative parts in full, the others counted."""
    shown = [p for p in parts if p.kind not in ("Check", "Consistency")]
    checks = sum(p.kind == "Check" for p in parts)
    consistent = sum(p.kind == "Consistency" for p in parts)
    tail = ([f"{checks} check{'s' * (checks != 1)} true"] if checks else []) + (
        [f"{consistent} consistency check{'s' * (consistent != 1)} agree{'s' * (consistent == 1)}"]
        if consistent
        else []
    )
    return "; ".join([_joined(shown)] * bool(shown) + tail)


def _node(ev) -> Decision:
    if isinstance(ev, AllOf):
        parts = tuple(decide(p) for p in ev.parts)
        if not parts:
            return Decision(ev.name, "undecided", "no evidence", kind="AllOf")
        if any(p.inconsistent for p in parts):
            bad = [p for p in parts if p.inconsistent]
            return Decision(ev.name, "undecided", _joined(bad), parts, True, "AllOf")
        verdict = next(v for v in _WEAKEST if any(p.verdict == v for p in parts))
        if verdict == "holds":
            return Decision(ev.name, verdict, _holds_reason(parts), parts, kind="AllOf")
        return Decision(ev.name, verdict, _joined(p for p in parts if p.verdict == verdict), parts, kind="AllOf")
    if isinstance(ev, Conventions):
        named = tuple((name, decide(sub)) for name, sub in ev.readings)
        parts = tuple(replace(d, name=f"{name}: {d.name}") for name, d in named)
        if not parts:
            return Decision(ev.name, "undecided", "no convention examined", kind="Conventions")
        reason = "; ".join(f"{name}: {d.verdict} ({d.reason})" for name, d in named)
        if any(p.inconsistent for p in parts):
            return Decision(ev.name, "undecided", reason, parts, True, "Conventions")
        verdicts = {p.verdict for p in parts}
        if len(verdicts) == 1:
            verdict = verdicts.pop()
        elif "undecided" in verdicts:
            verdict = "undecided"
        else:
            verdict = "depends-on-convention"
        return Decision(ev.name, verdict, reason, parts, kind="Conventions")
    raise TypeError(f"not evidence: {ev!r}")
