"""The report's claims-audit section: every claim about the paper with its verdict and evidence."""
from __future__ import annotations

from .sections import Section, unavailable

__all__ = ["build"]

TITLE = "Claims audit"


def build() -> Section:
    try:
        from ..claims import audit  # issue 4
    except ImportError as exc:
        return unavailable("audit", TITLE, "schattheory.claims (the claims audit)", exc)
    return unavailable("audit", TITLE, "schattheory.claims", why="audit module present but not wired yet")
