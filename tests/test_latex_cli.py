"""`schattheory latex --out DIR [--keys ...] [--no-compile]`."""

import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from schattheory.foundation.output import MARKER
from schattheory.outputs.cli import main
from schattheory.outputs.latex.compile import pdflatex_available, pdftotext

ROOT = Path(__file__).resolve().parents[1]
needs_pdflatex = pytest.mark.skipif(
    not pdflatex_available(),
    reason="pdflatex not on the PATH: apt-get install texlive-latex-base texlive-latex-recommended poppler-utils",
)


def test_no_compile_writes_tex_and_bib_only(tmp_path, capsys):
    out = tmp_path / "doc"
    assert main(["latex", "--out", str(out), "--keys", "schatten.norm", "schatten.monotonicity", "--no-compile"]) == 0
    printed = capsys.readouterr().out.split()
    assert printed == [str(out / "schattheory.tex"), str(out / "refs.bib")]
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "refs.bib", "schattheory.tex"]
    tex = (out / "schattheory.tex").read_text(encoding="utf-8")
    assert tex.count("\\begin{definition}") == 1 and tex.count("\\begin{lemma}") == 1
    assert "@book{bhatia1997," in (out / "refs.bib").read_text(encoding="utf-8")


def test_prefix_keys_notation_and_expanded_output(tmp_path, capsys):
    out = tmp_path / "doc"
    assert (
        main(
            [
                "latex",
                "--out",
                str(out),
                "--keys",
                "schatten.",
                "--no-compile",
                "--notation",
                "depth=D",
                "--expanded",
                "--name",
                "facts",
            ]
        )
        == 0
    )
    tex = (out / "facts.tex").read_text(encoding="utf-8")
    assert "$D$ the depth" in tex and "\\schatten{" not in tex and "\\left\\|A\\right\\|_{S_{q}}" in tex
    from schattheory.core.registry import all_bounds
    from schattheory.outputs.latex.document import lemma_closure

    statements = all_bounds("schatten.")
    assert tex.count("Registry key:") == len(statements) + len(lemma_closure(statements))


