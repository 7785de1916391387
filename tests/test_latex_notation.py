"""The notation map drives every LaTeX output, stays backwards compatible, and refuses what it cannot print."""

import re

import pytest
import sympy as sp

from schattheory.core import registry
from schattheory.core.bound import Bound
from schattheory.foundation import notation as nt
from schattheory.foundation.errors import InputError
from schattheory.foundation.provenance import Provenance, cite
from schattheory.foundation.symbols import A, L, N, W, eps, gamma, h, j, layer, p, q, r
from schattheory.numerics.schatten import (
    FrobeniusNorm,
    MatrixRank,
    NuclearNorm,
    RankProxy,
    SchattenNorm,
    SingularValue,
    SpectralNorm,
    TailSchattenNorm,
)
from schattheory.outputs.latex.document import build_document
from schattheory.outputs.latex.render import inline, theorem
from schattheory.outputs.latex.tables import sample_complexity_table

SPECTRAL = [
    SchattenNorm(A, p),
    SpectralNorm(A),
    FrobeniusNorm(A),
    NuclearNorm(A),
    SingularValue(A, j + 1),
    TailSchattenNorm(A, r, q),
    MatrixRank(A),
    RankProxy(A, p),
]


def _width_bound():
    return Bound(
        "test.width_demo",
        expr=W * r * L**2 / N + layer("W", 1),
        params=(W, r, L, N, layer("W", 1)),
        provenance=Provenance("classical", (cite("mohri2018", "Thm 3.3"),)),
        kind="bound",
    )


@pytest.mark.parametrize("f", SPECTRAL, ids=lambda f: type(f).__name__)
def test_default_notation_reproduces_the_foundation_printers(f):
    # the foundation's own _latex methods are the reference for backwards compatibility
    from sympy.printing.latex import LatexPrinter

    assert nt.print_latex(f) == f._latex(LatexPrinter())


def _keys_without_spectral_functions():
    from schattheory.numerics.schatten import SpectralFunction

    return [k for k in registry.keys() if not registry.get(k).expr.atoms(SpectralFunction)]


# statements with spectral functions are compared with their own printers in the test above
@pytest.mark.parametrize("key", _keys_without_spectral_functions())
def test_default_output_equals_sympy_for_registered_expressions_without_spectral_functions(key):
    from schattheory.foundation.latex_names import SYMBOL_NAMES

    b = registry.get(key)
    names = {s: SYMBOL_NAMES[s.name] for s in b.expr.free_symbols if s.name in SYMBOL_NAMES}
    # names that are words print upright (test below); everything else is exactly SymPy's printing
    words = {s: nt.print_latex(s) for s in b.expr.free_symbols if "\\mathrm" in nt.print_latex(s)}
    assert all(re.search(r"[A-Za-z]{2}", s.name) for s in words)
    expected = sp.latex(b.expr, symbol_names={**names, **words}, inv_trig_style="full")
    # the documented deviations: no braces around function brackets, powers of log written \log^{k}(x), \arctan
    assert _canon(b.latex()).endswith(_canon(expected))


def _canon(tex: str) -> str:
    """LaTeX without whitespace and braces, with the exponent of a logarithm moved next to \\log."""
    tex = re.sub(r"[\s{}]", "", tex)
    out, i = "", 0
    while i < len(tex):
        if tex.startswith(r"\log\left(", i):
            depth, j = 0, i + len(r"\log")
            while True:  # find the matching \right)
                if tex.startswith(r"\left", j):
                    depth, j = depth + 1, j + len(r"\left")
                elif tex.startswith(r"\right", j):
                    depth, j = depth - 1, j + len(r"\right")
                    if depth == 0:
                        j += 1
                        break
                else:
                    j += 1
            m = re.match(r"\^(\d+)", tex[j:])
            arg = _canon_inner(tex[i + len(r"\log") : j])
            out += (r"\log^" + m.group(1) if m else r"\log") + arg
            i = j + (len(m.group(0)) if m else 0)
        else:
            out, i = out + tex[i], i + 1
    return out


def _canon_inner(tex):
    return _canon(tex) if r"\log" in tex else tex


@pytest.mark.parametrize(
    "name, tex",
    [
        ("KL", r"\mathrm{KL}"),
        ("rank_1", r"\mathrm{rank}_{1}"),
        ("q_params", r"q_{\mathrm{params}}"),
        ("d_in", "d_{in}"),
        ("x_ij", "x_{ij}"),
        ("sigma_1", r"\sigma_{1}"),
        ("W_1", "W_{1}"),
        ("xhat", r"\hat{x}"),
    ],
)
def test_words_are_upright_and_indices_italic(name, tex):
    # SymPy prints KL as K L (a product, to a reader); a two-letter script is an index and stays italic
    assert nt.print_latex(sp.Symbol(name)) == tex


