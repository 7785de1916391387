"""The derivation engine: replay, checks that fail when they should, printing, and the derived main-theorem forms."""

import shutil
import subprocess
from dataclasses import replace

import pytest
import sympy as sp

from schattheory.bounds.derivations.main_bound import (
    compare_with_transcribed,
    derive_main_bound,
    per_layer_derivation,
)
from schattheory.bounds.derivations.network_cover import derive_bft_theorem33
from schattheory.core import registry
from schattheory.core.derivation import (
    CauchySchwarz,
    Choose,
    DerivationError,
    DropConstants,
    Relax,
    SumOverLayers,
    UnionBound,
    UseLemma,
    derive,
    derived_bound,
)
from schattheory.foundation.symbols import G, L, N, W, X, a, b, delta, eps, p, r, rho
from schattheory.lemmas.network_cover import bft_theorem33
from schattheory.lemmas.steps import OptimiseRank


def _zero(expr):
    return sp.simplify(sp.powsimp(sp.expand_power_base(expr, force=True), force=True)) == 0


# ---- the headline: the per-layer term from the repaired mixed cover, and the network cover -------------------
def test_per_layer_term_is_the_mixed_cover_of_the_rescaled_network():
    """Typed here independently: Lambda_N (c*_p a^(1-p/2) (2 c K (2 rho)^(1/p))^p U^(p/2) eps^(-p) + a) + ln(2dU)."""
    from schattheory.foundation.symbols import B, U, d
    from schattheory.lemmas.covering import stechkin_constant

    K = 4 * L * (B + 2 * X)
    A = U + d + 1
    cstar = 2 / (2 - p) * ((2 - p) / p) ** (p / 2)
    lam = sp.log(1 + 12 * K * (2 * rho) ** (1 / p) * N + 2 * d * U)
    typed = lam * (
        cstar * A ** (1 - p / 2) * (2 * stechkin_constant(p, 2) * K * (2 * rho) ** (1 / p) / eps) ** p * U ** (p / 2)
        + A
    ) + sp.log(2 * d * U)
    assert _zero(per_layer_derivation().expr - typed)
    info = compare_with_transcribed()
    assert not info["ratio_is_c_p"] and "p -> 0+" in info["matches"]
    # the correct rate and the transcribed summand agree only as p -> 0+ (both -> rho a)
    assert sp.limit(info["derived"], p, 0, "+") == sp.limit(info["transcribed"], p, 0, "+") == rho * a


def test_network_cover_is_the_sum_of_the_per_layer_terms():
    bnd = derive_main_bound()
    assert isinstance(bnd.expr, sp.Sum)
    kinds = [st.kind for st in bnd.derivation.steps]
    assert kinds == ["lemma", "relax", "sum over layers"]
    assert bnd.status.value == "derived" and bnd.derivation.weakest_status().value in ("derived", "classical")
    with pytest.raises(Exception, match="refuted"):
        derive_main_bound(route="sum")


def test_network_cover_at_depth_3_is_evaluable_and_matches_the_per_layer_sum():
    from schattheory.foundation.symbols import U, d, layer

    bnd = registry.get("derived.ledent2025.network_cover.L3")
    ex = bnd.example_values
    per = per_layer_derivation().expr
    want = sum(
        per.subs(
            {
                U: ex[layer("U", i, positive=True, integer=True)],
                d: ex[layer("d", i, positive=True, integer=True)],
                rho: ex[layer("rho", i, positive=True)],
                p: ex[layer("p", i, positive=True)],
            }
        ).subs({k_: v for k_, v in ex.items()})
        for i in (1, 2, 3)
    )
    assert abs(bnd.evaluate(ex, dps=30) - sp.N(want, 30)) < 1e-20


def test_thm33_rederived_equals_published_plus_L_ln_2W2():
    for depth in (2, 3):
        der = derive_bft_theorem33(depth)
        der.check()
        assert sp.simplify(der.expr - bft_theorem33(depth) - depth * sp.log(2 * W**2)) == 0


# ---- replay and checks ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", [k for k in registry.keys() if registry.get(k).derivation is not None])
def test_every_registered_derivation_replays_and_checks(key):
    bnd = registry.get(key)
    der = bnd.derivation
    assert der.replay() is not None
    der.check(bnd.assumptions)  # decided over the range where the statement claims to hold
    assert set(der.uses()) <= set(registry.keys())
    assert len(der.latex_lines()) == len(der.steps)
    assert der.describe().count("\n") == len(der.steps)


