"""Renderers: every registered Bound as a theorem environment with its assumptions, statement, citations and
provenance in words; proof skeletons; BibTeX entries; text escaping."""

import re

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from schattheory.core import registry
from schattheory.core.bound import Bound
from schattheory.foundation.citations import CITATIONS
from schattheory.foundation.notation import print_latex
from schattheory.foundation.provenance import Provenance, cite
from schattheory.foundation.symbols import L, N, W, a, b, r
from schattheory.foundation.tex_text import breakable_key, cite_command, escape
from schattheory.outputs.latex import render


@pytest.mark.parametrize("key", registry.keys())
def test_theorem_environment_of_every_registered_bound(key):
    bnd = registry.get(key)
    env = render.environment(bnd)
    tex = render.theorem(bnd)
    assert tex.startswith(f"\\begin{{{env}}}") and tex.endswith(f"\\end{{{env}}}")
    assert f"\\label{{{render.label(key, env)}}}\\emergencystretch=3em\n" in tex
    for c in bnd.provenance.citations:
        assert cite_command(c) in tex
    assert f"({bnd.status.value})" in tex and escape(bnd.provenance.describe()) in tex
    for cond in bnd.assumptions:
        assert f"${print_latex(cond)}$" in tex
    lay = render.statement_layout(bnd)  # the statement itself, displayed in lines that fit (tests/test_latex_layout)
    assert lay.expand() == bnd.expr
    for line in lay.lines + [x for _, ls in lay.defs for x in ls]:
        assert line in tex
    if not lay.defs and len(lay.lines) == 1:
        assert bnd.latex() + "." in tex
    assert breakable_key(key) in tex
    for k in bnd.provenance.derived_from:
        assert breakable_key(k) in tex
    if bnd.mode:
        assert {"dominant": "Dominant form", "explicit": "Explicit form"}[bnd.mode] in tex
    for lim in bnd.limits:
        assert f"tends to ${print_latex(lim.value)}$" in tex or (
            lim.of is not None or render.tex_width(print_latex(lim.value)) > render.INLINE_BUDGET_PT
        )
        assert escape(lim.quantity) in tex


def test_theorem_says_reconstructed_in_words_and_refs_the_lemmas_it_rests_on():
    bnd = Bound(
        "test.derived",
        expr=W * r * L**2 / N,
        params=(W, r, L, N),
        kind="bound",
        mode="dominant",
        provenance=Provenance(
            "reconstructed", (cite("ledent2025", "abstract"),), note="matches the exponents of the abstract"
        ),
        assumptions=(sp.Le(r, W),),
    )
    known = {"schatten.monotonicity": ("lemma", "lem:schatten.monotonicity")}
    tex = render.theorem(bnd, known=known)
    assert "not the paper's own text" in tex
    assert r"\cite[abstract]{ledent2025}" in tex
    assert "Assume $r \\leq W$." in tex and "Dominant form" in tex
    derived = Bound(
        "test.derived2",
        expr=a + b,
        params=(a, b),
        kind="lemma",
        provenance=Provenance("derived", derived_from=("schatten.monotonicity", "x.unknown")),
    )
    tex = render.theorem(derived, known=known)
    assert r"Lemma~\ref{lem:schatten.monotonicity}" in tex and breakable_key("x.unknown") in tex
    assert tex.startswith("\\begin{lemma}\\label{lem:test.derived2}")  # no citation: no optional argument


def test_inline_and_display():
    bnd = registry.get("schatten.norm")
    assert render.inline(bnd) == f"${bnd.latex()}$"
    assert render.display(bnd, label="eq:x") == f"\\begin{{equation}}\\label{{eq:x}}\n{bnd.latex()}\n\\end{{equation}}"
    assert render.inline(W * r) == "$W r$"


def test_long_sums_break_over_lines():
    syms = sp.symbols("x_1:40", positive=True)
    bnd = Bound(
        "test.long",
        expr=sp.Add(*[s**2 for s in syms]),
        params=syms,
        lhs=sp.Symbol("y", positive=True),
        provenance=Provenance("classical", (cite("bhatia1997"),)),
        relation="==",
    )
    tex = render.display(bnd)
    assert tex.startswith("\\begin{multline*}") and tex.count("\\\\") >= 2 and "where" not in tex
    assert "y = " in tex.splitlines()[1]
    flat = re.sub(r"\s+", "", tex)
    for s in syms:
        assert re.sub(r"\s+", "", print_latex(s**2)) in flat


def test_unbreakable_parts_are_named_in_a_where_list():
    syms = sp.symbols("x_1:40", positive=True)
    bnd = Bound(
        "test.root",
        expr=sp.sqrt(sp.Add(*[s**2 for s in syms])) / 3,
        params=syms,
        provenance=Provenance("classical", (cite("bhatia1997"),)),
    )
    tex = render.display(bnd, punct=".")
    assert tex.startswith("\\begin{equation*}\n\\frac{\\sqrt{T_{1}}}{3},") and "\nwhere\n\\begin{align*}" in tex
    assert tex.endswith(".\n\\end{align*}") and "T_{1} &= x_{1}^{2} + " in tex and "&\\quad + " in tex


class _Step:
    """A step as the derivation engine records it (schattheory.core.derivation.Step): a LaTeX label, a note, a status,
    the relation to the previous expression, the registry keys it uses and its result."""

    def __init__(self, label, result, uses=(), note="", status=None, relation="<="):
        self.label, self.result, self._uses = label, result, uses
        self.note, self.status, self.relation = note, status, relation

    def latex_label(self):
        return self.label

    def uses(self):
        return self._uses


