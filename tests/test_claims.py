"""The claims audit: each verdict checked against evidence computed here by another route (numeric sequences on the
per-layer expansions of the registered forms, not the symbolic square forms, growth rules and ratios the audit
uses), and checks fed altered evidence to show that their verdicts follow it."""

import json
import math
import pathlib
import re
import subprocess
import sys

import mpmath
import pytest
import sympy as sp

from schattheory.analysis.asymptotics import Exponential
from schattheory.analysis.claims import (
    CLAIMS,
    VERDICTS,
    Conventions,
    Exponents,
    audit,
    c14_sweep,
    comparators,
    covering_sweep,
    decide,
    markdown_table,
    sweep,
)
from schattheory.analysis.claims.context import Context
from schattheory.analysis.claims.run import CHECKS, result_of
from schattheory.bounds import bartlett2017, counting, golowich2018, ledent2025
from schattheory.foundation import symbols as S
from schattheory.outputs import cli

NAMES = {"W": S.W, "r": S.r, "L": S.L, "epsilon": S.eps, "X": S.X, "N": S.N}
ROOT = pathlib.Path(__file__).resolve().parents[1]


def expr(text):
    return sp.sympify(text, locals=NAMES)


@pytest.fixture(scope="module")
def results():
    return {r.id: r for r in audit()}


# ---- an independent route: the per-layer expansion of a registered form, evaluated at 40 digits ----------------
def per_layer_value(form, depth, values):
    """``form.expand(depth)`` with every per-layer symbol set by its base name (w_3 -> values['w'])."""
    e = form.expand(depth)
    subs = {}
    for sym in e.free_symbols:
        name = sym.name if sym.name in values else sym.name.rsplit("_", 1)[0]
        subs[sym] = values[name]
    with mpmath.workdps(40):
        return mpmath.mpf(sp.N(e.xreplace(subs), 40))


def sample_complexity(form, depth, values):
    """N at which the bound equals eps = 1: every form here is K / sqrt(N) at N = 1, so N = K^2."""
    return per_layer_value(form, depth, {**values, "N": 1}) ** 2


def slope(f, lo, hi):
    return float(mpmath.log(f(hi) / f(lo)) / mpmath.log(mpmath.mpf(hi) / lo))


def main_values(W, r, p):
    # square W x W layers with a flat rank-r spectrum, norms normalised (s_l = 1, B = gamma = 1)
    return {"w": W, "rho": r, "p": p, "s": 1, "B": 1, "gamma": 1}


FC = ledent2025.FORMS[("fc", "dominant")]
FC_W = ledent2025.FORMS[("fc_wl_width", "dominant")]


def test_every_claim_gets_a_verdict_decided_from_evidence(results):
    assert [c.id for c in CLAIMS] == [f"C{i:02d}" for i in range(1, 15)]
    for r in results.values():
        assert r.verdict in VERDICTS and r.verdict != "undecided", (r.id, r.reason, r.evidence)
        assert r.checked_against and r.convention and r.evidence and r.numeric and r.derivation, r.id
        assert r.basis["verdict"] == r.verdict and r.reason == r.basis["reason"], r.id
        json.dumps(r.to_dict())


def test_C01_C02_C03_hold(results):
    assert results["C01"].verdict == "holds" and all(results["C01"].evidence["special_values"].values())
    assert results["C02"].verdict == "holds" and "3 (symbolic)" in results["C02"].evidence["schatten.power_sum, p -> 0"]
    c03 = results["C03"]
    assert c03.verdict == "holds" and 1 <= c03.evidence["min_ratio_random_factorisations"] < 1.01


def test_C04_exponents_agree_with_a_numeric_sequence_at_p_near_zero(results):
    """N at p = 1e-30 from the L-layer expansion: slopes 1 in W and r, 2 in L (and N / (W r L^2) -> 2)."""
    p = mpmath.mpf(10) ** -30
    n = lambda W=256, r=4, L=4: sample_complexity(FC, L, main_values(W, r, p))  # noqa: E731
    found = {
        "W": round(slope(lambda w: n(W=w), 2**10, 2**11), 6),
        "r": round(slope(lambda k: n(r=k), 2**3, 2**4), 6),
        "L": round(slope(lambda d: n(L=d), 8, 16), 6),
    }
    assert found == {"W": 1, "r": 1, "L": 2}
    assert abs(float(n(W=256, r=4, L=8) / (256 * 4 * 64)) - 2) < 1e-6
    r = results["C04"]
    assert {k: v for k, v in r.evidence["growth"].items()} == {"W": 1, "L": 2, "r": 1}
    assert expr(r.evidence["sample_complexity"]) == 2 * S.W * S.r * S.L**2 / S.eps**2
    assert r.verdict == decide(Exponents("N", {"W": 1, "r": 1, "L": 2}, {"W": 1, "r": 1, "L": 2})).verdict


