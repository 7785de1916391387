"""Every generated document compiles with a real pdflatex: no LaTeX error, no undefined reference or citation, no
overfull box wider than DEFAULT_OVERFULL_PT (5 pt); pdftotext finds the statements and the table rows.

Skipped, with the reason, where pdflatex (texlive-latex-base, texlive-latex-recommended) or pdftotext
(poppler-utils) is not installed.
"""

import math
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
import sympy as sp

from schattheory.core import registry
from schattheory.foundation import notation as nt
from schattheory.foundation.citations import CITATIONS
from schattheory.foundation.errors import InputError
from schattheory.foundation.output import MARKER
from schattheory.foundation.symbols import L, W, r
from schattheory.outputs.latex.compile import (
    DEFAULT_OVERFULL_PT,
    LatexError,
    compile_tex,
    pdflatex_available,
    pdftotext,
)
from schattheory.outputs.latex.document import build_document, compile_file, standalone, write_document

needs_pdflatex = pytest.mark.skipif(
    not pdflatex_available() or shutil.which("pdftotext") is None,
    reason="pdflatex/pdftotext not on the PATH: apt-get install texlive-latex-base texlive-latex-recommended "
    "poppler-utils",
)
pytestmark = [pytest.mark.latex, needs_pdflatex]

ROOT = Path(__file__).resolve().parents[1]


