"""The step engine: :class:`Step` (the base of every step), :class:`Derivation` (a replayable, checkable chain),
:func:`derive` and :func:`derived_bound` (a Bound carrying its derivation and its weakest-link status)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import sympy as sp

from ..errors import SchattheoryError
from ..latex.text import escape as _tex_text
from ..latex_names import latex as _latex
from ..provenance import Status
from .algebra import _same

__all__ = ["Step", "Derivation", "DerivationError", "derive", "derived_bound"]


_STATUS_ORDER = [Status.PAPER, Status.CLASSICAL, Status.DERIVED, Status.TRANSCRIBED, Status.RECONSTRUCTED,
                 Status.NEW]

class DerivationError(SchattheoryError):
    """A derivation that does not replay or whose checks fail."""

@dataclass(frozen=True, kw_only=True)
class Step:
    """One recorded step. ``result`` (the expression after the step) is filled in by :func:`derive`."""

    note: str = ""
    status: str | None = None  # the step's own provenance status when it rests on no registered lemma
    result: object = field(default=None, compare=False)
    info: tuple = field(default=(), compare=False)
    kind: str = field(default="step", init=False)
    relation: str = field(default="<=", init=False)  # how result relates to the previous expression

    def apply(self, expr):  # pragma: no cover - subclasses define it
        raise NotImplementedError

    def uses(self) -> tuple[str, ...]:
        return ()

    def statuses(self) -> tuple[Status, ...]:
        from ..registry import get

        return tuple(get(k).status for k in self.uses())

    def check(self, before, after, example: dict) -> list[str]:
        return []

    def label(self) -> str:
        return self.kind

    def describe(self) -> str:
        text = f"[{self.label()}]" + (f" [{self.status}]" if self.status else "")
        if self.note:
            text += f" {self.note}"
        if self.result is not None:
            text += f": {sp.sstr(self.result)}"
        return text

    def latex_label(self) -> str:
        """The step's label in LaTeX text mode (math in $...$); defaults to the escaped plain label."""
        return _tex_text(self.label())

    def latex(self) -> str:
        """One line of LaTeX (text mode with inline math): what the step does and what it gives."""
        text = self.latex_label()
        if self.status:
            text += r" \textbf{[%s]}" % _tex_text(self.status)
        if self.note:
            text += ": " + _tex_text(self.note)
        if self.result is not None:
            rel = {"<=": r"\le", "==": "=", "~": r"\asymp"}[self.relation]
            text += r"; hence $\ldots %s %s$" % (rel, _latex(self.result))
        return text

    def _info(self, **kw):
        return tuple(kw.items())

def _check_relational(rel, example, what) -> list[str]:
    rel = sp.sympify(rel)
    if rel is sp.true:
        return []
    lhs, rhs = rel.lhs, rel.rhs
    if isinstance(rel, sp.Eq):
        if _same(lhs, rhs):
            return []
        val = sp.N((lhs - rhs).subs(example), 50) if example else None
        if val is not None and val.is_number and abs(val) <= sp.Float(10) ** -40 * (1 + abs(sp.N(lhs.subs(example),
                                                                                                   50))):
            return []
        return [f"{what}: not shown equal ({sp.sstr(rel)[:120]})"]
    diff = sp.simplify(rhs - lhs) if isinstance(rel, (sp.Le, sp.Lt)) else sp.simplify(lhs - rhs)
    if diff.is_nonnegative:
        return []
    if not example:
        return [f"{what}: not decided symbolically and no example point to check {sp.sstr(rel)[:80]}"]
    val = sp.N(diff.subs(example), 50)
    if not val.is_number:
        return [f"{what}: example point leaves {sorted(map(str, val.free_symbols))} free"]
    if val < -sp.Float(10) ** -40 * (1 + abs(sp.N(lhs.subs(example), 50))):
        return [f"{what} fails at the example point: {sp.sstr(rel)[:120]} (slack {sp.N(val, 8)})"]
    return []

