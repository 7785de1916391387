"""LaTeX one can submit: free text escaped, math kept in titles, every cited work in the bibliography, tables kept
with keys, a warning for anything that would print wrongly, and the sample-complexity table split by the W_l
convention wherever it matters."""

from __future__ import annotations

import re

import pytest
import sympy as sp

from schattheory.foundation.errors import InputError
from schattheory.foundation.provenance import Citation
from schattheory.foundation.symbols import L, W, eps, r
from schattheory.foundation.tex_text import cite_keys, escape_text, text_mode_problems
from schattheory.outputs.latex.compile import pdflatex_available, pdftotext
from schattheory.outputs.latex.document import build_document, standalone, write_document
from schattheory.outputs.latex.tables import sample_complexity_table

needs_latex = pytest.mark.skipif(not pdflatex_available(), reason="pdflatex is not on the PATH")

MINE = Citation("doe2026", ("Jane Doe",), 2026, "Rank, depth and margins", "Preprint", entry_type="misc")
ROWS = [
    {
        "key": "bartlett2017.dominant",
        "label": "spectral",
        "sample_complexity": L**3 * W * r / eps**2,
        "growth": {"W": 1, "L": 3, "r": 1},
        "exploits_low_rank": True,
        "depth_exponent": 3,
    },
    {
        "key": "golowich2018.dominant",
        "label": "Frobenius",
        "sample_complexity": L * r**L / eps**2,
        "growth": {"W": 0, "L": sp.oo, "r": L},
        "exploits_low_rank": True,
        "depth_exponent": 1,
    },
]


def _bibitems(tex):
    return re.findall(r"\\bibitem\{([^}]*)\}", tex)


def test_math_in_titles_is_kept_and_the_rest_escaped():
    assert escape_text("Schatten-$q$ & co") == r"Schatten-$q$ \& co"
    doc = build_document(keys=["schatten.monotonicity"], title="Schatten-$q$ quasi-norms: 100% exact")
    assert r"\title{Schatten-$q$ quasi-norms: 100\% exact}" in doc.tex
    assert r"\$" not in doc.tex.split(r"\begin{document}")[0].split(r"\title")[1].split("\n")[0]


def test_keys_and_sample_rows_both_kept_and_their_works_cited():
    doc = build_document(keys=["schatten.monotonicity"], sample_rows=ROWS)
    assert r"\begin{lemma}" in doc.tex and "Comparison of sample complexities" in doc.tex
    assert {"bartlett2017", "golowich2018", "bhatia1997"} <= set(_bibitems(doc.tex))
    assert set(cite_keys(doc.tex)) <= set(_bibitems(doc.tex))


def test_spliced_table_and_own_citation_get_bibliography_entries():
    table = sample_complexity_table(ROWS)
    doc = build_document(
        keys=["schatten.monotonicity"],
        citations=[MINE],
        sections=[("Our comparison", table + "\n\nAs in \\cite{doe2026}.")],
    )
    items = set(_bibitems(doc.tex))
    assert {"bartlett2017", "golowich2018", "doe2026"} <= items
    assert "Jane Doe" in doc.tex and "@misc{doe2026," in doc.bib
    text = standalone(table + r" and \cite{doe2026}", title="A $p$-norm note", citations=[MINE])
    assert {"bartlett2017", "golowich2018", "doe2026"} <= set(_bibitems(text))
    assert "nosuch2020" not in _bibitems(standalone(r"see \cite{nosuch2020}"))  # the compile reports it
    with pytest.raises(InputError, match="nosuch2020"):
        build_document(keys=["schatten.monotonicity"], sections=[("x", r"\cite{nosuch2020}")])


