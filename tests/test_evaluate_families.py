"""`evaluate --family X` imports only the modules of the families it evaluates (each checked in a fresh process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from schattheory.bounds import network
from schattheory.outputs.cli import main

#: the modules that build statements: a run evaluating family X may import X's own and no other
_STATEMENT_PACKAGES = ("schattheory.bounds.", "schattheory.lemmas.", "schattheory.bounds.derivations.")
_INFRASTRUCTURE = {
    "schattheory.bounds.network",
    "schattheory.bounds.family",
    "schattheory.bounds.logspace",
    "schattheory.bounds._register",
}


def _imported_after(argv, tmp_path) -> set:
    code = (
        "import sys, contextlib, io\n"
        "from schattheory.outputs.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main({argv!r}) == 0\n"
        f"print('\\n'.join(m for m in sys.modules if m.startswith({_STATEMENT_PACKAGES!r})))\n"
    )
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path), PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return set(run.stdout.split()) - _INFRASTRUCTURE


def test_in_order_path_imports_only_the_family_evaluated(tmp_path):
    assert _imported_after(["evaluate", "bundled", "--json", "--quiet", "--family", "vc"], tmp_path) == {
        "schattheory.bounds.vc"
    }
    assert _imported_after(
        ["evaluate", "bundled", "--json", "--quiet", "--family", "bartlett2017,counting"], tmp_path
    ) == {"schattheory.bounds.bartlett2017", "schattheory.bounds.counting"}


def test_checkpoint_path_imports_only_the_family_evaluated(tmp_path):
    rng = np.random.default_rng(0)
    np.savez(
        tmp_path / "m.npz",
        **{
            "fc1.weight": rng.standard_normal((6, 4)),
            "fc1.bias": rng.standard_normal(6),
            "fc2.weight": rng.standard_normal((3, 6)),
        },
    )
    argv = [
        "evaluate",
        str(tmp_path / "m.npz"),
        "--jobs",
        "1",
        "--n",
        "100",
        "--input-norm",
        "1",
        "--margin",
        "1",
        "--json",
        "--quiet",
        "--family",
        "golowich2018",
    ]
    assert _imported_after(argv, tmp_path) == {"schattheory.bounds.golowich2018"}


def test_a_family_evaluated_alone_gives_the_rows_of_the_full_run(capsys):
    assert main(["evaluate", "bundled", "--json", "--quiet"]) == 0
    full = [b for b in json.loads(capsys.readouterr().out)["bounds"] if b["family"] == "neyshabur2018"]
    assert main(["evaluate", "bundled", "--json", "--quiet", "--family", "neyshabur2018"]) == 0
    alone = json.loads(capsys.readouterr().out)["bounds"]
    assert full and alone == full


def test_every_builtin_family_has_its_module_and_forms():
    assert set(network._BUILTIN_FORMS) == set(network._BUILTIN)
    import importlib

    for family, (module, keys) in network._BUILTIN_FORMS.items():
        forms = importlib.import_module(f"schattheory.bounds.{module}").FORMS
        for mode, form in network._forms(family).items():
            assert form is (forms[mode] if keys is None else forms[keys[mode]])
            assert form.mode == mode


@pytest.mark.parametrize("value", ["nosuch", ","])
def test_unknown_family_is_refused_in_one_line(value, capsys):
    assert main(["evaluate", "bundled", "--quiet", "--family", value]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "family=" in err and "is not a registered network bound family" in err
