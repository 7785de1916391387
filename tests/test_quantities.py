"""Structured left-hand sides (schattheory.foundation.quantities): same LaTeX as the hand-written statements,
substitution, symbols checked by Bound.check, and no numeric evaluation."""

import pytest
import sympy as sp

from schattheory.core.registry import get
from schattheory.foundation.errors import InputError
from schattheory.foundation.quantities import (
    EmpiricalL2,
    EmpiricalRademacher,
    LinearClass,
    LogCoveringNumber,
    LowRankBall,
    Metric,
    SchattenBall,
    quantities_in,
)
from schattheory.foundation.symbols import R, d, eps, m, p, r

# the left sides as they were written by hand before they became structured (literal strings, not code output)
HAND_WRITTEN = {
    "covering.volumetric": r"\ln\mathcal{N}(B_{\|\cdot\|}(R),\|\cdot\|,\varepsilon)",
    "covering.quasi_norm_ball": r"\ln\mathcal{N}(B_{\|\cdot\|}(R),\|\cdot\|,\varepsilon)",
    "covering.low_rank": r"\ln\mathcal{N}(\{X\in\mathbb{R}^{m\times d}:\operatorname{rank}X\le r,\|X\|_F\le R\},"
    r"\|\cdot\|_F,\varepsilon)",
    "covering.low_rank.all_eps": r"\ln\mathcal{N}(\{X\in\mathbb{R}^{m\times d}:\operatorname{rank}X\le r,"
    r"\|X\|_F\le R\},\|\cdot\|_F,\varepsilon)",
    "covering.schatten_ball.frobenius": r"\ln\mathcal{N}(B_{S_p}(R),\|\cdot\|_F,\varepsilon)",
    "covering.schatten_ball.spectral": r"\ln\mathcal{N}(B_{S_p}(R),\|\cdot\|_{\sigma},\varepsilon)",
    "maurey.general": r"\ln\mathcal{N}(\{XA:\|A\|_{q,s}\le a\},\varepsilon,\|\cdot\|_2)",
    "maurey.bft_instance": r"\ln\mathcal{N}(\{XA:\|A\|_{2,1}\le a\},\varepsilon,\|\cdot\|_2)",
}


@pytest.mark.parametrize("key", sorted(HAND_WRITTEN))
def test_structured_lhs_prints_the_statement_latex(key):
    b = get(key)
    assert isinstance(b.lhs, LogCoveringNumber)
    assert b.latex().split(r" \leq ")[0] == HAND_WRITTEN[key]


def test_substitution_reaches_the_set_and_check_sees_its_symbols():
    b = get("covering.low_rank").subs({r: 2, m: 5})
    assert b.lhs.set.rank == 2 and b.lhs.set.shape == (5, d)
    assert "5" in b.latex() and r"\le 2" in b.latex()
    with pytest.raises(Exception, match="free symbols not in params"):
        get("covering.low_rank").__class__(
            **{**get("covering.low_rank").__dict__, "params": (m, d, R, eps), "key": "demo.missing"}
        ).check()


def test_quantities_refuse_numeric_evaluation():
    b = get("covering.schatten_ball.frobenius")
    with pytest.raises(InputError, match="not computable"):
        b.evaluate({"m": 2, "d": 2, "p": sp.Rational(1, 2), "R": 1, "epsilon": sp.Rational(1, 4)}, side="lhs")
    assert quantities_in(b.lhs) == {b.lhs} and not quantities_in(b.expr)


def test_bad_metric_and_set_are_one_line_errors():
    with pytest.raises(InputError, match="kind='L7'"):
        Metric("L7")
    with pytest.raises(InputError, match="set"):
        LogCoveringNumber(sp.Symbol("K"), Metric("F"), eps)


def test_rademacher_and_data_metric_print():
    from schattheory.foundation.latex_names import latex

    rad = EmpiricalRademacher(LinearClass("S_p", R, m, d, p), sp.Symbol("B"), sp.Symbol("N"))
    assert latex(rad) == r"\hat{\mathfrak{R}}_S(\mathcal{F}_{\|W\|_{S_p}\le R})"
    cover = LogCoveringNumber(SchattenBall(2, 1, m, m), EmpiricalL2(1), eps)
    assert latex(cover) == r"\ln\mathcal{N}(B_{S_2}(1),d_X,\varepsilon)"
    assert LowRankBall(r, R, m, d).func(*LowRankBall(r, R, m, d).args) == LowRankBall(r, R, m, d)
