"""The package's import graph, read from the source: no cycle, no arrow up the layers, no optional internal import.

Function-level imports count (they are arrows too). The layers are ``schattheory.LAYERS`` (documented in the package
docstring). A module that fits no layer fails the test, so a new module must be placed deliberately.
"""

import ast
from pathlib import Path

import pytest

import schattheory

PKG = Path(schattheory.__file__).parent


def _modules():
    out = {}
    for f in PKG.rglob("*.py"):
        parts = f.relative_to(PKG).with_suffix("").parts
        parts = parts[:-1] if parts[-1] == "__init__" else parts
        out[".".join(parts)] = f
    return out


MODULES = _modules()


def _targets(cur: str, node) -> set:
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = cur.split(".") if MODULES[cur].name == "__init__.py" else cur.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            target = ".".join([b for b in base if b] + ([node.module] if node.module else []))
        elif (node.module or "").startswith("schattheory"):
            target = node.module[len("schattheory.") :] if node.module != "schattheory" else ""
        else:
            return set()
        subs = [f"{target}.{a.name}".lstrip(".") for a in node.names]
        # `from . import sub` and `from schattheory.pkg import sub` import the submodule: the package itself is a
        # target only for names that are not submodules (its __init__ is being executed when a submodule imports it)
        names = subs + ([target] if not all(n in MODULES for n in subs) else [])
    else:
        names = [a.name[len("schattheory.") :] for a in node.names if a.name.startswith("schattheory.")]
    return {n for n in names if n in MODULES and n and n != cur}  # "" is the package root: lazy names only


def _graph():
    edges, guarded = {}, []
    for mod, f in MODULES.items():
        tree = ast.parse(f.read_text(encoding="utf-8"))
        edges[mod] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                edges[mod] |= _targets(mod, node)
            if isinstance(node, ast.Try) and any(
                h.type is not None
                and any(n in ast.unparse(h.type) for n in ("ImportError", "Exception", "ModuleNotFoundError"))
                for h in node.handlers
            ):
                for sub in node.body:
                    for inner in ast.walk(sub):
                        if isinstance(inner, (ast.Import, ast.ImportFrom)) and _targets(mod, inner):
                            guarded.append(f"{f.relative_to(PKG.parent)}:{inner.lineno}")
    return edges, guarded


EDGES, GUARDED = _graph()


def _layer(mod: str):
    """The layer of the longest prefix of ``mod`` that LAYERS names (None when none does)."""
    best = None
    for i, (_, prefixes) in enumerate(schattheory.LAYERS):
        for pre in prefixes:
            if (mod == pre or mod.startswith(pre + ".")) and (best is None or len(pre) > best[0]):
                best = (len(pre), i)
    return None if best is None else best[1]


def test_every_module_has_a_layer():
    assert [m for m in MODULES if m and _layer(m) is None] == []


def test_arrows_only_point_down():
    up = [
        f"{a} ({schattheory.LAYERS[_layer(a)][0]}) -> {b} ({schattheory.LAYERS[_layer(b)][0]})"
        for a, targets in EDGES.items()
        if a
        for b in targets
        if b and _layer(b) > _layer(a)
    ]
    assert up == []


def test_no_import_cycle():
    index, low, stack, on, cycles = {}, {}, [], set(), []

    def visit(v):  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in EDGES.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in EDGES:
        if v not in index:
            visit(v)
    assert cycles == []


def test_no_internal_module_is_optional():
    assert GUARDED == []


@pytest.mark.parametrize(
    "src, cycle",
    [
        ("from .b import x\n", True),
        ("def f():\n    from . import b\n", True),
        ("import numpy\n", False),
    ],
)
def test_the_graph_reader_sees_relative_and_function_level_imports(src, cycle, tmp_path):
    """The reader itself can fail: a two-module cycle written in each import style is found."""
    saved = dict(MODULES)
    try:
        (tmp_path / "a.py").write_text(src)
        (tmp_path / "b.py").write_text("from . import a\n")
        (tmp_path / "__init__.py").write_text("")
        MODULES.clear()
        MODULES.update({"zz": tmp_path / "__init__.py", "zz.a": tmp_path / "a.py", "zz.b": tmp_path / "b.py"})
        found = set()
        for mod in ("zz.a", "zz.b"):
            for node in ast.walk(ast.parse(MODULES[mod].read_text())):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    found |= {(mod, t) for t in _targets(mod, node)}
        assert (("zz.a", "zz.b") in found and ("zz.b", "zz.a") in found) == cycle
    finally:
        MODULES.clear()
        MODULES.update(saved)
