"""Layout of long formulas: lines within the width budget, named subexpressions that expand back to the exact
expression, and a width estimate that errs on the safe side (checked against pdflatex in test_latex_compile)."""

import re

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from schattheory.core import registry
from schattheory.foundation.notation import current, print_latex
from schattheory.outputs.latex.layout import DEF_INDENT_PT, DISPLAY_BUDGET_PT, fit, fit_many, letters_for, tex_width
from schattheory.outputs.latex.render import _lhs_prefix

X = sp.symbols("x_1:41", positive=True)


def _norm(tex):
    return re.sub(r"\s+|\\cdot", "", tex)


def _check(lay, expr, head=""):
    assert lay.expand() == expr
    assert all(tex_width(x) <= DISPLAY_BUDGET_PT for x in lay.lines)
    assert all(tex_width(x) <= DISPLAY_BUDGET_PT - DEF_INDENT_PT for _, ls in lay.defs for x in ls)
    # the lines are the printed main expression, cut between terms or factors
    assert _norm("".join(lay.lines)) == _norm(head + print_latex(lay.main))
    for (name, lines), (sym, value) in zip(lay.defs, lay.names):
        assert name == print_latex(sym) and _norm("".join(lines)) == _norm(print_latex(value))


@pytest.mark.parametrize("key", registry.keys())
def test_every_registered_statement_fits(key):
    b = registry.get(key)
    head = _lhs_prefix(b, current())
    _check(fit(b.expr, head=head), b.expr, head)


SHAPES = {
    "long sum": sp.Add(*[x**2 for x in X]),
    "long product": sp.Mul(*[(x + 1) ** sp.Rational(2, 3) for x in X[:25]]),
    "root of a sum of products": sp.sqrt(
        sp.Add(*[X[i] ** (X[0] / (X[0] + 2)) * (X[i] + X[i + 1]) ** 2 for i in range(20)])
    ),
    "fraction of sums": sp.Add(*X[:20]) / sp.Add(*X[20:]),
    "repeated block": sp.log(sp.Add(*X[:15]) + 1) * sp.sqrt(sp.Add(*X[:15])) + sp.Add(*X[:15]) ** 2,
    "short": X[0] + X[1],
}


@pytest.mark.parametrize("name", SHAPES)
def test_shapes_fit_and_expand_back(name):
    expr = SHAPES[name]
    lay = fit(expr)
    _check(lay, expr)
    if name == "short":
        assert lay.lines == [print_latex(expr)] and not lay.defs
    if name == "long sum":
        assert len(lay.lines) > 2 and not lay.defs  # a sum only needs line breaks
    if name == "repeated block":
        assert len(lay.defs) == 1 and lay.names[0][1] == sp.Add(*X[:15])  # named once, used three times


@settings(max_examples=25)
@given(st.lists(st.integers(0, 39), min_size=1, max_size=30), st.integers(1, 5))
def test_random_sums_of_powers_fit(indices, k):
    expr = sp.sqrt(sp.Add(*[X[i] ** sp.Rational(k, i + 2) * (X[i] + 1) for i in indices])) + X[0]
    _check(fit(expr), expr)


def test_several_displays_share_names_and_letters_avoid_symbols():
    big = sp.Add(*X[:30])
    lines, defs, mains, names = fit_many([("", sp.sqrt(big) / 2), ("\\to ", sp.sqrt(big) / 3)])
    assert len(names) == 1 and mains[0] == sp.sqrt(names[0][0]) / 2 and mains[1] == sp.sqrt(names[0][0]) / 3
    T1 = sp.Symbol("T_1", positive=True)
    assert letters_for(T1 + X[0], current(), 2) == ["Z", "Q"]
    assert fit(sp.sqrt(big + T1)).defs[0][0] == "Z_{1}"


@pytest.mark.parametrize(
    "narrow, wide",
    [
        (r"\frac{a}{b}", "a b"),
        ("x_{1}", "x 1"),
        (r"\sqrt{x}", r"\sqrt{x + y}"),
        ("a", r"\left(a + b\right)^{2}"),
    ],
)
def test_width_estimate_orders_simple_cases(narrow, wide):
    assert tex_width(narrow) < tex_width(wide)


def test_a_narrower_page_gives_narrower_lines():
    from schattheory.outputs.latex.layout import display_budget, page

    expr = SHAPES["root of a sum of products"]
    wide = fit(expr)
    with page(360):
        budget = display_budget()
        narrow = fit(expr)
    assert budget == pytest.approx(360 - (469.75 - DISPLAY_BUDGET_PT))
    assert narrow.expand() == expr
    assert max(tex_width(x) for _, ls in narrow.defs for x in ls) <= budget - DEF_INDENT_PT
    assert sum(len(ls) for _, ls in narrow.defs) > sum(len(ls) for _, ls in wide.defs)
    with pytest.raises(ValueError, match="too narrow"):
        with page(50):
            pass