def test_replay_detects_a_changed_lemma(monkeypatch):
    der = per_layer_derivation()
    original = registry.get("covering.mixed_layer")
    changed = replace(original, expr=original.expr * 2)
    monkeypatch.setitem(registry._REGISTRY, "covering.mixed_layer", changed)
    with pytest.raises(DerivationError, match="no longer reproduces"):
        der.replay()


def test_wrong_relaxation_is_caught():
    der = derive(
        "demo.relax",
        [
            UseLemma("covering.low_rank"),
            Relax(old=sp.log(9 * sp.Symbol("R", positive=True) / eps), new=sp.Integer(1), because="wrong"),
        ],
        example=registry.get("covering.low_rank").example_values,
    )
    with pytest.raises(DerivationError, match="relaxation"):
        der.check()


def test_wrong_choice_is_caught():
    from schattheory.foundation.symbols import R

    steps = [
        UseLemma("covering.low_rank", subs={eps: eps / 2}),
        Choose(r, sp.Integer(0), condition=sp.Le(R * (r + 1) ** (-1 / p), eps / 2)),
    ]
    der = derive("demo.choose", steps, example={**registry.get("covering.schatten_ball.spectral").example_values})
    with pytest.raises(DerivationError, match="choice"):
        der.check()


def test_dropping_a_size_dependent_factor_is_caught():
    der = derive(
        "demo.drop",
        [UseLemma("balancing.continuous"), DropConstants(factors=(a,), allowed=(p,))],
        example=registry.get("balancing.continuous").example_values,
    )
    with pytest.raises(DerivationError, match="depends on"):
        der.check()


def test_optimise_refuses_a_wrong_shape():
    with pytest.raises(DerivationError):
        derive("demo.opt", [UseLemma("covering.low_rank"), OptimiseRank(r, p)])


def test_union_bound_costs_log_G():
    from schattheory.core.derivation import Apply
    from schattheory.foundation.provenance import cite

    rad = sp.Symbol("Rad", positive=True)
    der = derive(
        "demo.union",
        [
            UseLemma("dudley.inverse_square.optimal"),
            Apply(
                template=2 * rad + 3 * sp.sqrt(sp.log(2 / delta) / (2 * N)),
                placeholder=rad,
                citation=cite("bartlett2017", "Lemma 3.1"),
            ),
            UnionBound(delta=delta, grid_size=G),
        ],
    )
    diff = sp.simplify(der.expr.subs(G, 1) - der.steps[1].result)
    assert diff == 0
    assert der.expr.subs({G: 41, delta: sp.Rational(1, 20), N: 1000, sp.Symbol("R", positive=True): 2}).is_number


def test_sum_and_cauchy_schwarz_explicit_depth():
    der = derive(
        "demo.cs", [UseLemma("balancing.continuous"), SumOverLayers(per_layer=(a, b), count=3), CauchySchwarz()]
    )
    a1, b1 = sp.Symbol("a_1", positive=True), sp.Symbol("b_1", positive=True)
    assert a1 in der.expr.free_symbols and b1 in der.expr.free_symbols
    vals = {s: k + 2 for k, s in enumerate(sorted(der.expr.free_symbols, key=str))}
    assert sp.N(der.expr.subs(vals)) >= sp.N(der.steps[1].result.subs(vals))


def test_derived_bound_wrapper_records_provenance():
    der = per_layer_derivation()
    bnd = derived_bound(der, key="demo.per_layer", lhs="K")
    assert bnd.provenance.derived_from == der.uses()
    assert "weakest status in the chain" in bnd.notes and bnd.derivation is der


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not on the PATH")
def test_latex_lines_compile(tmp_path):
    lines = []
    for der in (
        derive_main_bound().derivation,
        derive_main_bound(3).derivation,
        registry.get("derived.bartlett2017.network_cover.L3").derivation,
        registry.get("covering.schatten_ball.frobenius").derivation,
    ):
        lines += [r"\item " + ln for ln in der.latex_lines()]
    doc = "\n".join(
        [
            r"\documentclass{article}",
            r"\usepackage{amsmath,amssymb}",
            r"\begin{document}",
            r"\begin{enumerate}",
            *lines,
            r"\end{enumerate}",
            r"\end{document}",
        ]
    )
    (tmp_path / "d.tex").write_text(doc, encoding="utf-8")
    res = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "d.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stdout[-2000:]
