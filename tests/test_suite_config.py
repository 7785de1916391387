"""The suite's own configuration: every test module with a module- or session-scoped fixture runs whole on one xdist
worker (conftest.ONE_WORKER), so an expensive fixture is built once per run, not once per worker."""

import ast
from pathlib import Path

from conftest import ONE_WORKER

TESTS = Path(__file__).resolve().parent


def _has_wide_fixture(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("fixture"):
            for kw in node.keywords:
                if kw.arg == "scope" and isinstance(kw.value, ast.Constant) and kw.value.value in ("module", "session"):
                    return True
    return False


def test_modules_with_module_scoped_fixtures_run_on_one_worker():
    wide = {f"tests/{p.name}" for p in sorted(TESTS.glob("test_*.py")) if _has_wide_fixture(p)}
    assert wide, "no module-scoped fixture found: the scan is broken"
    assert wide == ONE_WORKER