class _Derivation:
    def __init__(self, steps):
        self.steps = steps


def test_proof_skeleton_lists_every_recorded_step_in_order():
    x = sp.symbols("x_1:40", positive=True)
    steps = [
        _Step(r"By \texttt{schatten.stechkin\_sigma}", sp.Symbol("sigma_2") * 2, ("schatten.stechkin_sigma",)),
        _Step(
            "Balance over $r$", sp.sqrt(sp.Add(*x)), note="min_r a r + b r^(-2/p)", status="reconstructed", relation="~"
        ),
    ]
    known = {"schatten.stechkin_sigma": ("lemma", "lem:schatten.stechkin_sigma")}
    tex = render.proof(_Derivation(steps), known=known)
    assert tex.startswith("\\begin{proof}[Proof skeleton") and tex.count("\\item ") == 2
    assert "these 2 recorded steps" in tex
    first, second = tex.split("\\item ")[1:]
    assert first.startswith(r"By \texttt{schatten.stechkin\_sigma} (Lemma~\ref{lem:schatten.stechkin_sigma}); hence")
    assert r"\ldots \leq 2 \sigma_{2}." in first
    assert second.startswith(r"Balance over $r$ \textbf{[reconstructed]}: " + escape("min_r a r + b r^(-2/p)"))
    assert r"\ldots \asymp \sqrt{T_{1}}," in second and "T_{1} &= x_{1} + " in second  # long result: named
    with pytest.raises(ValueError, match="records no steps"):
        render.proof(_Derivation([]))


def test_proof_skeleton_of_steps_without_the_engine_interface():
    class Plain:
        def describe(self):
            return "apply Hoelder: sum a_i b_i <= ||a||_p ||b||_q"

    tex = render.proof(_Derivation([Plain()]))
    assert escape("apply Hoelder: sum a_i b_i <= ||a||_p ||b||_q") + "." in tex


def test_proof_skeleton_of_the_derived_main_theorem():
    from schattheory.bounds.derivations.main_bound import derive_main_bound

    bound = derive_main_bound()
    tex = render.proof(bound)
    assert tex.count("\\item ") == len(bound.derivation.steps)
    for step in bound.derivation.steps:
        assert step.latex_label() in tex


def test_proof_of_an_underived_bound_points_to_its_source():
    tex = render.proof(registry.get("schatten.stechkin_sigma"))
    assert r"\cite[Prop.~2.3 (vectors), via singular values]{foucart_rauhut2013}" in tex
    assert "No derivation is recorded" in tex


@pytest.mark.parametrize("key", sorted(CITATIONS))
def test_bibtex_entry_of_every_citation(key):
    c = CITATIONS[key]
    entry = render.bibtex_entry(c)
    assert entry.startswith(f"@{c.entry_type}{{{key},") and entry.endswith("}")
    assert entry.count("{") == entry.count("}")
    assert f"year = {{{c.year}}}" in entry
    field = {"article": "journal", "inproceedings": "booktitle", "book": "publisher"}.get(c.entry_type, "howpublished")
    assert f"  {field} = {{{escape(c.venue)}}}" in entry
    for author in c.authors:
        assert escape(author) in entry
    if c.arxiv:
        assert f"eprint = {{{c.arxiv}}}" in entry
    item = render.bib_item(c)
    assert item.startswith(f"\\bibitem{{{key}}}") and str(c.year) in item


def test_citations_of_drops_locators_and_duplicates():
    bounds = registry.all_bounds("schatten.")
    cits = render.citations_of(bounds)
    expected = []
    for bnd in bounds:  # first appearance order, each work once
        expected += [c.key for c in bnd.provenance.citations if c.key not in expected]
    assert [c.key for c in cits] == expected and len(expected) >= 2
    assert all(c.locator == "" for c in cits)


_SPECIALS = set("\\{}$&%#_^~<>|")


@given(st.text(max_size=60))
def test_escape_leaves_no_bare_special_and_no_unknown_unicode(text):
    out = escape(text)
    # remove what escape() produces on purpose; nothing special may remain outside it
    stripped = re.sub(r"\\(textbackslash|textasciicircum|textasciitilde|dots)\{\}|\\-", "", out)
    stripped = stripped.replace(r"$\$$", "")  # a dollar sign (math mode: Type 1 font)
    stripped = re.sub(r"\$[^$]*\$", "", stripped)  # math produced for <, >, |, Unicode symbols
    stripped = re.sub(r"\\[{}$&%#_]", "", stripped)
    assert not (set(stripped) & _SPECIALS), (text, out)
    assert all(ord(ch) < 0x100 for ch in stripped), (text, out)


def test_cite_command_ties_the_locator_and_protects_brackets():
    assert cite_command(cite("bartlett2017", "Lemma A.8")) == r"\cite[Lemma~A.8]{bartlett2017}"
    assert cite_command(cite("bartlett2017", "eq. [3]")) == r"\cite[eq.~\lbrack{}3\rbrack{}]{bartlett2017}"
    assert cite_command(cite("bartlett2017")) == r"\cite{bartlett2017}"


def test_statements_with_text_citations_need_no_bibliography():
    tex = render.statements(["schatten.monotonicity", "schatten.stechkin_sigma"], env="lemma", cite_style="text")
    assert tex.count("\\begin{lemma}") == 2 and "\\cite" not in tex
    assert "[{Bhatia (1997), Ch. IV (unitarily invariant norms)}]" in tex
    with pytest.raises(ValueError, match="cite_style"):
        render.theorem(registry.get("schatten.norm"), cite_style="footnote")
