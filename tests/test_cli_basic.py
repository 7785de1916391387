"""The CLI skeleton through `python3 -m schattheory` in a subprocess: --version, list, show, errors (exit 2)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args):
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(
        [sys.executable, "-m", "schattheory", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )


def test_version():
    from schattheory import __version__

    res = run("--version")
    assert res.returncode == 0 and res.stdout.strip() == f"schattheory {__version__}"


def test_list_shows_every_key_with_status_and_citation():
    from schattheory.core import registry

    res = run("list")
    assert res.returncode == 0, res.stderr
    lines = {line.split()[0]: line for line in res.stdout.splitlines() if line.strip() and not line[0].isdigit()}
    for key in registry.keys():
        b = registry.get(key)
        assert key in lines, key
        assert b.status.value in lines[key]
        if b.provenance.citations:
            assert b.provenance.citations[0].author_text() in lines[key]


def test_list_json_and_prefix():
    res = run("list", "schatten.stechkin", "--json")
    rows = json.loads(res.stdout)
    assert {r["key"] for r in rows} == {
        "schatten.stechkin_sigma",
        "schatten.stechkin_tail",
        "schatten.stechkin_tail_sharp",
    }
    assert all(r["status"] == "classical" and r["source"] for r in rows)


def test_show_and_latex():
    res = run("show", "schatten.quasi_triangle")
    assert res.returncode == 0
    assert "status      classical" in res.stdout and "assumes     p <= 1" in res.stdout
    assert "limit" in res.stdout
    tex = run("show", "schatten.quasi_triangle", "--latex")
    assert tex.returncode == 0
    assert tex.stdout.strip().startswith(r"\left\|A + B\right\|_{S_{p}} \leq")


@pytest.mark.parametrize(
    "args,needle",
    [
        (("show", "schatten.quasi_triangel"), "close matches: schatten.quasi_triangle"),
        (("list", "no.such.prefix"), "prefix='no.such.prefix'"),
        (("frobnicate",), "invalid choice"),
        (("show",), "required"),
    ],
)
def test_errors_are_one_line_exit_2(args, needle):
    res = run(*args)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1, res.stderr
    assert needle in res.stderr
    assert res.stdout == ""


def test_no_command_prints_help_and_exits_2():
    res = run()
    assert res.returncode == 2 and "usage" in res.stdout.lower()
