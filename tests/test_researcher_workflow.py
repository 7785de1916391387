"""The six tasks of a researcher (find the main theorem; define a bound of one's own and compare it; derive with
the engine; verify an asymptotic claim; produce LaTeX for a paper; check a value by hand) as a script using only
public names (examples/researcher_workflow.py), ending in a PDF with no undefined citation, no unescaped text and
no overfull box over 5pt."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from schattheory.outputs.latex.compile import pdflatex_available, pdftotext

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "examples" / "researcher_workflow.py"


def test_script_touches_no_private_name():
    tree = ast.parse(SCRIPT.read_text())
    private = [n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr.startswith("_")]
    private += [
        a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names if a.name.startswith("_")
    ]
    private += [
        n.module
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom)
        and n.module
        and n.module != "__future__"
        and any(part.startswith("_") for part in n.module.split("."))
    ]
    assert private == [], private


@pytest.mark.slow
@pytest.mark.skipif(not pdflatex_available(), reason="pdflatex is not on the PATH")
def test_six_tasks_end_in_a_clean_pdf(tmp_path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    out = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path / "paper")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.splitlines()
    assert [line[:2] for line in lines] == ["1.", "2.", "3.", "4.", "5.", "6."], out.stdout
    assert "warnings" not in lines[4], lines[4]  # no overfull box, nothing that prints wrongly
    assert "W r L^2 holds: True" in lines[3]
    by_hand, engine = (float(x) for x in re.findall(r"by hand (\S+) vs engine (\S+);", lines[5])[0])
    assert by_hand == pytest.approx(engine, rel=1e-12)
    square, formula = re.findall(r"square form (\S+) vs (\S+)$", lines[5])[0]
    assert float(square) == pytest.approx(float(formula), rel=1e-13)
    assert len(square.replace(".", "").lstrip("0")) >= 28  # printed at its 30-digit precision
    pdf = tmp_path / "paper" / "paper.pdf"
    log = (tmp_path / "paper" / "paper.tex").read_text()
    text = pdftotext(pdf)
    assert "Stable-rank counting bound" in text and "Comparison of sample complexities" in text
    assert "References" in text and "Jane Doe" in text and "Ledent" in text
    assert "¡" not in text and "¿" not in text
    cited = set(re.findall(r"\\cite(?:\[[^\]]*\])?\{([^}]*)\}", log))
    items = set(re.findall(r"\\bibitem\{([^}]*)\}", log))
    assert {k.strip() for c in cited for k in c.split(",")} <= items
