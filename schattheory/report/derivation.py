"""The report's main-theorem section: the per-layer complexity derived step by step, and its p -> 0, p = 1 and
p -> oo forms."""
from __future__ import annotations

from .sections import Section, unavailable

__all__ = ["build"]

TITLE = "The main theorem: derivation and its forms at p -> 0, p = 1, p -> oo"


def build() -> Section:
    try:
        from ..derivations.main_bound import derive_main_bound  # issue 3
    except ImportError as exc:
        return unavailable("theorem", TITLE, "schattheory.derivations.main_bound (the derivation engine)", exc)
    return unavailable("theorem", TITLE, "schattheory.derivations", why="derivation present but not wired yet")
