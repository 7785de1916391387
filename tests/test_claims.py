"""The claims audit: each verdict pinned, with the reasoning in the test's name and docstring."""
import json
import math
import subprocess
import sys

import pytest
import sympy as sp

from schattheory import symbols as S
from schattheory.asymptotics import Exponential
from schattheory.claims import VERDICTS, audit, c14_sweep, covering_sweep, markdown_table
from schattheory.claims_data import CLAIMS


NAMES = {"W": S.W, "r": S.r, "L": S.L, "epsilon": S.eps, "X": S.X, "N": S.N}


def expr(text):
    return sp.sympify(text, locals=NAMES)


@pytest.fixture(scope="module")
def results():
    return {r.id: r for r in audit()}


def test_every_claim_gets_a_verdict_with_evidence(results):
    assert [c.id for c in CLAIMS] == [f"C{i:02d}" for i in range(1, 15)]
    for r in results.values():
        assert r.verdict in VERDICTS and r.verdict != "undecided", (r.id, r.evidence)
        assert r.checked_against and r.convention and r.evidence and r.numeric and r.derivation, r.id
        json.dumps(r.to_dict())


def test_C01_holds_special_values_and_rank_proxy_decreasing(results):
    """S_oo, S_2, S_1 are the spectral, Frobenius, nuclear norms; r(p) decreases in p."""
    r = results["C01"]
    assert r.verdict == "holds" and all(r.evidence["special_values"].values())


def test_C02_holds_power_sum_to_rank_and_norm_to_spectral(results):
    r = results["C02"]
    assert r.verdict == "holds"
    assert "3 (symbolic)" in r.evidence["schatten.power_sum, p -> 0"]


def test_C03_holds_weight_decay_is_L_times_schatten_two_over_L(results):
    """The balanced factorisation attains L sum sigma^(2/L); random re-factorisations never go below it."""
    r = results["C03"]
    assert r.verdict == "holds" and 1 <= r.evidence["min_ratio_random_factorisations"] < 1.01


def test_C04_holds_p_to_zero_gives_2WrL2(results):
    """p -> 0+: sqrt(2 W r L^2 / N), so N ~ 2 W r L^2 = O~(W r L^2); independent of the W_l convention."""
    r = results["C04"]
    assert r.verdict == "holds"
    assert expr(r.evidence["sample_complexity"]) == 2 * S.W * S.r * S.L ** 2 / S.eps ** 2
    assert "(symbolic)" in r.evidence["limit p->0+ (square)"]


def test_C05_holds_p_one_is_a_weighted_geometric_mean(results):
    r = results["C05"]
    assert r.verdict == "holds"
    assert r.evidence["log C(1) = 2/3 log(rho a) + 1/3 log(X^2 Omega)"] is True


def test_C06_fails_p_to_infinity_gives_L2_or_WL2_never_W2L(results):
    """W_l = 1: N ~ L^2 (width-free); W_l = w_l: N ~ W L^2. The claimed W^2 L appears under neither."""
    r = results["C06"]
    assert r.verdict == "fails"
    assert expr(r.evidence["sample complexity, W_l = 1"]) == S.L ** 2 * S.X ** 2 / S.eps ** 2
    assert expr(r.evidence["sample complexity, W_l = w_l"]) == S.L ** 2 * S.W * S.X ** 2 / S.eps ** 2
    assert "W_l = 1" in r.convention and "W_l = w_l" in r.convention


def test_C07_fails_bartlett_depth_is_L_cubed_not_L(results):
    r = results["C07"]
    assert r.verdict == "fails"
    assert r.evidence["growth (rank-aware)"]["L"] == 3 and r.evidence["growth (crude)"] == {"W": 2, "L": 3, "r": 0}


def test_C08_fails_frobenius_bound_is_exponential_in_depth(results):
    r = results["C08"]
    assert r.verdict == "fails" and isinstance(r.evidence["growth"]["L"], Exponential)


def test_C09_fails_pac_bayes_depth_is_L_cubed_not_L_squared(results):
    r = results["C09"]
    assert r.verdict == "fails" and r.evidence["growth at full rank"]["L"] == 3