def test_C05_holds_p_one_is_a_weighted_geometric_mean(results):
    r = results["C05"]
    assert r.verdict == "holds" and r.evidence["log C(1) = 2/3 log(rho a) + 1/3 log(X^2 Omega)"] is True


def test_C06_numeric_exponents_at_large_p_decide_fails(results):
    """p = 1e30: N ~ L^2 (W_l = 1), N ~ W L^2 (W_l = w_l) from the expansions; the claimed W^2 L under neither."""
    p = mpmath.mpf(10) ** 30
    found = {}
    for name, form in (("W_l = 1", FC), ("W_l = w_l", FC_W)):
        n = lambda W=256, L=4: sample_complexity(form, L, main_values(W, 4, p))  # noqa: E731
        found[name] = {"W": round(slope(lambda w: n(W=w), 2**10, 2**11)), "L": round(slope(lambda d: n(L=d), 8, 16))}
    assert found == {"W_l = 1": {"W": 0, "L": 2}, "W_l = w_l": {"W": 1, "L": 2}}
    mine = decide(Conventions("C06", tuple((k, Exponents("N", v, {"W": 2, "L": 1})) for k, v in found.items())))
    r = results["C06"]
    assert r.verdict == mine.verdict == "fails"
    for name, got in found.items():
        assert {k: r.evidence[f"growth, {name}"][k] for k in got} == got


def test_C07_numeric_depth_exponent_is_three(results):
    """Bartlett et al. on square layers (||A^T||_{2,1} = sqrt(W r), s_l = 1, ||X||_F = sqrt(N)): N ~ L^3."""
    vals = {"X_F": 1, "b": math.sqrt(256 * 4), "s": 1, "gamma": 1}
    depth = slope(lambda d: sample_complexity(bartlett2017.DOMINANT, d, vals), 8, 16)
    assert abs(depth - 3) < 1e-9
    r = results["C07"]
    assert r.evidence["growth (rank-aware)"]["L"] == 3 and r.evidence["growth (crude)"] == {"W": 2, "L": 3, "r": 0}
    assert r.verdict == decide(Exponents("depth", {"L": round(depth)}, {"L": 1}, "<=")).verdict == "fails"


def test_C08_numeric_depth_growth_is_exponential(results):
    """Golowich et al. with ||A_l||_F = sqrt(r), s_l = 1: N = L r^L, whose log-log slope in L grows without bound;
    with prod ||A_l||_F = 1 it is width-free. Both contradict W^2 L."""
    n = lambda d, F: sample_complexity(golowich2018.DOMINANT, d, {"F": F, "B": 1, "gamma": 1})  # noqa: E731
    slopes = [slope(lambda d: n(d, 2.0), 2**k, 2 ** (k + 1)) for k in (2, 3, 4, 5)]
    assert all(b > 1.8 * a for a, b in zip(slopes, slopes[1:]))  # L log r / log L: not polynomial
    assert abs(slope(lambda d: n(d, 1.0), 8, 16) - 1) < 1e-12  # Frobenius-normalised: N = L
    r = results["C08"]
    assert isinstance(r.evidence["growth (spectral norms normalised)"]["L"], Exponential)
    assert r.evidence["growth (Frobenius norms normalised)"] == {"W": 0, "L": 1, "r": 0}
    mine = decide(
        Conventions(
            "O~(W^2 L)",
            (("spectral", Exponents("N", {"W": 0}, {"W": 2})), ("Frobenius", Exponents("N", {"W": 0}, {"W": 2}))),
        )
    )
    assert r.verdict == mine.verdict == "fails"


def test_C09_fails_pac_bayes_depth_is_L_cubed_not_L_squared(results):
    r = results["C09"]
    assert r.verdict == "fails" and r.evidence["growth at full rank"]["L"] == 3


