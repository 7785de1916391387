"""The falsifier: known false statements refuted (with 50-digit sides and the argument), true ones left alone,
and its lower bounds checked against explicit nets built independently."""

import math
from dataclasses import replace

import mpmath
import numpy as np
import pytest
import sympy as sp
from refuted_forms import OLD_MIXED_LAYER_SPLIT

import schattheory
from schattheory.analysis.falsifier import attack, falsify
from schattheory.analysis.falsifier.covers import log_cover_lower_bound
from schattheory.analysis.falsifier.rademacher import expected_abs_sum, monte_carlo_lcl, witness_lower_bound
from schattheory.core.bound import Bound
from schattheory.core.registry import get
from schattheory.foundation.errors import InputError
from schattheory.foundation.provenance import Provenance, cite
from schattheory.foundation.quantities import (
    EmpiricalL2,
    EmpiricalRademacher,
    LinearClass,
    LogCoveringNumber,
    MaureyClass,
    Metric,
    NormBall,
    SchattenBall,
)
from schattheory.foundation.symbols import B, L, N, Omega, R, W, X, a, b, d, eps, j, m, p, r, rho

USER = Provenance("classical", (cite("vershynin2018"),), note="a user statement (test)")


def _digits50(text):
    return len(text.replace("-", "").replace(".", "").split("e")[0].lstrip("0")) >= 45


def test_lazy_export_and_counterexample_fields():
    good = get("schatten.spectral_le_schatten")
    wrong = replace(good, key="demo.half", expr=good.expr / 2)
    cx = schattheory.falsify(wrong, budget_s=2, seed=0)
    assert cx is not None and cx.key == "demo.half" and cx.method in ("search", "optimise")
    assert _digits50(cx.lhs50) and _digits50(cx.rhs50) and cx.lhs > cx.rhs
    assert "p positive" in cx.assumptions
    # the counterexample is real: the registered side evaluated independently at the reported point
    sig = [float(x) for x in cx.point["A"]]
    with mpmath.workdps(50):
        assert mpmath.mpf(max(sig)) > cx.rhs
    assert schattheory.Counterexample is type(cx)


def test_user_scalar_statement_equality_case_is_no_alarm():
    a_, b_ = sp.symbols("a_u b_u", positive=True)
    amgm = Bound("user.amgm", expr=(a_ + b_) / 2, params=(a_, b_), lhs=sp.sqrt(a_ * b_), provenance=USER)
    assert attack(amgm, 2, seed=1).outcome == "survived"  # equality along a = b: never an alarm
    wrong = replace(amgm, key="user.amgm4", expr=(a_ + b_) / 4)
    cx = falsify(wrong, budget_s=2, seed=1)
    assert cx is not None
    assert cx.lhs > cx.rhs


def test_old_mixed_cover_is_refuted_on_the_issue_instance():
    """One dense W x W layer, inputs x_i = e_i, B = gamma = s = 1, p = 2, rho = 1: the class is the unit Frobenius
    ball under d_X = ||.||_F/sqrt(W). The old split form at j = 0, Omega = 1 claims 1/eps^2 (4W at eps = 1/(2 sqrt W));
    the volume bound gives W^2 ln 2 there."""
    claimed = OLD_MIXED_LAYER_SPLIT.subs({a: 2 * W + 1, Omega: 1, X: 1, rho: 1, p: 2})
    lhs = LogCoveringNumber(SchattenBall(2, 1, W, W), EmpiricalL2(1), eps)
    old = Bound("refuted.mixed_layer.split", expr=claimed, params=(W, j, eps), lhs=lhs, provenance=USER)
    cx = falsify(old.subs({j: 0}, key="refuted.mixed_layer.split.j0"), budget_s=4, seed=0)
    assert cx is not None and cx.method in ("volume", "packing")
    assert "x_i = B e_i" in cx.argument
    w, e = cx.point["W"], cx.point["epsilon"]
    # independent check of the reported lower bound: W^2 ln(1/(eps sqrt W)) (unit Frobenius ball, volume)
    with mpmath.workdps(50):
        vol = w * w * mpmath.log(1 / (mpmath.mpf(e) * mpmath.sqrt(w)))
        assert cx.lhs >= vol * (1 - mpmath.mpf(10) ** -40) and cx.rhs == 1 / mpmath.mpf(e) ** 2
    # Omega = W with j free: refuted too (the issue's second instance, false for W >= 64)
    wide = replace(
        old,
        key="refuted.mixed_layer.split.omega_w",
        expr=OLD_MIXED_LAYER_SPLIT.subs({a: 2 * W + 1, Omega: W, X: 1, rho: 1, p: 2}),
    )
    assert falsify(wide, budget_s=4, seed=0) is not None