def _flat(text: str) -> str:
    """pdftotext output without whitespace (line breaks fall anywhere in a paragraph), accents composed (pdftotext
    writes e + combining accent) and typographic quotes made plain."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text)).replace("’", "'")


def _type1_only(pdf):
    """Every font in the PDF is Type 1 (no bitmap font made by mktexpk for a TS1 glyph)."""
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "Type 3" not in fonts, fonts


def _check(written):
    """The build is clean by the stated standard, and the PDF exists."""
    rep = written.compile_result.report
    assert rep.problems(DEFAULT_OVERFULL_PT) == [], rep.problems(DEFAULT_OVERFULL_PT)
    assert written.pdf is not None and written.pdf.stat().st_size > 1000
    _type1_only(written.pdf)
    return pdftotext(written.pdf)


# ---- the log parser on real pdflatex output ---------------------------------------------------------------------
def _compile_body(tmp_path, body, name="t", **kw):
    tex = tmp_path / f"{name}.tex"
    tex.write_text(standalone(body), encoding="utf-8")
    return compile_tex(tex, **kw)


def test_a_latex_error_raises_with_file_and_line(tmp_path):
    with pytest.raises(LatexError) as info:
        _compile_body(tmp_path, "Text \\undefinedmacro{} here.")
    err = info.value.report.errors[0]
    assert err.message == "Undefined control sequence." and err.line is not None and "undefinedmacro" in err.context
    assert list(tmp_path.iterdir()) == [tmp_path / "t.tex"]  # compiled in a private copy: no aux files here


def test_undefined_references_citations_and_duplicate_labels_are_reported(tmp_path):
    body = "See \\ref{nowhere} and \\cite{nobody}. \\label{x}\\label{x}"
    with pytest.raises(LatexError, match="undefined reference nowhere; undefined citation nobody"):
        _compile_body(tmp_path, body)
    res = _compile_body(tmp_path, body, strict=False)
    rep = res.report
    assert rep.undefined_references == ["nowhere"] and rep.undefined_citations == ["nobody"]
    assert rep.multiply_defined == ["x"]
    assert len(rep.problems(None)) == 3


def test_overfull_boxes_are_measured(tmp_path):
    body = "\\noindent\\hbox to 1.2\\linewidth{x\\hfil}\n\n\\noindent\\hbox to 1.01\\linewidth{x\\hfil}"
    res = _compile_body(tmp_path, body)  # boxes are reported, not refused, without a threshold
    points = sorted(o.points for o in res.report.overfull)
    line = 469.75502  # \linewidth with 1in margins on letter paper (geometry's log)
    assert points == [pytest.approx(0.01 * line, rel=1e-3), pytest.approx(0.2 * line, rel=1e-3)]
    assert res.report.problems(DEFAULT_OVERFULL_PT) == [str(res.report.overfull[0])] or res.report.problems(
        DEFAULT_OVERFULL_PT
    ) == [str(o) for o in res.report.overfull if o.points > 5]
    with pytest.raises(LatexError, match="overfull"):
        compile_tex(tmp_path / "t.tex", overfull_threshold=DEFAULT_OVERFULL_PT)


# ---- generated documents ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def registry_doc(tmp_path_factory):
    out = tmp_path_factory.mktemp("registry") / "doc"
    return write_document(build_document(keys=registry.keys()), out, compile=True)


def test_every_registered_statement_compiles_and_reads_back(registry_doc):
    text = _check(registry_doc)
    flat = _flat(text)
    for key in registry.keys():
        assert key.replace("_", " ").replace(" ", "") in flat.replace("_", ""), key
    assert "Provenance(classical)" in flat and "References" in text
    # the statement of schatten.monotonicity, as pdftotext renders the typeset formula
    assert "Assumep≤q" in flat and "∥A∥Sq≤∥A∥Sp" in flat
    assert "BhatiaR" not in flat and "RajendraBhatia.MatrixAnalysis.Springer,1997." in flat
    assert sorted(p.name for p in registry_doc.tex.parent.iterdir()) == [
        MARKER,
        "refs.bib",
        "schattheory.pdf",
        "schattheory.tex",
    ]


def test_bibtex_variant_with_switched_notation(tmp_path):
    with nt.use(width="h", depth="D"):
        doc = build_document(keys=["schatten.norm", "schatten.stechkin_sigma"], bibliography="bibtex")
    written = write_document(doc, tmp_path / "bib", compile=True)
    assert written.compile_result.bibtex_runs == 1 and written.compile_result.report.bibtex_problems == []
    flat = _flat(_check(written))
    assert "hthewidth,Dthedepth" in flat
    assert "SimonFoucartandHolgerRauhut" in flat


def test_the_whole_bibtex_database_passes_bibtex_without_warnings(tmp_path):
    from schattheory.outputs.latex.render import bibtex_entry

    (tmp_path / "refs.bib").write_text("\n\n".join(bibtex_entry(c) for c in CITATIONS.values()), encoding="utf-8")
    body = "\\nocite{*}\n\\bibliographystyle{plain}\n\\bibliography{refs}"
    (tmp_path / "all.tex").write_text(standalone(body), encoding="utf-8")
    res = compile_tex(tmp_path / "all.tex", bibtex="always", output_pdf=tmp_path / "all.pdf")
    assert res.report.bibtex_problems == [] and res.report.problems(DEFAULT_OVERFULL_PT) == []
    flat = _flat(pdftotext(tmp_path / "all.pdf")).lower().replace("-", "")  # hyphenation breaks words
    for c in CITATIONS.values():
        title = _flat(c.title.replace("_", "")).lower().replace("-", "")
        assert title[:25] in flat, c.key


def _exponent(expr, x):
    others = {s: 3 for s in expr.free_symbols if s != x}
    return sp.limit(sp.log(expr.subs(others)) / sp.log(x), x, sp.oo)


class _Claim:
    def __init__(self, id, text, verdict, against, convention):
        self.id, self.text, self.verdict, self.checked_against, self.convention = id, text, verdict, against, convention


def test_paper_document_with_tables_compiles_and_shows_every_row(tmp_path):
    rows = []
    for key, label, expr, low in [
        ("schatten.norm", "Rank-sparse (p→0)", 2 * W * r * L**2, True),
        ("schatten.stechkin_sigma", "Parameter counting", W**2 * L**2, False),
    ]:
        growth = {s: _exponent(expr, s) for s in (W, L, r)}
        rows.append(
            {
                "key": key,
                "label": label,
                "sample_complexity": expr,
                "growth": growth,
                "exploits_low_rank": low,
                "depth_exponent": growth[L],
            }
        )
    claims = [
        _Claim(
            f"C{i:02d}",
            "A claim with O~(W r L^2), ||A||_{S_p} & sigma_i^p -> rank " * 2,
            v,
            ["schatten.norm", "ledent2025.some_long_key_name_for_wrapping"],
            "square layers, W_l = 1",
        )
        for i, v in enumerate(["holds", "fails", "holds-up-to-constant", "depends-on-convention", "undecided"] * 4)
    ]
    nets = {
        "mlp-3": [
            {"key": "ledent2025.fc_dominant", "mode": "dominant", "p": 0.5, "value": None, "log10_value": 456.0916},
            {
                "key": "bartlett2017.dominant",
                "mode": "dominant",
                "p": None,
                "value": 31.6,
                "log10_value": math.log10(31.6),
            },
        ]
    }
    doc = build_document(
        main=registry.get("schatten.rank_comparison"), sample_rows=rows, claim_results=claims, network_results=nets
    )
    text = _check(write_document(doc, tmp_path / "paper", compile=True))
    flat = _flat(text)
    assert "1Maintheorem" in flat and "Comparisonofsamplecomplexities" in flat and "Auditoftheclaims" in flat
    assert "∥A∥Sp≤rank(A)" in flat
    for row in rows:
        assert _flat(row["label"]) in flat
    # pdftotext puts the tilde of \widetilde{O} ("e") and the O apart from the argument; the cells stay in order
    assert re.search(r"Rank-sparse\(p→0\)\[\d\]e?\(?2L2Wr\)?O?121yesL2", flat), flat
    assert re.search(r"Parametercounting\[\d\]e?\(?L2W2\)?O?220noL2", flat), flat
    raw = _flat(pdftotext(tmp_path / "paper" / "schattheory.pdf", raw=True)).replace("-", "")
    for c in claims:  # each row in order: id, text, verdict, keys, convention
        head = f"{c.id}AclaimwithO˜(WrLˆ2),"
        assert head in raw and f"rank{c.verdict.replace('-', '')}schatten.norm," in raw, c.id
    assert "1.23×10456" in flat and "31.6" in flat


def test_long_formulas_fit_the_page_by_pdflatex_measure(tmp_path):
    # the layout's width estimate against the real typesetter: no overfull box over the threshold
    from test_latex_layout import SHAPES  # pytest puts tests/ on sys.path

    from schattheory.outputs.latex.render import display

    body = "\n\n".join(f"Shape {i}:\n" + display(expr, punct=".") for i, expr in enumerate(SHAPES.values()))
    res = _compile_body(tmp_path, body)
    assert res.report.problems(DEFAULT_OVERFULL_PT) == []
    assert res.report.overfull == [] or max(o.points for o in res.report.overfull) <= DEFAULT_OVERFULL_PT


def test_nasty_text_compiles(tmp_path):
    from schattheory.foundation.tex_text import escape

    nasty = "\\ { } $ & % # _ ^ ~ < > | « » ð þ Ð Þ é ü ñ ß → ≤ ≥ ∞ ‖A‖ σ_i Σ ∏ ℓ Õ(W r L²) – — “q” … ½ ± × · ☃"
    latin1 = " ".join(chr(c) for c in range(0xA0, 0x100))
    res = _compile_body(tmp_path, escape(nasty) + "\n\n" + escape(latin1), output_pdf=tmp_path / "t.pdf")
    assert res.report.problems(DEFAULT_OVERFULL_PT) == []
    # every glyph from Type 1 fonts: nothing needed the TS1 encoding's bitmap fonts (mktexpk)
    _type1_only(tmp_path / "t.pdf")


def test_a_failed_compile_leaves_the_output_directory_as_it_was(tmp_path):
    out = tmp_path / "out"
    write_document(build_document(keys=["schatten.norm"]), out, compile=False)  # a folder the toolkit made
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with nt.use(schatten=r"\undefinedmacro{#1}{#2}"):
        doc = build_document(keys=["schatten.monotonicity"])
    with pytest.raises(LatexError, match="Undefined control sequence"):
        write_document(doc, out, compile=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(os.listdir(tmp_path)) == ["out"]  # no temporary directory left behind
    with pytest.raises(LatexError):
        write_document(doc, tmp_path / "fresh", compile=True)
    assert sorted(os.listdir(tmp_path)) == ["out"]


def test_a_foreign_directory_is_refused_before_compiling(tmp_path):
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "schattheory.tex").write_text("the user's own", encoding="utf-8")
    (out / "schattheory.pdf").write_bytes(b"%PDF the user's own")
    with pytest.raises(InputError, match="did not write"):
        write_document(build_document(keys=["schatten.norm"]), out, compile=False)
    assert (out / "schattheory.tex").read_text(encoding="utf-8") == "the user's own"
    # --force adds the files and touches nothing else; without compiling it never deletes the user's PDF
    written = write_document(build_document(keys=["schatten.norm"]), out, compile=False, force=True)
    assert written.pdf is None and (out / "schattheory.pdf").read_bytes() == b"%PDF the user's own"
    assert sorted(os.listdir(out)) == ["refs.bib", "schattheory.pdf", "schattheory.tex"]  # no manifest left
    assert sorted(os.listdir(tmp_path)) == ["thesis"]


def test_rewriting_replaces_files_and_drops_a_stale_pdf(tmp_path):
    out = tmp_path / "out"
    first = write_document(build_document(keys=["schatten.norm"]), out, compile=True)
    assert first.pdf is not None
    second = write_document(build_document(keys=["schatten.monotonicity"]), out, compile=False)
    assert second.pdf is None and not (out / "schattheory.pdf").exists()
    assert "schatten.\\allowbreak{}monotonicity" in (out / "schattheory.tex").read_text(encoding="utf-8")


def test_statements_for_a_proof_file_compile_with_amsthm_only(tmp_path):
    from schattheory.outputs.latex.render import statements

    body = statements(registry.keys(), env="lemma", cite_style="text")
    (tmp_path / "p.tex").write_text(
        "\\documentclass[11pt]{article}\n\\usepackage[margin=1in]{geometry}\n"
        "\\usepackage{amsmath,amssymb,amsthm}\n\\newtheorem{lemma}{Lemma}\n"
        "\\begin{document}\n" + body + "\n\\end{document}\n",
        encoding="utf-8",
    )
    res = compile_tex(tmp_path / "p.tex")
    assert res.report.problems(DEFAULT_OVERFULL_PT) == []


PROOFS = sorted((ROOT / "proofs").rglob("*.tex"))


def test_the_proofs_folder_has_proofs():
    assert PROOFS, "proofs/*/*.tex is part of the repository"


@pytest.mark.parametrize("tex", PROOFS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_proof_in_proofs_compiles(tex, tmp_path):
    """Each proofs/ file compiles through the same machinery: no LaTeX error, no undefined reference or citation,
    and a PDF with pages in it. Files generated from the registry ("% Generated" header) meet the overfull-box
    threshold of every generated document; overfull boxes in hand-written proofs are reported as warnings."""
    res = compile_file(tex, output_pdf=tmp_path / "out.pdf")
    assert res.report.problems(None) == []
    assert res.pdf.read_bytes()[:5] == b"%PDF-" and res.pdf.stat().st_size > 1000
    wide = [str(o) for o in res.report.overfull if o.points > DEFAULT_OVERFULL_PT]
    if tex.read_text(encoding="utf-8").lstrip().startswith("% Generated"):
        assert wide == [], f"generated {tex.name}: {wide}"
    elif wide:
        import warnings

        warnings.warn(
            f"{tex.relative_to(ROOT)}: overfull boxes over {DEFAULT_OVERFULL_PT}pt: {'; '.join(wide)}", stacklevel=2
        )