def test_C10_both_comparisons_numerically(results):
    """main at p = 1e-30 against counting and the rank-aware spectral bound, from the expansions: counting / main =
    W/(2r) (the claimed factor times 1/2), spectral / main = L/2 whatever r: so the verdict depends on which."""
    W, p = 256, mpmath.mpf(10) ** -30
    claimed = {W: 1, 16: math.sqrt(W), 1: W}
    seen = {"counting": set(), "spectral": set()}
    for depth in (4, 8):
        for r_, factor in claimed.items():
            main = sample_complexity(FC, depth, main_values(W, r_, p))
            cnt = sample_complexity(counting.DOMINANT, depth, {"w": W})
            spec = sample_complexity(
                bartlett2017.DOMINANT, depth, {"X_F": 1, "b": math.sqrt(W * r_), "s": 1, "gamma": 1}
            )
            seen["counting"].add(round(float(cnt / main) / factor, 9))
            assert abs(float(spec / main) - depth / 2) < 1e-9
            seen["spectral"].add(round(float(spec / main) / factor, 9))
    assert seen["counting"] == {0.5}  # one constant: holds up to it
    assert len(seen["spectral"]) == 6  # varies with L and r: fails
    r = results["C10"]
    assert expr(r.evidence["ratio (parameter counting / main)"]) == S.W / (2 * S.r)
    assert expr(r.evidence["ratio (rank-aware spectral bound / main)"]) == S.L / 2
    assert r.verdict == "depends-on-convention"
    assert (
        "vs parameter counting: holds-up-to-constant" in r.reason and "vs rank-aware spectral bound: fails" in r.reason
    )


def test_C11_counts_recomputed_from_the_sweep(results):
    rows = [x for x in covering_sweep(256) if x["r"] <= 16]
    counts = {
        f"p={p}": f"{sum(x['ratio'] <= 0.5 for x in rows if x['p'] == p)} of {sum(x['p'] == p for x in rows)}"
        for p in sorted({x["p"] for x in rows})
    }
    r = results["C11"]
    assert r.evidence["low-rank points at most half the Frobenius cover, by p"] == counts
    assert r.evidence["crossover"]["p=1.5, eps=0.01"] == "never tighter"
    wins = [int(v.split(" of ")[0]) for v in counts.values()]
    assert len({"holds" if w == 15 else "fails" if w == 0 else "nu" for w in wins}) > 1
    assert r.verdict == "depends-on-convention"


def test_C12_holds_and_the_best_p_moves_with_the_spectrum_only_at_large_X(results):
    r = results["C12"]
    assert r.verdict == "holds" and all("(symbolic)" in v for v in r.evidence["limits"].values())
    by_x = dict(r.numeric[1:])
    assert len({p for _, p in by_x[10.0]}) == 1 and len({p for _, p in by_x[1000.0]}) > 1


def test_C13_holds_main_depth_L2_and_graf_is_linear(results):
    r = results["C13"]
    assert r.verdict == "holds"
    assert "parameter counting (Graf et al. 2022)" in r.evidence["classical bounds with O(L)"]


def test_C14_is_not_universal_with_the_counts(results):
    """The optimised bound wins in a band only: counts recomputed from the sweep's log10 values."""
    rows = c14_sweep()["rows"]
    others = ("counting", "bartlett2017", "neyshabur2018", "golowich2018")
    fc = sum(x["ledent2025"] < min(x[o] for o in others) for x in rows)
    ww = sum(x["ledent2025.wl_width"] < min(x[o] for o in others) for x in rows)
    assert 0 < fc < len(rows) and 0 < ww < len(rows)
    r = results["C14"]
    assert r.verdict == "not-universal"
    assert f"{fc} of {len(rows)}" in r.reason and f"{ww} of {len(rows)}" in r.reason
    winners = {w for _, _, w in r.evidence["where it loses (W_l = 1): (alpha, X, winner)"]}
    assert winners == {"counting", "golowich2018"}


# ---- the checks follow their evidence: altered inputs, altered verdicts ----------------------------------------
def _ctx(table=None, sweep_rows=None):
    ctx = Context(20.0)
    if table is not None:
        ctx._table = table
    if sweep_rows is not None:
        ctx._sweep = {"width": 4, "depth": 2, "n": 10, "parameters": 32, "rows": sweep_rows}
    return ctx