def test_C10_holds_up_to_constant_improvement_is_W_over_2r(results):
    """counting / main = W/(2r): 1/2, sqrt(W)/2, W/2 at r = W, sqrt(W), 1 -- the claimed factors times 1/2."""
    r = results["C10"]
    assert r.verdict == "holds-up-to-constant"
    assert expr(r.evidence["ratio (counting / main)"]) == S.W / (2 * S.r)
    assert set(r.evidence["constant factor vs claim"].values()) == {"1/2"}


def test_C11_depends_on_the_schatten_exponent(results):
    """Small p: tighter than the Frobenius cover at low rank; p >= 1 at small eps: looser."""
    r = results["C11"]
    assert r.verdict == "depends-on-convention"
    assert r.evidence["crossover"]["p=1.5, eps=0.01"] == "never tighter"
    assert r.evidence["crossover"]["p=0.1, eps=0.1"].startswith("tighter")


def test_C12_holds_limits_are_the_rank_and_norm_counts(results):
    r = results["C12"]
    assert r.verdict == "holds"
    assert all("(symbolic)" in v for v in r.evidence["limits"].values())


def test_C13_holds_main_depth_L2_and_graf_is_linear(results):
    r = results["C13"]
    assert r.verdict == "holds"
    assert "parameter counting (Graf et al. 2022)" in r.evidence["classical bounds with O(L)"]


def test_C14_fails_as_a_universal_statement_on_synthetic_spectra(results):
    """The optimised bound wins in a band only: Frobenius wins at fast decay and small X, counting at flat
    spectra and large X."""
    r = results["C14"]
    assert r.verdict == "fails"
    winners = {w for _, _, w in r.evidence["where it loses (W_l = 1): (alpha, X, winner)"]}
    assert winners == {"counting", "golowich2018"}


def test_c14_sweep_shows_where_the_main_bound_wins():
    sweep = c14_sweep(alphas=(0.25, 1.0, 3.0), xs=(1.0, 10.0, 1000.0))
    assert sweep["n"] < sweep["parameters"]                   # overparametrised
    rows = {(r["alpha"], r["X"]): r for r in sweep["rows"]}
    assert rows[(1.0, 10.0)]["beats_fc"]                       # decaying spectrum, moderate X: wins
    assert not rows[(0.25, 1000.0)]["beats_fc"] and rows[(0.25, 1000.0)]["winner_other"] == "counting"
    assert not rows[(3.0, 1.0)]["beats_fc"] and rows[(3.0, 1.0)]["winner_other"] == "golowich2018"
    for r in sweep["rows"]:
        # optimising p can only help: never worse than p = 2 for every layer (a grid point)
        assert r["ledent2025"] <= r["ledent2025_p2"] + 1e-4
        # W_l = w_l only adds width factors
        assert r["ledent2025.wl_width"] >= r["ledent2025"] - 1e-12


def test_covering_sweep_tends_to_the_rank_count_at_small_p():
    """(2n+1) ceil((2c R/eps)^(2p/(2-p))) -> (2n+1) r as p -> 0: the rank-r count, up to the log factor."""
    p, r, eps, n = 0.02, 2, 0.1, 64
    row = covering_sweep(n, ranks=(r,), ps=(p,), epss=(eps,))[0]
    count = row["schatten"] / math.log(18 * r ** (1 / p - 0.5) / eps)
    assert 1 <= count / ((2 * n + 1) * r) <= (r + 1) / r      # the ceiling adds at most one rank


def test_markdown_table_has_one_row_per_claim(results):
    table = markdown_table(list(results.values()))
    assert table.count("\n") == 1 + len(results) and "| C06 |" in table and "**fails**" in table


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "schattheory", "claims", *args], capture_output=True, text=True,
                          timeout=300)


def test_cli_json_and_bad_ids():
    out = _cli("--json", "--ids", "C04", "C10")
    assert out.returncode == 0
    data = json.loads(out.stdout)
    assert [d["id"] for d in data] == ["C04", "C10"] and data[1]["verdict"] == "holds-up-to-constant"
    bad = _cli("--ids", "C99")
    assert bad.returncode == 2 and "C99" in bad.stderr and "Traceback" not in bad.stderr
    assert _cli("--timeout", "-1").returncode == 2