@needs_pdflatex
def test_compiles_to_pdf(tmp_path, capsys):
    out = tmp_path / "doc"
    assert (
        main(
            [
                "latex",
                "--out",
                str(out),
                "--keys",
                "schatten.stechkin_sigma",
                "--bibliography",
                "bibtex",
                "--max-overfull",
                "5",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.split()[-1] == str(out / "schattheory.pdf")
    text = pdftotext(out / "schattheory.pdf")
    assert "Foucart and Holger Rauhut" in text and "Lemma 1" in text


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--keys", "schatten.nrm"], "unknown key 'schatten.nrm'; close matches: schatten.norm"),
        (["--keys", "nothing."], "--keys='nothing.': no registered key starts with it"),
        (["--keys", "schatten.norm", "--notation", "width"], "expected ROLE=LATEX"),
        (["--keys", "schatten.norm", "--notation", "colour=red"], "is not a role or macro"),
        (["--keys", "schatten.norm", "--name", "a b"], "name='a b': use letters"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(tmp_path, capsys, argv, message):
    out = tmp_path / "doc"
    assert main(["latex", "--out", str(out), "--no-compile"] + argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_out_that_is_a_file_is_refused(tmp_path, capsys):
    target = tmp_path / "file"
    target.write_text("x")
    assert main(["latex", "--out", str(target), "--keys", "schatten.norm", "--no-compile"]) == 2
    assert "exists and is not a directory" in capsys.readouterr().err and target.read_text() == "x"


@needs_pdflatex
def test_the_full_document_has_theorem_lemmas_and_both_tables(tmp_path):
    out = tmp_path / "doc"
    # the command as a user runs it, then what the PDF must show, in one separate process (the audit and the
    # derivation leave caches behind that other tests in this process should not inherit; one process builds the
    # registry and runs the audit once for both)
    script = (
        "import json, sys\n"
        "from schattheory.outputs.cli import main\n"
        "rc = main(['latex', '--out', sys.argv[1], '--max-overfull', '5'])\n"
        "if rc:\n"
        "    sys.exit(rc)\n"
        "from schattheory.outputs.latex.document import lemma_closure\n"
        "from schattheory.outputs.latex.sources import claim_results, main_theorem, sample_complexity_rows\n"
        "m = main_theorem()\n"
        "with open(sys.argv[2], 'w') as fh:\n"
        "    json.dump({'key': m.key, 'lhs': str(m.lhs), 'lemmas': [b.key for b in lemma_closure([m])],\n"
        "               'rows': [r['label'] for r in sample_complexity_rows()],\n"
        "               'claims': [[str(c.id), str(getattr(c.verdict, 'value', c.verdict))]\n"
        "                          for c in claim_results()]}, fh)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(out), str(tmp_path / "want.json")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split()[-1] == str(out / "schattheory.pdf")
    text = pdftotext(out / "schattheory.pdf")
    for heading in (
        "Main theorem",
        "Lemmas these statements rest on",
        "Comparison of sample complexities",
        "Audit of the claims about the paper",
    ):
        assert heading in text
    want = json.loads((tmp_path / "want.json").read_text())

    def flat(t):
        return re.sub(r"[\s\-_]", "", unicodedata.normalize("NFC", t))

    raw = flat(pdftotext(out / "schattheory.pdf", raw=True))
    assert flat("Theorem 1") in raw and flat(want["key"]) in raw
    for words in re.findall(r"\\text\{([^}]*)\}", want["lhs"]):  # the statement's left-hand side, e.g. the gap
        assert flat(words) in raw
    for key in want["lemmas"]:
        assert flat(key) in raw, key
    for label in want["rows"]:  # every row of the comparison table
        assert flat(label).replace("$", "")[:12] in raw, label
    for cid, verdict in want["claims"]:
        assert flat(cid) in raw and flat(verdict) in raw


@needs_pdflatex
def test_results_json_becomes_a_network_table(tmp_path, capsys):
    import json
    import math

    rows = [
        {
            "key": "ledent2025.fc.dominant",
            "mode": "dominant",
            "p": [0.25, 0.5],
            "p_rule": "optimised per layer",
            "value": 0.515,
            "log10_value": math.log10(0.515),
        },
        {"key": "bartlett2017.dominant", "mode": "dominant", "p": None, "value": None, "log10_value": 412.25},
    ]
    (tmp_path / "ev.json").write_text(json.dumps({"layers": [], "bounds": rows}), encoding="utf-8")
    out = tmp_path / "doc"
    assert (
        main(
            [
                "latex",
                "--out",
                str(out),
                "--keys",
                "schatten.norm",
                "--results",
                f"digits MLP={tmp_path / 'ev.json'}",
                "--max-overfull",
                "5",
            ]
        )
        == 0
    )
    text = re.sub(r"\s+", " ", pdftotext(out / "schattheory.pdf"))
    assert "Bounds on digits MLP" in text and "opt.: 0.25, 0.5" in text and "1.78 × 10412" in text


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such file"),
        ("{not json", "is not valid JSON"),
        ('{"bounds": []}', "needs a non-empty 'bounds'"),
        ('[{"key": "x"}]', "lacks the field 'log10_value'"),
        ('[{"key": "x", "log10_value": 1, "mode": ["a"]}]', "field 'mode' must be a string or null"),
        ('[{"key": "x", "log10_value": [1]}]', "field 'log10_value' must be a finite number or null"),
        ('[{"key": "x", "log10_value": 1, "p": {"a": 1}}]', "field 'p' must be"),
    ],
)
def test_bad_results_file(tmp_path, capsys, content, message):
    path = tmp_path / "ev.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert (
        main(
            [
                "latex",
                "--out",
                str(tmp_path / "doc"),
                "--keys",
                "schatten.norm",
                "--no-compile",
                "--results",
                f"net={path}",
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and not (tmp_path / "doc").exists()


def test_without_pdflatex_the_tex_is_written_and_the_reason_said(tmp_path):
    env = {"PATH": str(tmp_path / "empty-bin"), "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "schattheory", "latex", "--out", str(tmp_path / "doc"), "--keys", "schatten.norm"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "pdflatex is not on the PATH" in proc.stderr and "texlive-latex-base" in proc.stderr
    assert sorted(p.name for p in (tmp_path / "doc").iterdir()) == [MARKER, "refs.bib", "schattheory.tex"]