def _row(beats_fc, beats_ww):
    return {
        "alpha": 1.0,
        "X": 1.0,
        "ledent2025": 0.0,
        "ledent2025.wl_width": 0.0,
        "counting": 0.0,
        "bartlett2017": 0.0,
        "neyshabur2018": 0.0,
        "golowich2018": 0.0,
        "best_p_fc": 1.0,
        "beats_fc": beats_fc,
        "beats_wl_width": beats_ww,
        "winner_other": "counting",
    }


@pytest.mark.parametrize(
    "rows, verdict",
    [
        ([_row(True, True)] * 3, "holds"),
        ([_row(False, False)] * 3, "fails"),
        ([_row(True, True), _row(False, True), _row(False, False)], "not-universal"),
        ([_row(True, False)] * 3, "depends-on-convention"),
    ],
)
def test_C14_verdict_follows_the_sweep(rows, verdict):
    assert result_of("C14", CHECKS["sweep_claim"](_ctx(sweep_rows=rows))).verdict == verdict


def _table(count, spectral):
    return {
        "Schatten bound, p -> 0+": {"sample_complexity": 2 * S.W * S.r * S.L**2 / S.eps**2},
        "parameter counting (dominant)": {"sample_complexity": count},
        "spectral (Bartlett et al. 2017)": {"sample_complexity": spectral},
    }


@pytest.mark.parametrize(
    "count, spectral, verdict",
    [
        (S.L**2 * S.W**2 / S.eps**2, S.L**3 * S.W * S.r / S.eps**2, "depends-on-convention"),
        (2 * S.L**2 * S.W**2 / S.eps**2, 2 * S.L**2 * S.W**2 / S.eps**2, "holds"),
        (S.L**2 * S.W**2 / S.eps**2, 3 * S.L**2 * S.W**2 / S.eps**2, "holds-up-to-constant"),
        (S.L**2 * S.W * S.r / S.eps**2, S.L**3 * S.W * S.r / S.eps**2, "fails"),
    ],
)
def test_C10_verdict_follows_both_comparisons(count, spectral, verdict):
    assert result_of("C10", CHECKS["improvement_factor"](_ctx(table=_table(count, spectral)))).verdict == verdict


def test_C08_verdict_follows_the_exponents(monkeypatch):
    """Give the Frobenius bound the claimed W^2 L under both normalisations: the verdict turns to holds."""
    claimed = S.W**2 * S.L / S.eps**2
    table = {
        "Frobenius (Golowich et al. 2018)": {
            "sample_complexity": claimed,
            "growth": {"W": 2, "L": 1, "r": 0},
            "exploits_low_rank": True,
        }
    }
    monkeypatch.setattr(
        comparators, "_square_sample_complexity", lambda form, ch: (claimed, {"W": 2, "L": 1, "r": 0}, ())
    )
    assert result_of("C08", CHECKS["frobenius_claim"](_ctx(table=table))).verdict == "holds"
    table["Frobenius (Golowich et al. 2018)"]["exploits_low_rank"] = False
    assert result_of("C08", CHECKS["frobenius_claim"](_ctx(table=table))).verdict == "fails"


def test_a_check_that_raises_is_undecided(monkeypatch):
    def broken(ctx):
        raise RuntimeError("no data")

    monkeypatch.setitem(CHECKS, "sweep_claim", broken)
    (res,) = audit(["C14"])
    assert res.verdict == "undecided" and "no data" in res.reason


def test_c14_sweep_shows_where_the_main_bound_wins():
    s = c14_sweep(alphas=(0.25, 1.0, 3.0), xs=(1.0, 10.0, 1000.0))
    assert s["n"] < s["parameters"]  # overparametrised
    rows = {(r["alpha"], r["X"]): r for r in s["rows"]}
    assert rows[(1.0, 10.0)]["beats_fc"]  # decaying spectrum, moderate X: wins
    assert not rows[(0.25, 1000.0)]["beats_fc"] and rows[(0.25, 1000.0)]["winner_other"] == "counting"
    assert not rows[(3.0, 1.0)]["beats_fc"] and rows[(3.0, 1.0)]["winner_other"] == "golowich2018"
    for r in s["rows"]:
        # optimising p can only help: never worse than p = 2 for every layer (a grid point)
        assert r["ledent2025"] <= r["ledent2025_p2"] + 1e-4
        # W_l = w_l only adds width factors
        assert r["ledent2025.wl_width"] >= r["ledent2025"] - 1e-12
    assert sweep.OTHERS == ("counting", "bartlett2017", "neyshabur2018", "golowich2018")


