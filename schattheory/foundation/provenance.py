"""Where a formula comes from: citations with locators, and how sure we are (the status tag).

Status tags, shown in every output:

- ``classical``: a textbook or primary-source result;
- ``paper``: stated in the target paper's abstract or main text;
- ``transcribed``: taken from a secondary transcription of the target paper;
- ``reconstructed``: derived here to match the paper's stated exponents, not seen in the paper;
- ``derived``: composed here from other registered lemmas; the derivation can be replayed;
- ``new result``: a statement of the user's own (e.g. defined with :func:`schattheory.bounds.custom.network_bound`
  or loaded with ``--load``): not from the toolkit's sources, checked only as far as its own checks go.

>>> from schattheory.foundation.provenance import Status, cite
>>> Status("reconstructed").is_papers_own
False
>>> cite("candes_plan2011", "Lemma 3.1").short()
'Candès and Plan (2011), Lemma 3.1'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from schattheory.foundation.citations import CITATIONS, Citation, cite

__all__ = ["Status", "STATUS_ORDER", "Citation", "Provenance", "cite", "CITATIONS"]


class Status(str, Enum):
    CLASSICAL = "classical"
    PAPER = "paper"
    TRANSCRIBED = "transcribed"
    RECONSTRUCTED = "reconstructed"
    DERIVED = "derived"
    NEW = "new result"

    @property
    def is_papers_own(self) -> bool:
        """Only ``paper`` may be presented as the target paper's own statement."""
        return self is Status.PAPER

    def describe(self) -> str:
        return _STATUS_TEXT[self]

    def __str__(self) -> str:  # so f-strings print the tag, not the enum name
        return self.value


#: from the most to the least certain: a statement composed from several is as certain as the last of its parts here
STATUS_ORDER = [Status.PAPER, Status.CLASSICAL, Status.DERIVED, Status.TRANSCRIBED, Status.RECONSTRUCTED, Status.NEW]

_STATUS_TEXT = {
    Status.CLASSICAL: "classical result, from the cited source",
    Status.PAPER: "stated in the target paper",
    Status.TRANSCRIBED: "transcribed from a third-party rendering of the paper; not checked against it",
    Status.RECONSTRUCTED: "reconstructed here to match the paper's stated exponents; not the paper's own text",
    Status.DERIVED: "derived here (a replayable derivation or a written proof: see the provenance)",
    Status.NEW: "a new result of the user's own, not from the toolkit's sources; citations, where given, are the "
    "user's",
}


@dataclass(frozen=True)
class Provenance:
    status: Status
    citations: tuple[Citation, ...] = ()
    note: str = ""
    derived_from: tuple[str, ...] = field(default=())  # registry keys, for status "derived"
    #: a replayable derivation by the engine backs the statement (set by derivation.derived_bound)
    replayable: bool = False
    #: where a hand derivation is written down (a folder under proofs/, or the argument in one sentence)
    proof: str = ""
    #: "" when every step is proved; else how the weakest step was checked ("checked numerically", ...)
    verification: str = ""

    def __post_init__(self):
        object.__setattr__(self, "status", Status(self.status))
        if self.status not in (Status.DERIVED, Status.NEW) and not self.citations:
            raise ValueError(f"status={self.status.value!r}: a non-derived formula needs at least one citation")
        if self.status is Status.DERIVED and not (self.derived_from or self.citations or self.proof):
            raise ValueError("status='derived': name the registered lemmas it is derived from")

    def short(self) -> str:
        where = "; ".join(c.short() for c in self.citations)
        if self.derived_from:
            where = (where + "; " if where else "") + "from " + ", ".join(self.derived_from)
        tag = self.status.value + (f", {self.verification}" if self.verification else "")
        return f"[{tag}] {where}".strip()

    def describe(self) -> str:
        """What the status means for this statement: a replayable derivation, a hand proof, how steps were checked.

        >>> Provenance("derived", proof="proofs/dudley").describe()
        'derived here by hand, not replayable by the engine; the argument: proofs/dudley'
        """
        if self.status is Status.DERIVED:
            if self.replayable:
                text = "derived here from registered lemmas; the derivation is replayable"
            else:
                text = "derived here by hand, not replayable by the engine" + (
                    f"; the argument: {self.proof}" if self.proof else "; NO written argument"
                )
        else:
            text = self.status.describe()
            if self.replayable:
                text += "; composed by a replayable derivation through a lemma of this status"
        if self.verification:
            text += f"; its inequality steps {self.verification}, not proved symbolically"
        return text
