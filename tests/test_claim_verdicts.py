"""The verdict rules of the claims audit (claims.verdicts.decide) on synthetic evidence: one evidence set for each
verdict, and the rules that combine parts and conventions. No audit is run here."""

import json

import pytest
import sympy as sp

from schattheory.analysis.asymptotics import Exponential
from schattheory.analysis.claims import (
    MEANING,
    VERDICTS,
    AllOf,
    Check,
    ClaimResult,
    Consistency,
    Conventions,
    Exponents,
    Ratio,
    Sweep,
    Undecided,
    decide,
)
from schattheory.analysis.claims.run import result_of

W, L, r = sp.symbols("W L r", positive=True)

# one synthetic evidence set per verdict: if a verdict were typed rather than decided, one of these would catch it
SYNTHETIC = {
    "holds": AllOf(
        "c", (Check("a", True), Exponents("N", {"W": 1, "L": 2}, {"W": 1, "L": 2}), Consistency("limit agrees", True))
    ),
    "holds-up-to-constant": AllOf("c", (Check("a", True), Ratio("gain", W / (2 * r), W / r))),
    "depends-on-convention": Conventions("c", (("W_l = 1", Check("a", True)), ("W_l = w_l", Check("a", False)))),
    "not-universal": Conventions("c", (("W_l = 1", Sweep("wins", 16, 24)), ("W_l = w_l", Sweep("wins", 7, 24)))),
    "fails": AllOf("c", (Check("a", True), Exponents("depth", {"L": 3}, {"L": 1}, "<="))),
    "undecided": AllOf("c", (Check("a", False), Consistency("symbolic limit = declared limit", False))),
}


def test_synthetic_evidence_covers_every_verdict():
    assert set(SYNTHETIC) == set(VERDICTS) == set(MEANING)


@pytest.mark.parametrize("verdict", VERDICTS)
def test_each_verdict_is_decided_from_its_evidence(verdict):
    d = decide(SYNTHETIC[verdict])
    assert d.verdict == verdict
    json.dumps(d.to_dict())


def test_sweep_counts_decide_holds_not_universal_fails():
    assert decide(Sweep("s", 24, 24)).verdict == "holds"
    assert decide(Sweep("s", 0, 24)).verdict == "fails"
    d = decide(Sweep("s", 16, 24))
    assert d.verdict == "not-universal" and d.reason == "16 of 24 points"
    assert decide(Sweep("s", 0, 0)).verdict == "undecided"
    assert decide(Sweep("s", 25, 24)).verdict == "undecided"


def test_conventions_agreeing_give_their_common_verdict():
    both_partial = decide(SYNTHETIC["not-universal"])
    assert "16 of 24" in both_partial.reason and "7 of 24" in both_partial.reason
    assert decide(Conventions("c", (("a", Sweep("s", 0, 3)), ("b", Sweep("s", 0, 5))))).verdict == "fails"
    assert (
        decide(Conventions("c", (("a", Sweep("s", 3, 3)), ("b", Sweep("s", 1, 5))))).verdict == "depends-on-convention"
    )


def test_ratio_exact_constant_and_varying():
    assert decide(Ratio("g", W / r, W / r)).verdict == "holds"
    const = decide(Ratio("g", W / (2 * r), W / r))
    assert const.verdict == "holds-up-to-constant" and "1/2" in const.reason
    varying = decide(Ratio("g", L / 2, sp.Integer(1)))
    assert varying.verdict == "fails" and "L/2" in varying.reason
    assert decide(Ratio("g", -W, W)).verdict == "undecided"


def test_exponents_rate_and_o_bound():
    assert decide(Exponents("N", {"L": 2}, {"L": 2})).verdict == "holds"
    assert decide(Exponents("N", {"L": 1}, {"L": 2})).verdict == "fails"  # rate: not L^2
    assert decide(Exponents("N", {"L": 1}, {"L": 2}, "<=")).verdict == "holds"  # O(L^2): yes
    assert decide(Exponents("N", {"L": Exponential(sp.log(3))}, {"L": 1}, "<=")).verdict == "fails"
    assert decide(Exponents("N", {"L": sp.Symbol("k")}, {"L": 1})).verdict == "undecided"
    assert decide(Exponents("N", {}, {"L": 1})).verdict == "undecided"
    with pytest.raises(ValueError, match="relation"):
        Exponents("N", {}, {}, ">")


def test_a_failing_part_decides_a_conjunction_unless_the_evidence_is_inconsistent():
    failing = AllOf("c", (Check("a", False), Undecided("b", "timed out"), Sweep("s", 3, 4)))
    assert decide(failing).verdict == "fails"
    assert decide(AllOf("c", (Undecided("b", "timed out"), Sweep("s", 3, 4)))).verdict == "undecided"
    assert decide(AllOf("c", (Sweep("s", 3, 4), Ratio("g", W / 2, W)))).verdict == "not-universal"
    broken = AllOf("c", (Check("a", False), AllOf("inner", (Consistency("sequence agrees", False),))))
    d = decide(broken)
    assert d.verdict == "undecided" and "inconsistent" in d.reason
    # inconsistency inside one convention leaves the claim undecided, not depends-on-convention
    assert decide(Conventions("c", (("a", Check("x", True)), ("b", Consistency("y", False))))).verdict == "undecided"
    assert decide(AllOf("c", ())).verdict == "undecided"


def test_a_check_that_returns_a_verdict_is_refused_and_results_carry_the_decision():
    common = dict(checked_against=("k",), convention="c", evidence={"e": 1}, numeric=(), derivation="d")
    with pytest.raises(TypeError, match="evidence"):
        result_of("C14", dict(verdict="fails", **common))
    res = result_of("C14", dict(finding=SYNTHETIC["not-universal"], **common))
    assert res.verdict == "not-universal" and res.basis["verdict"] == "not-universal"
    assert [p["verdict"] for p in res.basis["parts"]] == ["not-universal", "not-universal"]
    with pytest.raises(ValueError, match="verdict"):
        ClaimResult("C01", "t", "mostly", (), "", {})
    with pytest.raises(TypeError, match="not evidence"):
        decide("holds")