def test_powers_of_logarithms_are_unambiguous():
    # SymPy writes log(x)**2 as \log{\left(x \right)}^{2}, which reads as log(x^2)
    assert nt.print_latex(sp.log(W) ** 2) == r"\log^{2}\left(W \right)"
    assert nt.print_latex(sp.sqrt(sp.log(W))) == r"\sqrt{\log\left(W \right)}"


def test_function_brackets_without_braces():
    # SymPy's \log{\left(a \right)} b is read back as log(a b) by its own parser; \log\left(a \right) b is not
    assert nt.print_latex(sp.log(W) * r) == r"r \log\left(W \right)"
    assert nt.print_latex(sp.atan(1 / W)) == r"\arctan\left(\frac{1}{W} \right)"  # as written by hand, and parsed
    assert nt.print_latex(sp.Function("f")(W + r)) == r"f\left(W + r \right)"


@pytest.mark.parametrize("f", SPECTRAL, ids=lambda f: type(f).__name__)
def test_powers_of_spectral_functions_print(f):
    # SymPy passes exp= to a function's printer for f**k (the foundation's printers take it since 4776f0f)
    assert nt.print_latex(f**2) == nt.print_latex(f) + "^{2}" == sp.latex(f**2)
    assert nt.print_latex(f ** (1 / p)) == nt.print_latex(f) + r"^{\frac{1}{p}}"


def test_every_registered_bound_prints_through_the_hook():
    for b in registry.all_bounds():
        assert b.latex()  # rank_comparison raised TypeError before the notation printer (power of rank(A))


def test_switching_width_changes_bound_latex_theorem_table_and_document():
    b = _width_bound()
    assert "W" in b.latex() and "h" not in b.latex()
    with nt.use(width="h"):
        tex = b.latex()
        assert tex == r"\frac{L^{2} h r}{N} + h_{1}"
        env = theorem(b)
        assert r"Let $h_{1}$, $r > 0$ and $L$, $N$, $h \in \{1, 2, \dots\}$. Then" in env
        assert "W" not in env  # neither the domain line nor the statement keep W
        row = {
            "key": "test.width_demo",
            "label": "demo",
            "sample_complexity": W * r * L**2,
            "growth": {"W": 1, "L": 2, "r": 1},
            "exploits_low_rank": True,
            "depth_exponent": 2,
        }
        table = sample_complexity_table([row])
        assert "& $h$ &" in table and r"\widetilde{O}\left(L^{2} h r\right)" in table
        doc = build_document(keys=["schatten.norm"])
        assert "$h$ the width" in doc.tex
    assert "h" not in b.latex()  # the switch is scoped


def test_switching_depth_and_macros_reaches_the_document_preamble_and_body():
    with nt.use(depth="D", schatten=r"\|#1\|_{\mathrm{sc},#2}"):
        doc = build_document(keys=["schatten.monotonicity"])
    assert r"\newcommand{\schatten}[2]{\|#1\|_{\mathrm{sc},#2}}" in doc.tex
    assert r"\schatten{A}{q} \leq \schatten{A}{p}" in doc.tex
    assert "$D$ the depth" in doc.tex
    # expanded style prints the switched body itself
    with nt.use(schatten=r"\|#1\|_{\mathrm{sc},#2}"):
        assert inline(registry.get("schatten.monotonicity")) == r"$\|A\|_{\mathrm{sc},q} \leq \|A\|_{\mathrm{sc},p}$"


def test_set_notation_is_global_until_reset():
    old = nt.current()
    try:
        nt.set_notation(rank="k")
        assert nt.print_latex(W * r) == "W k"
    finally:
        nt.set_notation(old)
    assert nt.print_latex(W * r) == "W r"


def test_two_symbols_printing_alike_are_refused():
    with nt.use(width="h"), pytest.raises(InputError, match="would both print as h"):
        nt.print_latex(W + h)


@pytest.mark.parametrize(
    "changes, match",
    [
        ({"nonsense": "x"}, "is not a role or macro"),
        ({"schatten": r"\|#1\|_{#3}"}, "uses #3"),
        ({"width": "{h"}, "unbalanced braces"),
        ({"width": ""}, "non-empty"),
    ],
)
def test_bad_notation_is_one_clear_error(changes, match):
    with pytest.raises(InputError, match=match):
        nt.DEFAULT.switch(**changes)


def test_parse_assignments():
    assert nt.parse_assignments(["width=h", r"schatten=\|#1\|_{#2}"]) == {"width": "h", "schatten": r"\|#1\|_{#2}"}
    with pytest.raises(InputError, match="ROLE=LATEX"):
        nt.parse_assignments(["width"])


def test_letters_of_roles_follow_sympy_names():
    assert nt.DEFAULT.letter("margin") == r"\gamma" == nt.print_latex(gamma)
    assert nt.DEFAULT.letter("scale") == r"\varepsilon" == nt.print_latex(eps)
    with pytest.raises(InputError):
        nt.DEFAULT.letter("colour")
