"""The registry's manifest is generated, current, and lets `list` and `get` skip building statements."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from schattheory.core import registry
from schattheory.core.statement_text import text_lines
from schattheory.foundation import manifest


def _run(code_or_args, tmp_path, module=False):
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path), PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    cmd = [sys.executable, "-m", *code_or_args] if module else [sys.executable, "-c", code_or_args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def derived(tmp_path_factory):
    """One fresh process that builds every statement as a stale shipped manifest would make it: the manifest it
    derives (with show's text) and caches, and the cache folder. Shared by the two tests below (a full build is the
    longest part of this file)."""
    cache = tmp_path_factory.mktemp("cache")
    code = (
        "import json, sys; from schattheory.foundation import manifest; from schattheory.core import registry; "
        "manifest._current = {}; registry.build_manifest_cached(); "
        "json.dump(manifest.current(), sys.stdout)"
    )
    run = _run(code, cache)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout), cache


def test_shipped_manifest_equals_a_fresh_build(derived):
    """Fails when a statement was added, removed or changed without `python -m schattheory.outputs.manifest_write`
    (a fresh process: which module registers which key)."""
    fresh, _ = derived
    with open(os.path.join(manifest.PACKAGE_DIR, "data", manifest.SHIPPED)) as fh:
        shipped = json.load(fh)
    assert shipped["entries"] == fresh["entries"], "entries differ: run python -m schattheory.outputs.manifest_write"
    assert shipped["modules"] == fresh["modules"]
    assert shipped["network_families"] == fresh["network_families"]


def test_manifest_entries_describe_the_built_bounds():
    with open(os.path.join(manifest.PACKAGE_DIR, "data", manifest.SHIPPED)) as fh:
        shipped = json.load(fh)
    built = {b.key: manifest.describe(b) for b in registry.all_bounds()}
    for entry in shipped["entries"]:
        assert entry["module"] in registry.MODULES
        if entry["key"] in built:  # (a test may have registered more; every shipped key must be built alike)
            assert {k: v for k, v in entry.items() if k not in ("module", "show")} == {
                k: v for k, v in built[entry["key"]].items() if k != "module"
            }
            assert entry["show"] == "\n".join(text_lines(registry.get(entry["key"])))
    assert set(e["key"] for e in shipped["entries"]) <= set(built)


def test_list_and_get_build_only_what_they_need(tmp_path):
    # the first run may find the shipped manifest stale (a statement layer edited since): it builds and caches one
    warm = _run(["schattheory", "list"], tmp_path, module=True)
    assert warm.returncode == 0, warm.stderr
    code = (
        "import sys; from schattheory.outputs.cli import main; main(['list']); "
        "assert 'sympy' not in sys.modules, 'list imported sympy'; "
        "from schattheory.foundation import manifest; fresh = 'show' in manifest.current()['entries'][0]; "
        "main(['show', 'schatten.monotonicity']); "
        "assert fresh and 'sympy' not in sys.modules, 'show imported sympy'; "
        "from schattheory.core import registry; registry.get('schatten.monotonicity'); "
        "assert 'schattheory.bounds.ledent2025' not in sys.modules, 'get built more than its module'; "
        "print(len(registry.keys()))"
    )
    run = _run(code, tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == str(len(registry.keys()))
    shown = "\n".join(text_lines(registry.get("schatten.monotonicity"))).splitlines()
    assert run.stdout.splitlines()[:-1] == warm.stdout.splitlines() + shown


def test_network_families_from_the_manifest_match_the_module():
    from schattheory.bounds.network import network_families

    assert registry.network_families() == list(network_families())


def test_manifest_write_check_compares_entries_modules_and_families(monkeypatch, capsys):
    """`manifest_write --check`'s comparison (the fresh build itself is the first test's), on the shipped data."""
    from schattheory.core import proof_cache
    from schattheory.outputs import manifest_write

    before = os.environ.get("SCHATTHEORY_PROOF_CACHE")
    with open(os.path.join(manifest.PACKAGE_DIR, "data", manifest.SHIPPED)) as fh:
        shipped = json.load(fh)
    monkeypatch.setattr(registry, "build_manifest", lambda extra=None: json.loads(json.dumps(shipped)))
    assert manifest_write.main(["--check"]) == 0
    changed = json.loads(json.dumps(shipped))
    changed["entries"][0]["title"] += " (edited)"
    monkeypatch.setattr(registry, "build_manifest", lambda extra=None: changed)
    assert manifest_write.main(["--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    # its fresh build turned the shipped verdicts off for itself only: not for the rest of this process, nor (through
    # the environment) for the processes it starts afterwards
    assert os.environ.get("SCHATTHEORY_PROOF_CACHE") == before
    entry = next(e for e in proof_cache._load().values() if "proved" in e)
    assert proof_cache.lookup(entry["claim"]) is entry["proved"]


def test_shipped_manifest_fingerprint_is_current():
    """A stale fingerprint makes every fresh install build all statements on its first command (seconds, not 0.1 s)."""
    with open(os.path.join(manifest.PACKAGE_DIR, "data", manifest.SHIPPED)) as fh:
        shipped = json.load(fh)
    assert shipped["fingerprint"] == manifest.fingerprint(), (
        "sources of a statement layer changed: run python -m schattheory.outputs.manifest_write"
    )


def test_the_fingerprint_covers_exactly_the_layers_statements_are_built_in():
    import schattheory

    below = [name for layer, prefixes in schattheory.LAYERS[:4] for name in prefixes]
    assert schattheory.LAYERS[3][0] == "bounds" and sorted(manifest.STATEMENT_LAYERS) == sorted(below)
    assert all(os.path.isdir(os.path.join(manifest.PACKAGE_DIR, d)) for d in manifest.STATEMENT_LAYERS)


def test_the_fingerprint_moves_with_a_statement_layer_and_not_with_the_outputs(tmp_path, monkeypatch):
    import shutil

    copy = tmp_path / "pkg"
    shutil.copytree(manifest.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(manifest, "PACKAGE_DIR", str(copy))
    before = manifest.fingerprint()
    with open(copy / "outputs" / "cli.py", "a") as fh:
        fh.write("# an edit in the outputs layer\n")
    assert manifest.fingerprint() == before
    with open(copy / "lemmas" / "maurey.py", "a") as fh:
        fh.write("# an edit in a statement layer\n")
    assert manifest.fingerprint() != before


def test_a_manifest_derived_at_run_time_carries_show_text(derived):
    """When the shipped manifest is stale, the one the registry derives (and caches) still lets `show` skip SymPy."""
    fresh, cache = derived
    entries = fresh["entries"]
    assert entries and all(e.get("show") for e in entries), "a derived entry lacks show text"
    assert len(entries) == len(registry.keys())
    cached = list((cache / "schattheory").glob("registry-manifest-*.json"))
    assert len(cached) == 1 and all("show" in e for e in json.loads(cached[0].read_text())["entries"])
