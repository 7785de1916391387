"""Claim C11 (Schatten covers vs Frobenius-based covers in the low-rank regime): the comparison function."""

import math

import pytest

from schattheory.analysis.covers_compare import (
    compare_covers,
    comparison,
    crossover,
    crossover_rank,
    log_covers,
    summary,
)
from schattheory.foundation.errors import InputError
from schattheory.lemmas.covering import stechkin_constant


def test_row_values_match_hand_formulas():
    """Independent of the registry: the formulas of SOURCES.md [C6.1], [C6.4] and the volumetric bound typed here."""
    m, n, rk, eps, R, p = 30, 40, 3, 0.05, 1.0, 0.5
    row = log_covers(m, n, rk, eps, R=R, p=p)
    Rp = rk ** (1 / p - 0.5) * R
    c = float(stechkin_constant(p, 2))
    trunc = math.ceil((2 * c * Rp / eps) ** (2 * p / (2 - p)))
    assert row["truncation_rank"] == trunc
    assert math.isclose(row["frobenius"], m * n * math.log(1 + 2 * R / eps), rel_tol=1e-12)
    assert math.isclose(row["schatten"], (m + n + 1) * trunc * math.log(18 * Rp / eps), rel_tol=1e-12)
    assert math.isclose(
        row["schatten_capped"], (m + n + 1) * min(trunc, min(m, n)) * math.log(18 * Rp / eps), rel_tol=1e-12
    )
    assert math.isclose(row["low_rank"], (m + n + 1) * rk * math.log(9 * R / eps), rel_tol=1e-12)


def test_sweep_shape_and_the_regimes():
    rows = compare_covers(100, 100, ranks=[1, 2, 5, 50], eps_values=[0.5, 0.1, 1e-3], p=0.5)
    assert len(rows) == 12 and {"ratio", "schatten_smaller", "truncation_rank"} <= set(rows[0])
    by = {(r["rank"], r["eps"]): r for r in rows}
    assert by[(1, 0.5)]["schatten_smaller"] and by[(2, 0.1)]["schatten_smaller"]  # low rank, coarse scale: holds
    assert not by[(1, 1e-3)]["schatten_smaller"]  # fine scale: fails
    assert not by[(50, 0.5)]["schatten_smaller"]  # high rank: fails
    assert all(r["low_rank"] <= r["schatten_capped"] for r in rows)  # rank-aware cover is best


def test_crossover_is_a_sign_change():
    xs = crossover(100, 100, 2, p=0.5, eps_min=1e-5)
    assert len(xs) == 1
    x = xs[0]
    below, above = log_covers(100, 100, 2, x * 0.9, p=0.5), log_covers(100, 100, 2, x * 1.1, p=0.5)
    assert not below["schatten_smaller"] and above["schatten_smaller"]
    assert crossover_rank(100, 100, 0.5, p=0.5) >= 5
    assert crossover_rank(100, 100, 0.01, p=1.5) is None


def test_trivial_scale_and_bad_input():
    assert log_covers(10, 10, 2, 1.5)["schatten"] == 0.0
    with pytest.raises(InputError, match="rank"):
        log_covers(10, 10, 11, 0.1)
    with pytest.raises(InputError, match="p="):
        log_covers(10, 10, 2, 0.1, p=2)
    with pytest.raises(InputError, match="eps"):
        log_covers(10, 10, 2, -0.1)


def _hand_row(m, n, rk, eps, R, p):
    """The three covers typed here from SOURCES.md [C6.1], [C6.4] and the volumetric bound (as in the first test)."""
    if eps >= R:
        return None
    Rp = rk ** (1 / p - 0.5) * R
    trunc = math.ceil((2 * float(stechkin_constant(p, 2)) * Rp / eps) ** (2 * p / (2 - p)))
    return {
        "frobenius": m * n * math.log(1 + 2 * R / eps),
        "schatten": (m + n + 1) * min(trunc, min(m, n)) * math.log(18 * Rp / eps),
        "low_rank": (m + n + 1) * rk * math.log(9 * R / eps),
    }


def test_comparison_counts_match_the_hand_formulas():
    m = n = 50
    ranks, epss, p = (1, 5, 25), (0.5, 0.05, 0.005), 0.5
    c = comparison(m, n, ranks=ranks, eps_values=epss, p=p)
    hand = [(rk, e, _hand_row(m, n, rk, e, 1.0, p)) for rk in ranks for e in epss]
    wins = [(rk, e, h) for rk, e, h in hand if h["schatten"] < h["frobenius"]]
    assert c["cases"] == 9 and c["schatten_smaller"] == len(wins) and 0 < len(wins) < 9
    best = min(wins, key=lambda t: t[2]["schatten"] / t[2]["frobenius"])
    assert (c["best"]["rank"], c["best"]["eps"]) == best[:2]
    assert c["low_rank_below_schatten"] == sum(h["low_rank"] <= h["schatten"] for *_, h in hand)
    assert c["low_rank_below_both"] == sum(h["low_rank"] <= min(h["schatten"], h["frobenius"]) for *_, h in hand)
    for rk, xs in c["flips"].items():  # each flip is a sign change of schatten - frobenius (hand formulas)
        for x in xs:
            lo, hi = _hand_row(m, n, rk, x * 0.99, 1.0, p), _hand_row(m, n, rk, x * 1.01, 1.0, p)
            assert (lo["schatten"] < lo["frobenius"]) != (hi["schatten"] < hi["frobenius"])
    assert any(c["flips"].values())


def test_summary_states_the_computed_comparison():
    c = comparison(50, 50, ranks=(1, 5, 25), eps_values=(0.5, 0.05, 0.005))
    text = summary(50, 50, ranks=(1, 5, 25), eps_values=(0.5, 0.05, 0.005))
    assert f"in {c['schatten_smaller']} of {c['cases']} cases" in text
    assert f"Best ratio {c['best']['ratio']:.3g} at rank {c['best']['rank']}" in text
    assert f"below the Schatten cover in {c['low_rank_below_schatten']} of {c['cases']}" in text
    for rk, xs in c["flips"].items():
        assert (f"rank {rk}: the comparison flips" in text) == bool(xs)