# ---- the derivation ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Derivation:
    """A replayable chain of steps; ``steps`` carry their results, ``expr`` is the final expression."""

    key: str
    steps: tuple
    example: tuple = ()

    @property
    def expr(self):
        return self.steps[-1].result

    @property
    def example_values(self) -> dict:
        return dict(self.example)

    def uses(self) -> tuple[str, ...]:
        seen = []
        for st in self.steps:
            for k in st.uses():
                if k not in seen:
                    seen.append(k)
        return tuple(seen)

    def weakest_status(self) -> Status:
        """The least certain provenance status among the lemmas the derivation uses (reconstructed is weakest)."""
        from ..registry import get

        statuses = [get(k).status for k in self.uses()]
        statuses += [Status(st.status) for st in self.steps if st.status]
        return max(statuses, key=_STATUS_ORDER.index) if statuses else Status.DERIVED

    def replay(self):
        """Re-run the recipe against the registry; raise if any step's expression differs from the recorded one."""
        fresh = _run(self.steps)
        for old, new in zip(self.steps, fresh):
            if not _same(old.result, new.result):
                raise DerivationError(f"{self.key}: step [{old.label()}] no longer reproduces its result:\n"
                                      f"  recorded {sp.sstr(old.result)[:200]}\n  replayed {sp.sstr(new.result)[:200]}")
        return fresh[-1].result

    def check(self) -> "Derivation":
        """Replay and run every step's own check at the example point; raise listing the problems."""
        self.replay()
        problems = []
        before = None
        ex = self.example_values
        for st in self.steps:
            if before is not None or st.kind not in ("lemma", "start"):
                problems += [f"step [{st.label()}]: {msg}" for msg in st.check(before, st.result, ex)]
            before = st.result
        if problems:
            raise DerivationError(f"{self.key}: " + "; ".join(problems))
        return self

    def describe(self) -> str:
        lines = [f"Derivation of {self.key} (weakest status in the chain: {self.weakest_status().value})"]
        lines += [f"  {i}. {st.describe()}" for i, st in enumerate(self.steps, 1)]
        return "\n".join(lines)

    def latex_lines(self) -> list[str]:
        """One LaTeX line per step (text mode with inline math), for a proof skeleton."""
        return [st.latex() for st in self.steps]


def _run(steps) -> tuple:
    expr = None
    done = []
    for st in steps:
        fresh = replace(st, result=None, info=())
        out = fresh.apply(expr)
        object.__setattr__(fresh, "result", out)
        done.append(fresh)
        expr = out
    return tuple(done)


def derive(key: str, steps, example=None) -> Derivation:
    """Run ``steps`` (the first is normally :class:`UseLemma`) and return the recorded :class:`Derivation`."""
    steps = list(steps)
    if not steps:
        raise DerivationError(f"{key}: a derivation needs at least one step")
    ex = tuple((sp.sympify(k), sp.sympify(v)) for k, v in dict(example or {}).items())
    return Derivation(key, _run(steps), ex)


def derived_bound(derivation: Derivation, *, key: str | None = None, lhs="", params=None, title="", notes="",
                  assumptions=(), example=None, mode=None, limits=(), citations=(), kind="bound",
                  status: str = "derived"):
    """A :class:`~schattheory.bound.Bound` whose expression is the derivation's result, with provenance.

    Status is ``derived`` (the lemmas used are ``derived_from``); the notes always state the weakest status in
    the chain, so a result resting on a reconstructed lemma says so.
    """
    from ..bound import Bound
    from ..provenance import Provenance

    expr = derivation.expr
    if params is None:
        params = tuple(sorted(expr.free_symbols, key=str))
    weakest = derivation.weakest_status()
    chain_note = f"derived by the engine from {', '.join(derivation.uses())}; weakest status in the chain: " \
                 f"{weakest.value}"
    notes = f"{notes} ({chain_note})" if notes else chain_note
    prov = Provenance(status, tuple(citations), note=chain_note, derived_from=derivation.uses())
    return Bound(key or derivation.key, expr=expr, params=tuple(params), provenance=prov, lhs=lhs, title=title,
                 notes=notes, assumptions=tuple(assumptions), example=example or dict(derivation.example),
                 mode=mode, limits=tuple(limits), kind=kind, derivation=derivation)
