"""`schattheory show`: plain text or LaTeX, each pure; values at the precision asked for."""

from __future__ import annotations

import re

import mpmath
import pytest

from schattheory.core import registry
from schattheory.outputs.cli import main

KEYS = registry.keys()


def _show(capsys, *args):
    code = main(["show", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("key", KEYS)
def test_plain_has_no_latex_and_latex_has_no_sympy_syntax(key, capsys):
    code, text, _ = _show(capsys, key)
    assert code == 0
    body = "\n".join(line for line in text.splitlines() if not line.startswith(("  note", "  notes", key)))
    assert "\\" not in body, body  # the left-hand side was LaTeX in the plain output
    code, tex, _ = _show(capsys, key, "--latex")
    assert code == 0
    formulas = re.sub(r"\\text\{(?:[^{}]|\{[^{}]*\})*\}", "", tex)  # prose inside \text is escaped text
    assert "**" not in formulas and "sqrt(" not in formulas and "Abs(" not in formulas, tex


def test_value_at_fifty_digits(capsys):
    code, text, _ = _show(
        capsys,
        "ledent2025.per_layer",
        "--at",
        "p=1/2",
        "--at",
        "X=30",
        "--at",
        "rho=2",
        "--at",
        "a=32",
        "--at",
        "Omega=1",
        "--dps",
        "50",
    )
    assert code == 0
    shown = text.split("value", 1)[1].split()[0]
    with mpmath.workdps(60):  # by hand: 30^(2/5) 2^(4/5) 32^(4/5)
        ref = (
            mpmath.mpf(30) ** mpmath.mpf("0.4")
            * mpmath.mpf(2) ** mpmath.mpf("0.8")
            * mpmath.mpf(32) ** mpmath.mpf("0.8")
        )
        assert len(shown.replace(".", "").lstrip("0")) == 50
        assert abs(mpmath.mpf(shown) - ref) < mpmath.mpf(10) ** -47


def test_python_value_prints_at_its_precision():
    v = registry.get("ledent2025.per_layer").evaluate({"p": "1/2", "X": 30, "rho": 2, "a": 32, "Omega": 1}, dps=50)
    assert len(str(v).replace(".", "")) == 50 and str(v).startswith("108.5906620886908324320934185346")
    assert repr(v).startswith("mpf('108.59066208869083243209")


@pytest.mark.parametrize(
    "args, needle",
    [(("--at", "p"), "NAME=VALUE"), (("--at", "p=abc"), "number"), (("--at", "p=1/2", "--dps", "0"), "--dps")],
)
def test_bad_points_are_one_line_errors(args, needle, capsys):
    code, _, err = _show(capsys, "ledent2025.per_layer", *args)
    assert code == 2 and needle in err and len(err.strip().splitlines()) == 1
