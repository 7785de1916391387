r"""The claims audit: every claim C01..C14 about the paper checked against the registered bounds, with evidence.

:func:`audit` returns one :class:`ClaimResult` per claim. Each check computes an evidence tree (limits, growth
exponents, ratios, counts over a sweep; :mod:`.verdicts`) and :func:`decide` turns it into the verdict, one of
:data:`VERDICTS`: ``holds``, ``holds-up-to-constant``, ``depends-on-convention``, ``not-universal`` (true at some
points of a sweep, false at others, with the counts), ``fails``, ``undecided``. No verdict is typed.

Sample complexity: the N at which a bound's complexity term drops below a fixed accuracy eps, norms normalised
(B prod_l ||A_l|| / gamma = 1), square W x W layers of rank r, depth L, polylog factors dropped
(:func:`schattheory.analysis.asymptotics.sample_complexity_table`). A claimed sample complexity O~(W^a L^b) is read as
the rate (the growth exponents must equal a and b, as in the comparison tables the claims come from); a claimed depth
dependence O(L^k) as an upper bound (exponent at most k).

Modules: :mod:`.data` (the claims), :mod:`.verdicts` (vocabulary and decision rules), :mod:`.schatten_checks`
(C01-C03), :mod:`.main_bound` (C04-C06, C12, C13), :mod:`.comparators` (C07-C10), :mod:`.covering` (C11),
:mod:`.sweep` (C14, the synthetic experiment), :mod:`.run` (:func:`audit`), :mod:`.output` (tables).

>>> res = audit(["C04"])[0]
>>> res.verdict, res.evidence["sample_complexity"]
('holds', '2*L**2*W*r/epsilon**2')
"""

from __future__ import annotations

from schattheory.analysis.claims.covering import covering_sweep
from schattheory.analysis.claims.data import BY_ID, CLAIMS, ClaimSpec
from schattheory.analysis.claims.output import markdown_table, tally, text_listing
from schattheory.analysis.claims.result import ClaimResult
from schattheory.analysis.claims.run import CHECKS, audit
from schattheory.analysis.claims.sweep import c14_sweep
from schattheory.analysis.claims.verdicts import (
    MEANING,
    VERDICTS,
    AllOf,
    Check,
    Consistency,
    Conventions,
    Decision,
    Exponents,
    Ratio,
    Sweep,
    Undecided,
    decide,
)

__all__ = [
    "ClaimResult",
    "VERDICTS",
    "MEANING",
    "audit",
    "markdown_table",
    "tally",
    "text_listing",
    "c14_sweep",
    "covering_sweep",
    "CLAIMS",
    "BY_ID",
    "ClaimSpec",
    "CHECKS",
    "decide",
    "Decision",
    "Check",
    "Consistency",
    "Exponents",
    "Ratio",
    "Sweep",
    "Undecided",
    "AllOf",
    "Conventions",
]