def test_issue_point_by_hand():
    """The issue's numbers: at W = 6, eps = 1/(2 sqrt 6), lower bound 36 ln 2 = 24.95 > 4W = 24."""
    lhs = LogCoveringNumber(SchattenBall(2, 1, W, W), EmpiricalL2(1), eps)
    lb, _ = log_cover_lower_bound(lhs, {W: 6, eps: 1 / (2 * math.sqrt(6))})
    assert lb == pytest.approx(36 * math.log(2), rel=1e-9) and lb > 24


def test_wrong_declared_limit_is_refuted():
    good = get("ledent2025.square.dominant")
    lim = next(x for x in good.limits if x.symbol == p and x.point == 0)
    assert lim.value == sp.sqrt(2) * L * sp.sqrt(W * r) / sp.sqrt(N)
    wrong = replace(
        good,
        key="user.square.wrong_limit",
        limits=tuple(replace(x, value=42 * L * W * r / sp.sqrt(N)) if x is lim else x for x in good.limits),
    )
    cx = falsify(wrong, budget_s=1)
    assert cx is not None and cx.method == "declared-limit" and "42" in cx.argument
    assert attack(good, 0.5).outcome != "refuted"


def test_understated_rademacher_bound_is_refuted_and_true_ones_survive():
    n = sp.Symbol("n", positive=True, integer=True)
    for norm in ("F", "S_p", "2,1"):
        rad = EmpiricalRademacher(LinearClass(norm, R, m, d, sp.Rational(1, 2)), B, n)
        true = Bound(f"user.rad.{norm}", expr=R * B / sp.sqrt(n), params=(R, B, m, d, n), lhs=rad, provenance=USER)
        assert attack(true, 1.5, seed=2).outcome == "survived", norm  # ||W||_F <= ||W||: R B/sqrt(n) is true
        low = replace(true, key=f"user.rad.{norm}.half", expr=R * B / (2 * sp.sqrt(n)))
        cx = falsify(low, budget_s=3, seed=2)
        assert cx is not None and cx.method in ("witness", "monte-carlo"), norm
    # S_p with p > 2 is a larger class: R B n^(-1/p) > R B/sqrt(n) on the diagonal sample
    big = EmpiricalRademacher(LinearClass("S_p", R, m, d, 4), B, n)
    assert (
        falsify(
            Bound("user.rad.p4", expr=R * B / sp.sqrt(n), params=(R, B, m, d, n), lhs=big, provenance=USER),
            budget_s=3,
            seed=2,
        )
        is not None
    )


def test_rademacher_witnesses_against_brute_force():
    """Exact E|S_n| and the one-column witness against an enumeration of all sign vectors."""
    for n in range(1, 11):
        signs = np.array(np.meshgrid(*[[-1, 1]] * n)).reshape(n, -1).T
        assert expected_abs_sum(n) == sum(abs(int(s.sum())) for s in signs) / sp.Integer(2**n)
    # one column Z_i = E_i1 (m = 6, d = 3): sup over the Frobenius ball = ||s||_2 = sqrt(n), for every s
    n = 5
    signs = np.array(np.meshgrid(*[[-1, 1]] * n)).reshape(n, -1).T
    Z = np.zeros((n, 6, 3))
    Z[range(n), range(n), 0] = 1.0
    exact = np.mean([np.linalg.norm(np.einsum("i,ijk->jk", s, Z)) for s in signs]) / n
    q = EmpiricalRademacher(LinearClass("F", 1, 6, 3), 1, n)
    lb, _ = witness_lower_bound(q, {})
    assert lb == pytest.approx(exact, rel=1e-12)


def test_mcdiarmid_limit_is_below_the_exact_value():
    """LCL of 400 draws vs the exact empirical complexity by enumeration (n = 10, 1024 sign vectors)."""
    rng = np.random.default_rng(5)
    n, m_, d_ = 10, 3, 3
    for norm, pp in (("F", 2.0), ("S_p", 0.5), ("S_p", 3.0), ("2,1", 2.0)):
        mean, lcl = monte_carlo_lcl(norm, 1.0, m_, d_, pp, 1.0, n, np.random.default_rng(11))
        Z = np.random.default_rng(11).standard_normal((n, m_, d_))
        Z /= np.sqrt((Z**2).sum(axis=(1, 2)))[:, None, None]
        signs = np.array(np.meshgrid(*[[-1.0, 1.0]] * n)).reshape(n, -1).T
        from schattheory.analysis.falsifier.rademacher import _dual

        exact = float(_dual(norm, pp, np.einsum("tn,nij->tij", signs, Z)).mean()) / n
        assert lcl < exact < mean + 0.5 * (mean - lcl), norm
    del rng


