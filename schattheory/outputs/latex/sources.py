"""Where the documents' content comes from: the computing modules below the LaTeX layer.

The LaTeX package renders what other modules compute (the derived main theorem, the sample-complexity rows, the
claims audit). They are part of every installation and imported plainly, on first use (they are SymPy-heavy): a
broken module fails the document loudly instead of being rendered around.
"""

from __future__ import annotations

__all__ = ["main_theorem", "sample_complexity_rows", "claim_results"]


def main_theorem():
    """The main theorem as a derived Bound whose ``derivation`` records its steps."""
    from schattheory.bounds.derivations.main_bound import derive_main_bound

    return derive_main_bound()


def sample_complexity_rows():
    """The rows of the sample-complexity comparison, computed by the asymptotic engine."""
    from schattheory.analysis.asymptotics import sample_complexity_table

    return list(sample_complexity_table())


def claim_results():
    """The audited claims with their verdicts."""
    from schattheory.analysis.claims import audit

    return list(audit())
