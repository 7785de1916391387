"""The step engine: :class:`Step` (the base of every step), :class:`Derivation` (a replayable, checkable chain),
:func:`derive` and :func:`derived_bound` (a Bound carrying its derivation and its weakest-link status)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import sympy as sp

from schattheory.core.derivation.algebra import _same
from schattheory.foundation.errors import SchattheoryError
from schattheory.foundation.latex_names import latex as _latex
from schattheory.foundation.provenance import STATUS_ORDER as _STATUS_ORDER
from schattheory.foundation.provenance import Status
from schattheory.foundation.tex_text import escape as _tex_text

__all__ = ["Step", "Derivation", "DerivationError", "derive", "derived_bound"]


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
        from schattheory.core.registry import get

        return tuple(get(k).status for k in self.uses())

    def check(self, before, after, example: dict) -> list[str]:
        """Step-specific checks at the example point (the claims over the range are :meth:`claims`)."""
        return []

    def claims(self, before, after) -> list:
        """(what, relation) pairs the step asserts; each is decided over the step's whole range of use."""
        return []

    def assumes(self) -> tuple:
        """Relations under which the step's own lemma holds (they restrict the range of the later steps)."""
        return ()

    def range_before(self) -> tuple:
        """Relations on the range where *earlier* steps' expressions are used (Dudley: eps in (0, D])."""
        return ()

    def chain_claims(self, earlier_assumptions) -> list:
        """(what, relation) pairs the step asserts about the lemmas before it (e.g. valid over its range)."""
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


# ---- the derivation ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Derivation:
    """A replayable chain of steps; ``steps`` carry their results, ``expr`` is the final expression.

    ``assumptions`` (relationals such as ``d <= W``) restrict the range on which the steps' claims must hold, on
    top of the symbols' own assumptions and those of the lemmas used. :meth:`verify` decides every claim over its
    range (proved, checked numerically, or refuted); :meth:`check` replays and verifies; :meth:`verification` is
    the weakest way a claim was decided.

    >>> import sympy as sp
    >>> from schattheory.core.derivation import Relax, UseLemma
    >>> from schattheory.lemmas.steps import DudleyStep
    >>> from schattheory.foundation.symbols import R, eps, N
    >>> bad = derive("demo.bad_relax", [UseLemma("covering.volumetric"),
    ...                                 Relax(old=sp.log(1 + 2 * R / eps), new=sp.Rational(1, 10**6)),
    ...                                 DudleyStep(eps, N, alpha=0)])
    >>> bad.check()
    Traceback (most recent call last):
    ...
    schattheory.core.derivation.engine.DerivationError: demo.bad_relax: step [relax ...
    """

    key: str
    steps: tuple
    example: tuple = ()
    assumptions: tuple = ()
    verdicts: tuple = field(default=None, compare=False, repr=False)

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
        from schattheory.core.registry import get

        statuses = [get(k).status for k in self.uses()]
        statuses += [Status(st.status) for st in self.steps if st.status]
        return max(statuses, key=_STATUS_ORDER.index) if statuses else Status.DERIVED

    def replay(self):
        """Re-run the recipe against the registry; raise if any step's expression differs from the recorded one."""
        fresh = _run(self.steps)
        for old, new in zip(self.steps, fresh):
            if not _same(old.result, new.result):
                raise DerivationError(
                    f"{self.key}: step [{old.label()}] no longer reproduces its result:\n"
                    f"  recorded {sp.sstr(old.result)[:200]}\n  replayed {sp.sstr(new.result)[:200]}"
                )
        return fresh[-1].result

    def domain(self, index: int, extra=()) -> tuple:
        """The relations that hold where step ``index`` is used: the derivation's and the enclosing assuming()
        block's assumptions, ``extra`` (the derived statement's own), those of the lemmas used up to that step, and
        the ranges of later steps (Dudley)."""
        from schattheory.foundation.assumptions import active

        out = list(self.assumptions) + list(extra) + list(active())
        for st in self.steps[: index + 1]:
            out += list(st.assumes())
        for st in self.steps[index + 1 :]:
            out += list(st.range_before())
        return tuple(dict.fromkeys(sp.sympify(x) for x in out))

    def verify(self, extra=()) -> tuple:
        """Decide every step's claims over its range of use: ((step index, what, Verdict), ...), cached.

        ``extra``: assumptions of the statement derived (they restrict where it claims to hold)."""
        from schattheory.core.derivation.ranges import decide

        extra = tuple(sp.sympify(x) for x in extra)
        cache = dict(self.verdicts or ())
        if extra in cache:
            return cache[extra]
        out = []
        before = None
        ex = self.example_values
        earlier = []
        for i, st in enumerate(self.steps):
            dom = self.domain(i, extra)
            if before is not None or st.kind not in ("lemma", "start"):
                for what, rel in st.claims(before, st.result):
                    out.append((i, what, decide(rel, dom, ex)))
            own = set(map(sp.sympify, self.assumptions)) | set(extra)
            for what, rel, rng in st.chain_claims(tuple(earlier)):
                out.append((i, what, decide(rel, tuple(own) + tuple(rng), ex)))
            earlier += list(st.assumes())
            before = st.result
        cache[extra] = tuple(out)
        object.__setattr__(self, "verdicts", tuple(cache.items()))
        return cache[extra]

    def verification(self, extra=()) -> str:
        """The weakest way a claim of the chain was decided: ``proved``, ``checked numerically``,
        ``checked at the example point only`` (or ``refuted``)."""
        from schattheory.core.derivation.ranges import NUMERIC, POINT, PROVED, REFUTED

        levels = [PROVED, NUMERIC, POINT, REFUTED]
        found = [v.status for _, _, v in self.verify(extra)]
        return max(found, key=levels.index) if found else PROVED

    def check(self, extra=()) -> "Derivation":
        """Replay, decide every claim over its range (:meth:`verify`; ``extra``: the derived statement's own
        assumptions) and run each step's own check at the example point; raise listing the problems."""
        self.replay()
        problems = []
        before = None
        ex = self.example_values
        for st in self.steps:
            if before is not None or st.kind not in ("lemma", "start"):
                problems += [f"step [{st.label()}]: {msg}" for msg in st.check(before, st.result, ex)]
            before = st.result
        for i, what, verdict in self.verify(extra):
            if not verdict.ok:
                rng = ", ".join(map(sp.sstr, self.domain(i, extra)))
                problems.append(
                    f"step [{self.steps[i].label()}]: {what} {verdict.evidence}"
                    + (f" (range of use: {rng})" if rng else "")
                )
        if problems:
            raise DerivationError(f"{self.key}: " + "; ".join(problems))
        return self

    def describe(self) -> str:
        lines = [
            f"Derivation of {self.key} (weakest status in the chain: {self.weakest_status().value}; "
            f"its steps: {self.verification()})"
        ]
        marks = {}
        for i, what, verdict in self.verify():
            marks.setdefault(i, []).append(f"{what}: {verdict.status}")
        lines += [
            f"  {i}. {st.describe()}" + (f"  [{'; '.join(marks[i - 1])}]" if i - 1 in marks else "")
            for i, st in enumerate(self.steps, 1)
        ]
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


