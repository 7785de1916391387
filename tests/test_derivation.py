"""The derivation engine: replay, checks that fail when they should, printing, and the derived main-theorem forms."""
import shutil
import subprocess
from dataclasses import replace

import pytest
import sympy as sp

from schattheory import registry
from schattheory.derivation import (CauchySchwarz, Choose, DerivationError, DropConstants, OptimiseRank, Relax,
                                    SumOverLayers, UnionBound, UseLemma, derive, derived_bound)
from schattheory.derivations.main_bound import (compare_with_transcribed, derive_main_bound, per_layer_derivation,
                                                transcribed_per_layer)
from schattheory.derivations.network_cover import derive_bft_theorem33
from schattheory.lemmas.balancing import c_p
from schattheory.lemmas.network_cover import bft_theorem33
from schattheory.symbols import G, L, N, Omega, W, X, a, b, delta, eps, j, l, p, r, rho


def _zero(expr):
    return sp.simplify(sp.powsimp(sp.expand_power_base(expr, force=True), force=True)) == 0


# ---- the headline: derived per-layer complexity vs the transcription -----------------------------------------
def test_per_layer_complexity_is_c_p_times_the_transcribed_summand():
    """paper-notes 4.1/4.3, typed here independently: C_l(p) = X^(2p/(p+2)) rho^(2/(p+2)) a^(2/(p+2)) Omega^(p/(p+2))."""
    typed = X ** (2 * p / (p + 2)) * rho ** (2 / (p + 2)) * a ** (2 / (p + 2)) * Omega ** (p / (p + 2))
    derived = per_layer_derivation().expr
    assert _zero(derived / typed - (1 + p / 2) * (2 / p) ** (p / (p + 2)))
    assert _zero(transcribed_per_layer() - typed)
    info = compare_with_transcribed()
    assert info["ratio_is_c_p"] and "c_p" in info["extra"]
    # the exponents match exactly: no other factor depends on X, rho, a or Omega
    for sym in (X, rho, a, Omega):
        assert sp.simplify(sp.diff(sp.log(derived), sym) - sp.diff(sp.log(typed), sym)) == 0


def test_main_bound_sum_route_is_sqrt_L_over_N_sum_C():
    bnd = derive_main_bound()
    C = sp.Function("C")
    assert str(bnd.expr) == "sqrt(L)*sqrt(Sum(C_l, (l, 1, L)))/sqrt(N)"
    full = derive_main_bound(collapse=False)
    # a chain through a reconstructed lemma is reconstructed (its weakest link), never "derived"
    assert full.status.value == "reconstructed" and full.derivation.weakest_status().value == "reconstructed"
    kinds = [st.kind for st in full.derivation.steps]
    assert kinds == ["lemma", "optimise over rank", "Dudley", "drop constants", "sum over layers", "Cauchy-Schwarz"]
    del C


def test_main_bound_at_depth_3_is_evaluable_and_matches_the_symbolic_form():
    bnd = registry.get("derived.ledent2025.main.L3")
    ex = bnd.example_values
    from schattheory.symbols import layer

    want = sp.sqrt(3 * sum(transcribed_per_layer(ex[layer("p", i)], ex[layer("a", i)], ex[layer("rho", i)],
                                                 ex[layer("Omega", i)], ex[X]) for i in (1, 2, 3)) / ex[N])
    assert abs(bnd.evaluate(ex, dps=30) - sp.N(want, 30)) < 1e-25


def test_cover_route_pays_L_to_the_2p_over_p_plus_2():
    cover = derive_main_bound(route="cover")
    assert cover.mode == "explicit"
    summand = [x for x in sp.preorder_traversal(cover.derivation.steps[6].result) if isinstance(x, sp.Sum)][0]
    assert sp.Symbol("L", positive=True, integer=True) in summand.function.free_symbols
    assert cover.derivation.steps[-1].kind == "union bound" and sp.log(G) in sp.expand_log(
        cover.expr, force=True).atoms(sp.log)


def test_thm33_rederived_equals_published_plus_L_ln_2W2():
    for depth in (2, 3):
        der = derive_bft_theorem33(depth)
        der.check()
        assert sp.simplify(der.expr - bft_theorem33(depth) - depth * sp.log(2 * W ** 2)) == 0


