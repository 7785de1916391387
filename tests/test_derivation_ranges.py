"""Derivation steps decided over their whole range of use (not at one example point), weakest-link status, and
"derived" refused without a derivation or a written argument."""

import pytest
import sympy as sp

from schattheory.core import registry
from schattheory.core.bound import Bound, BoundError
from schattheory.core.derivation import DerivationError, Relax, UseLemma, derive, derived_bound
from schattheory.core.derivation.ranges import NUMERIC, PROVED, REFUTED, decide
from schattheory.foundation.provenance import Provenance, Status, cite
from schattheory.foundation.symbols import N, R, d, eps
from schattheory.lemmas.steps import DudleyStep


def _bad_relax():
    """The false derivation: ln(1 + 2R/eps) <= 1e-6 holds only for eps above about 2e6 R, yet Dudley integrates
    the entropy bound over every eps in (0, 1]."""
    return derive(
        "demo.bad_relax",
        [
            UseLemma("covering.volumetric", subs={d: 1}),
            Relax(old=sp.log(1 + 2 * R / eps), new=sp.Rational(1, 10**6), because="wrong"),
            DudleyStep(eps, N, alpha=0),
        ],
        example={R: 1, eps: sp.Rational(1, 4), N: 1000},
    )


def test_relaxation_false_on_the_dudley_range_fails_check():
    der = _bad_relax()
    # the relaxation holds at eps = 1e7 R: a one-point check far out on the range would not see the problem
    assert sp.log(1 + 2 * sp.Integer(1) / 10**7) < sp.Rational(1, 10**6)
    with pytest.raises(DerivationError, match=r"relaxation old <= new fails at .*range of use: .*epsilon <= 1"):
        der.check()


def test_false_derivation_cannot_become_a_bound():
    with pytest.raises(DerivationError, match="relaxation old <= new fails"):
        derived_bound(_bad_relax(), lhs="R", example={R: 1, N: 1000})


def test_relaxation_true_over_the_range_is_checked_numerically_not_proved():
    der = derive(
        "demo.good_relax",
        [
            UseLemma("covering.volumetric", subs={d: 1}),
            Relax(old=sp.log(1 + 2 * R / eps), new=2 * R / eps, because="ln(1+x) <= x"),
            DudleyStep(eps, N, alpha="optimal"),
        ],
        example={R: 1, eps: sp.Rational(1, 4), N: 1000},
    )
    assert der.check() is der
    statuses = {what: v.status for _, what, v in der.verify()}
    # SymPy does not prove ln(1 + x) <= x within its budget: the attack finds no violation, and says only that
    assert statuses["relaxation old <= new"] == NUMERIC and der.verification() == NUMERIC
    bnd = derived_bound(der, lhs="R", example={R: 1, N: 1000})
    assert bnd.provenance.verification == NUMERIC
    assert "checked numerically" in bnd.provenance.short()
    assert "checked numerically" in bnd.provenance.describe() and "not proved" in bnd.provenance.describe()
    assert "checked numerically" in der.describe()


def test_lemma_assumption_must_cover_the_integration_range():
    """covering.low_rank assumes eps <= R; Dudley uses it for every eps in (0, 1]: only R >= 1 makes that sound."""
    steps = [UseLemma("covering.low_rank"), DudleyStep(eps, N, alpha="optimal")]
    ex = {**registry.get("covering.low_rank").example_values, N: 1000}
    with pytest.raises(DerivationError, match=r"assumption epsilon <= R on the integration range"):
        derive("demo.low_rank_dudley", steps, example=ex).check()
    ok = derive("demo.low_rank_dudley_R1", steps, example={**ex, R: 2}, assumptions=(sp.Ge(R, 1),))
    verdicts = [v for _, what, v in ok.verify() if "integration range" in what]
    assert verdicts and all(v.status != REFUTED for v in verdicts)


def test_decide_cases():
    x = sp.Symbol("x", positive=True)
    assert decide(sp.Le(x, x + 1)).status == PROVED
    assert decide(sp.Le(x**2, x)).status == REFUTED
    assert decide(sp.Le(x**2, x), (sp.Le(x, 1),)).status in (PROVED, NUMERIC)
    refuted = decide(sp.Le(sp.log(1 + 2 * R / eps), sp.Rational(1, 10**6)), (sp.Le(eps, 1),))
    assert refuted.status == REFUTED and refuted.point


def test_weakest_link_status():
    """A chain through a transcribed lemma is transcribed; through classical/derived ones it is derived."""
    der = derive("demo.chain", [UseLemma("ledent2025.per_layer")])
    assert registry.get("ledent2025.per_layer").status is Status.TRANSCRIBED
    assert derived_bound(der, lhs="x").status is Status.TRANSCRIBED
    der2 = derive("demo.chain2", [UseLemma("covering.volumetric")])
    assert derived_bound(der2, lhs="x").status is Status.DERIVED
    assert derived_bound(der2, lhs="x").provenance.replayable


def test_derived_without_derivation_or_argument_refused():
    x = sp.Symbol("x", positive=True)
    bare = Bound("user.bare", expr=x, params=(x,), provenance=Provenance("derived", (cite("bhatia1997", "p. 1"),)))
    with pytest.raises(BoundError, match="status 'derived' needs a derivation"):
        bare.check()
    written = Bound(
        "user.written",
        expr=x,
        params=(x,),
        provenance=Provenance("derived", (cite("bhatia1997", "p. 1"),), proof="proofs/balancing"),
    )
    assert written.check() is written
    assert "by hand" in written.provenance.describe() and "replayable" in written.provenance.describe()


def test_status_stronger_than_the_chain_refused():
    der = derive("demo.chain3", [UseLemma("ledent2025.per_layer")])
    lie = Bound(
        "user.lie",
        expr=der.expr,
        params=tuple(sorted(der.expr.free_symbols, key=str)),
        derivation=der,
        provenance=Provenance("derived", derived_from=der.uses()),
    )
    with pytest.raises(BoundError, match="stronger than the weakest link"):
        lie.check(limits=False)


def test_the_proof_budget_is_cpu_time_not_wall_time(monkeypatch):
    """A verdict must not depend on the machine's load: a prover that waits (no CPU) past the budget still counts,
    one that computes past it does not."""
    import time

    import schattheory.core.derivation.ranges as ranges

    x = sp.Symbol("x", positive=True)

    def sleeper(diff, equality, domain):
        time.sleep(0.6)
        return True

    def spinner(diff, equality, domain):
        end = time.process_time() + 5
        while time.process_time() < end:
            pass
        return True

    monkeypatch.setattr(ranges, "_prove_slow", sleeper)
    assert ranges._proved(sp.sin(x) + 2, False, (), budget=0.2) is True
    monkeypatch.setattr(ranges, "_prove_slow", spinner)
    start = time.perf_counter()
    assert ranges._proved(sp.sin(x) + 2, False, (), budget=0.2) is False
    assert time.perf_counter() - start < 4.5  # stopped by its CPU budget, not by finishing