def test_covering_sweep_tends_to_the_rank_count_at_small_p():
    """(m+n+1) ceil((2c R/eps)^(2p/(2-p))) -> (2n+1) r as p -> 0: the rank-r count, up to the log factor."""
    p, r, eps, n = 0.02, 2, 0.1, 64
    row = covering_sweep(n, ranks=(r,), ps=(p,), epss=(eps,))[0]
    count = row["schatten"] / math.log(18 * r ** (1 / p - 0.5) / eps)
    assert 1 <= count / ((2 * n + 1) * r) <= (r + 1) / r  # the ceiling adds at most one rank


def test_markdown_tables(results):
    rs = list(results.values())
    full, compact = markdown_table(rs), markdown_table(rs, compact=True)
    for table, cols in ((full, 7), (compact, 4)):
        lines = table.splitlines()
        assert len(lines) == 2 + len(rs) and all(re.sub(r"\\\|", "", ln).count("|") == cols + 1 for ln in lines)
    assert "| C14 | " in compact and "**not-universal**" in compact


def test_readme_audit_table_is_the_code_output(results):
    """The README's table is `schattheory claims --markdown --compact`, pasted between its markers."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- audit-table:begin .*?-->\n(.*?)\n<!-- audit-table:end -->", text, re.S)
    assert block is not None
    assert block.group(1).strip() == markdown_table(list(results.values()), compact=True)


def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "schattheory", "claims", *args], capture_output=True, text=True, timeout=300
    )


def test_cli_json_progress_and_bad_ids(capsys):
    out = _cli("--json", "--ids", "C04", "C14")
    assert out.returncode == 0
    data = json.loads(out.stdout)  # stdout is only the JSON
    assert [d["id"] for d in data] == ["C04", "C14"] and data[1]["verdict"] == "not-universal"
    assert data[1]["basis"]["parts"][0]["verdict"] == "not-universal"
    progress = out.stderr.strip().splitlines()
    assert [ln.split()[:3] for ln in progress] == [["[1/2]", "C04", "holds"], ["[2/2]", "C14", "not-universal"]]
    # bad input in-process (the process boundary is the call above): exit 2 and one line naming the value
    assert cli.main(["claims", "--ids", "C99"]) == 2
    err = capsys.readouterr().err
    assert "C99" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert cli.main(["claims", "--timeout", "-1"]) == 2
    assert cli.main(["claims", "--compact"]) == 2


def test_C03_uses_the_balanced_factorisation_of_weight_decay(monkeypatch):
    """The check takes its factors from weight_decay.balanced_factorization: unbalanced factors (same product,
    W_1 doubled and W_L halved) no longer attain L sum sigma^(2/L), and the verdict says so."""
    from schattheory.analysis.claims import schatten_checks
    from schattheory.lemmas.weight_decay import balanced_factorization

    def unbalanced(A, L):
        fs = balanced_factorization(A, L)
        return [2 * fs[0]] + fs[1:-1] + [fs[-1] / 2]

    monkeypatch.setattr(schatten_checks, "balanced_factorization", unbalanced)
    res = result_of("C03", CHECKS["weight_decay"](_ctx()))
    assert res.verdict == "fails" and "balanced factorisation attains" in res.reason


def test_C11_verdict_follows_the_registered_covers(monkeypatch):
    """C11 reads covers_compare.compare_covers (the registered lemmas): covers that are all at most half the
    Frobenius cover at low rank turn the verdict to holds."""
    from schattheory.analysis.claims import covering

    def halved(m, n, ranks, eps_values, R, p):
        return [
            {"eps": e, "rank": rk, "schatten_capped": 1.0, "frobenius": 2.0, "ratio": 0.5, "low_rank": 1.0}
            for rk in ranks
            for e in eps_values
        ]

    monkeypatch.setattr(covering, "compare_covers", halved)
    assert result_of("C11", CHECKS["covering_claim"](_ctx())).verdict == "holds"


def test_the_audit_imports_its_own_modules_plainly():
    """No try/except ImportError around an import in the claims package or the report's audit section."""
    import ast

    files = sorted((ROOT / "schattheory" / "analysis" / "claims").glob("*.py"))
    files += [ROOT / "schattheory" / "outputs" / "report" / "audit.py"]
    assert len(files) >= 10
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Try):
                caught = {ast.unparse(h.type) for h in node.handlers if h.type is not None}
                assert not caught & {"ImportError", "ModuleNotFoundError"}, path