def test_cover_lower_bounds_never_exceed_explicit_nets():
    """Independent route: explicit nets (a grid on an interval and a square, the Maurey net) have at least as many
    points as the proven lower bound says any net must."""
    # interval [-R, R] (a norm ball in R^1): the net of ceil(R/eps) centres is optimal
    for Rv, ev in ((1.0, 0.3), (2.0, 0.5), (1.0, 1.0), (5.0, 0.07)):
        lb, _ = log_cover_lower_bound(LogCoveringNumber(NormBall(R, 1), Metric("own"), eps), {R: Rv, eps: ev})
        assert lb == pytest.approx(math.log(math.ceil(Rv / ev - 1e-12)))
    # l_oo ball in R^2 in its own norm: a grid of ceil(R/eps)^2 centres covers it
    for Rv, ev in ((1.0, 0.3), (1.0, 0.11)):
        lb, _ = log_cover_lower_bound(LogCoveringNumber(NormBall(R, 2), Metric("own"), eps), {R: Rv, eps: ev})
        assert lb <= math.log(math.ceil(Rv / ev) ** 2) + 1e-12
    # Maurey class: the constructive net of maurey.maurey_net is a net, so its size bounds N from above
    from schattheory.lemmas.maurey import maurey_net

    for dd, mm, av, ev in ((2, 1, 1.0, 0.75), (1, 2, 1.0, 0.5), (2, 2, 1.0, 0.9)):
        net, _ = maurey_net(np.eye(dd) / math.sqrt(dd), m=mm, a=av, eps=ev)
        lb, _ = log_cover_lower_bound(
            LogCoveringNumber(MaureyClass(a, b, d, m, sp.oo, "2,1"), Metric("2"), eps),
            {a: av, b: 1.0, d: dd, m: mm, eps: ev},
        )
        assert lb <= math.log(len(net)) + 1e-12


def test_registered_covers_survive_and_understated_ones_fall():
    for key in ("covering.low_rank", "covering.schatten_ball.spectral", "maurey.bft_instance"):
        good = get(key)
        assert attack(good, 1.0, seed=4).outcome == "survived", key
    low = get("covering.low_rank")
    cx = falsify(replace(low, key="user.low_rank.tenth", expr=low.expr / 10), budget_s=3, seed=4)
    assert cx is not None and cx.method in ("volume", "packing") and "block" in cx.argument


def test_unchecked_says_why_and_bad_input_is_one_line():
    v = attack(get("ledent2025.fc.dominant"), 0.2)
    assert v.outcome == "unchecked" and "text" in v.reason
    with pytest.raises(InputError, match="budget_s"):
        falsify(get("schatten.norm"), budget_s=-1)
    with pytest.raises(InputError, match="statement"):
        falsify("schatten.norm")


def test_cli_check_json_exit_codes(tmp_path, capsys):
    """exit 0 and clean JSON on stdout; exit 1 when a statement (a user's, via --load, in a fresh interpreter so the
    registry here stays clean) is refuted; exit 2 on bad input, one line on stderr."""
    import json
    import os
    import subprocess
    import sys

    from schattheory.outputs.cli import main

    assert main(["check", "schatten.spectral_le_schatten", "--json", "--budget", "0.5"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["counts"] == {"refuted": 0, "survived": 1, "unchecked": 0} and "check [1/1]" in err
    for args in (["no.such.key"], ["--budget", "-1", "schatten.norm"], ["--all", "schatten.norm"], []):
        assert main(["check", *args]) == 2, args
        out, err = capsys.readouterr()
        assert out == "" and len(err.strip().splitlines()) == 1, (args, err)

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    (tmp_path / "wrong_stmts.py").write_text(
        "from dataclasses import replace\n"
        "from schattheory.core.registry import get, register\n"
        "b = get('schatten.spectral_le_schatten')\n"
        "register(replace(b, key='user.spectral_third', expr=b.expr / 3))\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([root, str(tmp_path)]))
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "schattheory",
            "check",
            "--load",
            "wrong_stmts",
            "user.spectral_third",
            "--json",
            "--budget",
            "2",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert bad.returncode == 1, bad.stderr
    cx = json.loads(bad.stdout)["verdicts"][0]["counterexample"]
    assert cx["method"] in ("search", "optimise") and len(cx["lhs"].replace(".", "").lstrip("0")) >= 45


def test_the_hypothesis_phase_runs_without_hypothesis_explain_phase(monkeypatch):
    """Hypothesis's explain phase traces every line the condition runs once a candidate is found; inside the
    falsifier that made a 1-s attack take up to 15 s in the test suite. find() is run without it; a wrong statement
    is still refuted and the true one survives."""
    import hypothesis

    seen = []
    real = hypothesis.find

    def spy(strategy, condition, *, settings=None, **kw):
        seen.append(settings)
        return real(strategy, condition, settings=settings, **kw)

    monkeypatch.setattr(hypothesis, "find", spy)
    wrong = replace(
        get("schatten.spectral_le_schatten"), key="user.half", expr=get("schatten.spectral_le_schatten").expr / 2
    )
    assert attack(wrong, 1.0, seed=1).outcome == "refuted"
    assert attack(get("schatten.spectral_le_schatten"), 0.5, seed=7).outcome == "survived"
    assert seen and all(hypothesis.Phase.explain not in s.phases for s in seen)