def test_a_registered_own_statement_brings_its_citation():
    from schattheory.bounds import network
    from schattheory.bounds.custom import network_bound
    from schattheory.core import registry

    saved, users = dict(registry._REGISTRY), dict(network._USER)
    try:
        F, s, N, P, S = sp.symbols("F s N P S")
        network_bound(
            "test.cited",
            terms={"S": F**2 / s**2},
            outer=P * sp.sqrt(S / N),
            citations=[MINE],
            title="Frobenius ratio of $A_l$",
        )
        doc = build_document(keys=["test.cited.dominant"])
        assert "doe2026" in _bibitems(doc.tex) and r"\cite{doe2026}" in doc.tex
        assert "Frobenius ratio of $A_l$ (L = 3)." in doc.tex  # math in a statement's title kept
        assert standalone(r"\cite{doe2026}").count(r"\bibitem{doe2026}") == 1  # registered: no citations= needed
    finally:
        registry._REGISTRY.clear()
        registry._REGISTRY.update(saved)
        network._USER.clear()
        network._USER.update(users)


def test_text_that_would_print_wrongly_is_reported():
    assert text_mode_problems(r"\begin{document} relax (because a <= b) $a \le b$") != []
    assert (
        text_mode_problems(
            r"\begin{document} $a<b$ \cite[Thm~1]{x} \| \begin{tabular}{>{\centering}p{1cm}}"
            r"\end{tabular}"
        )
        == []
    )
    doc = build_document(keys=["schatten.monotonicity"], sections=[("Remark", "because a <= b")])
    assert any("inverted exclamation" in x for x in doc.problems())


@needs_latex
def test_write_document_warns_and_the_pdf_shows_why(tmp_path):
    doc = build_document(keys=["schatten.monotonicity"], sections=[("Remark", "because a <= b")])
    written = write_document(doc, tmp_path / "out", compile=True)
    assert any("inverted exclamation" in w for w in written.warnings)
    assert any("'¡'" in w for w in written.warnings)  # and pdftotext sees the wrong glyph
    clean = build_document(keys=["schatten.monotonicity"], sections=[("Remark", "because $a \\le b$")])
    written = write_document(clean, tmp_path / "clean", compile=True)
    assert written.warnings == [] and "¡" not in pdftotext(written.pdf)


@pytest.mark.slow
def test_every_schatten_row_with_finite_p_is_split_by_the_wl_convention():
    from schattheory.analysis.asymptotics import sample_complexity_table as rows_of

    rows = {row["label"]: row for row in rows_of()}
    schatten = [label for label in rows if label.startswith("Schatten bound")]
    for p in ("p = 1", "p = 2", "p -> oo"):
        a, b = rows[f"Schatten bound, {p}, W_l = 1"], rows[f"Schatten bound, {p}, W_l = w_l"]
        assert a["key"] == "ledent2025.fc.dominant" and b["key"] == "ledent2025.fc_wl_width.dominant"
        # W_l = w_l = W multiplies the per-layer complexity by W^(p/(p+2)) and N by the same factor
        ratio = sp.simplify(b["sample_complexity"] / a["sample_complexity"])
        expected = {"p = 1": W ** sp.Rational(1, 3), "p = 2": sp.sqrt(W), "p -> oo": W}[p]
        assert sp.simplify(ratio - expected) == 0, (p, ratio)
    assert "Schatten bound, p -> 0+ (either W_l convention)" in schatten
    assert not any(label.rstrip().endswith(("p = 1", "p = 2")) for label in schatten)


def test_relax_step_text_is_escaped_in_the_proof():
    from schattheory.core.derivation import Relax, Start, derive, derived_bound
    from schattheory.foundation.symbols import a, b
    from schattheory.outputs.latex.render import proof

    start = st_bound("test.relax_start", a + b)
    der = derive(
        "test.relaxed",
        [Start(bound=start), Relax(a, 2 * a, because="a <= 2a since a > 0 & |a| = a")],
        example={a: 1, b: 2},
    )
    tex = proof(derived_bound(der, status="new result"))
    assert text_mode_problems("\\begin{document}" + tex) == [], tex


def st_bound(key, expr):
    from schattheory.core.bound import Bound
    from schattheory.foundation.provenance import Provenance

    return Bound(
        key,
        expr=expr,
        params=tuple(sorted(expr.free_symbols, key=str)),
        provenance=Provenance("new result"),
        example={s: 1 for s in expr.free_symbols},
    )