# ---- replay and checks ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", [k for k in registry.keys() if registry.get(k).derivation is not None])
def test_every_registered_derivation_replays_and_checks(key):
    bnd = registry.get(key)
    der = bnd.derivation
    assert der.replay() is not None
    der.check()
    assert set(der.uses()) <= set(registry.keys())
    assert len(der.latex_lines()) == len(der.steps)
    assert der.describe().count("\n") == len(der.steps)


def test_replay_detects_a_changed_lemma(monkeypatch):
    der = per_layer_derivation()
    original = registry.get("covering.mixed_layer.split")
    changed = replace(original, expr=original.expr * 2)
    monkeypatch.setitem(registry._REGISTRY, "covering.mixed_layer.split", changed)
    with pytest.raises(DerivationError, match="no longer reproduces"):
        der.replay()


def test_wrong_relaxation_is_caught():
    der = derive("demo.relax", [UseLemma("covering.low_rank"), Relax(old=sp.log(9 * sp.Symbol("R", positive=True) / eps),
                                                                       new=sp.Integer(1), because="wrong")],
                 example=registry.get("covering.low_rank").example_values)
    with pytest.raises(DerivationError, match="relaxation"):
        der.check()


def test_wrong_choice_is_caught():
    from schattheory.symbols import R

    steps = [UseLemma("covering.low_rank", subs={eps: eps / 2}),
             Choose(r, sp.Integer(0), condition=sp.Le(R * (r + 1) ** (-1 / p), eps / 2))]
    der = derive("demo.choose", steps, example={**registry.get("covering.schatten_ball.spectral").example_values})
    with pytest.raises(DerivationError, match="choice"):
        der.check()


def test_dropping_a_size_dependent_factor_is_caught():
    der = derive("demo.drop", [UseLemma("balancing.continuous"), DropConstants(factors=(a,), allowed=(p,))],
                 example=registry.get("balancing.continuous").example_values)
    with pytest.raises(DerivationError, match="depends on"):
        der.check()


def test_optimise_refuses_a_wrong_shape():
    with pytest.raises(DerivationError):
        derive("demo.opt", [UseLemma("covering.low_rank"), OptimiseRank(r, p)])


def test_union_bound_costs_log_G():
    from schattheory.derivation import Apply
    from schattheory.provenance import cite

    rad = sp.Symbol("Rad", positive=True)
    der = derive("demo.union", [UseLemma("dudley.inverse_square.optimal"),
                                Apply(template=2 * rad + 3 * sp.sqrt(sp.log(2 / delta) / (2 * N)), placeholder=rad,
                                      citation=cite("bartlett2017", "Lemma 3.1")),
                                UnionBound(delta=delta, grid_size=G)])
    diff = sp.simplify(der.expr.subs(G, 1) - der.steps[1].result)
    assert diff == 0
    assert der.expr.subs({G: 41, delta: sp.Rational(1, 20), N: 1000, sp.Symbol("R", positive=True): 2}).is_number


def test_sum_and_cauchy_schwarz_explicit_depth():
    der = derive("demo.cs", [UseLemma("balancing.continuous"), SumOverLayers(per_layer=(a, b), count=3),
                             CauchySchwarz()])
    a1, b1 = sp.Symbol("a_1", positive=True), sp.Symbol("b_1", positive=True)
    assert a1 in der.expr.free_symbols and b1 in der.expr.free_symbols
    vals = {s: k + 2 for k, s in enumerate(sorted(der.expr.free_symbols, key=str))}
    assert sp.N(der.expr.subs(vals)) >= sp.N(der.steps[1].result.subs(vals))


def test_derived_bound_wrapper_records_provenance():
    der = per_layer_derivation()
    bnd = derived_bound(der, key="demo.per_layer", lhs="K")
    assert bnd.provenance.derived_from == der.uses()
    assert "reconstructed" in bnd.notes and bnd.derivation is der


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not on the PATH")
def test_latex_lines_compile(tmp_path):
    lines = []
    for der in (derive_main_bound().derivation, derive_main_bound(route="cover").derivation,
                registry.get("derived.bartlett2017.network_cover.L3").derivation,
                registry.get("covering.schatten_ball.frobenius").derivation):
        lines += [r"\item " + ln for ln in der.latex_lines()]
    doc = "\n".join([r"\documentclass{article}", r"\usepackage{amsmath,amssymb}", r"\begin{document}",
                     r"\begin{enumerate}", *lines, r"\end{enumerate}", r"\end{document}"])
    (tmp_path / "d.tex").write_text(doc, encoding="utf-8")
    res = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "d.tex"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout[-2000:]