def derive(key: str, steps, example=None, assumptions=()) -> Derivation:
    """Run ``steps`` (the first is normally :class:`UseLemma`) and return the recorded :class:`Derivation`.

    ``assumptions`` (relationals) restrict the range over which the steps' claims are decided."""
    steps = list(steps)
    if not steps:
        raise DerivationError(f"{key}: a derivation needs at least one step")
    ex = tuple((sp.sympify(k), sp.sympify(v)) for k, v in dict(example or {}).items())
    return Derivation(key, _run(steps), ex, tuple(sp.sympify(a) for a in assumptions))


def derived_bound(
    derivation: Derivation,
    *,
    key: str | None = None,
    lhs="",
    params=None,
    title="",
    notes="",
    assumptions=(),
    example=None,
    mode=None,
    limits=(),
    citations=(),
    kind="bound",
    status: str = "derived",
):
    """A :class:`~schattheory.core.bound.Bound` whose expression is the derivation's result, with provenance.

    The status is the weakest link: ``derived`` (the lemmas used are ``derived_from``) unless the chain runs
    through a weaker lemma (transcribed, reconstructed, a new result), whose status it then takes. Every claim of
    the steps is decided over its range first (:meth:`Derivation.verify`): a refuted step raises; a step SymPy
    could not prove makes the provenance say "checked numerically" (or "checked at the example point only").
    """
    from schattheory.core.bound import Bound
    from schattheory.core.derivation.ranges import PROVED, REFUTED
    from schattheory.foundation.citations import cite
    from schattheory.foundation.provenance import Provenance

    expr = derivation.expr
    if params is None:
        params = tuple(sorted(expr.free_symbols, key=str))
    refuted = [(i, what, v) for i, what, v in derivation.verify(assumptions) if v.status == REFUTED]
    if refuted:
        i, what, v = refuted[0]
        raise DerivationError(f"{derivation.key}: step [{derivation.steps[i].label()}]: {what} {v.evidence}")
    weakest = derivation.weakest_status()
    final = max((Status(status), weakest), key=_STATUS_ORDER.index)
    if final in (Status.PAPER, Status.CLASSICAL):
        final = Status.DERIVED  # a composition made here is derived, however sound its inputs
    how = derivation.verification(assumptions)
    chain_note = (
        f"derived by the engine from {', '.join(derivation.uses()) or 'the steps shown'}; weakest "
        f"status in the chain: {weakest.value}" + ("" if how == PROVED else f"; steps {how}, not proved")
    )
    notes = f"{notes} ({chain_note})" if notes else chain_note
    citations = tuple(citations)
    if final is not Status.DERIVED and final is not Status.NEW and not citations:
        citations = (cite("schattheory", f"derivation {key or derivation.key}"),)
    prov = Provenance(
        final,
        citations,
        note=chain_note,
        derived_from=derivation.uses(),
        replayable=True,
        verification="" if how == PROVED else how,
    )
    return Bound(
        key or derivation.key,
        expr=expr,
        params=tuple(params),
        provenance=prov,
        lhs=lhs,
        title=title,
        notes=notes,
        assumptions=tuple(assumptions),
        example=example or dict(derivation.example),
        mode=mode,
        limits=tuple(limits),
        kind=kind,
        derivation=derivation,
    )
