r"""The registry's manifest: every built-in key with its metadata, so that ``list`` needs no statement built.

The manifest is generated, never typed: ``python -m schattheory.outputs.manifest_write`` imports the registering modules
one at a time (in :data:`schattheory.core.registry.MODULES` order, recording which import registered which key) and
writes ``schattheory/data/registry_manifest.json``. It carries a fingerprint of the sources statements are built
from (the folders of :data:`STATEMENT_LAYERS`); the registry trusts it only while the fingerprint matches the
installed sources, and otherwise builds every statement (slow, never wrong) and keeps the manifest it derived, with
``show``'s text, in the user's cache folder (``$XDG_CACHE_HOME/schattheory``, else ``~/.cache/schattheory``;
skipped silently when not writable), so that the next start is fast again. tests/test_registry_manifest.py checks
that the shipped manifest equals a fresh build and that its fingerprint is current.

This module imports neither SymPy nor the registry: it is what keeps ``schattheory list`` light.
"""

from __future__ import annotations

import hashlib
import json
import os

__all__ = ["fingerprint", "describe", "current", "build", "SHIPPED", "FORMAT", "STATEMENT_LAYERS"]

FORMAT = 1
SHIPPED = "registry_manifest.json"
PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the package root
_current = None


#: the folders whose sources can change a built-in statement or its text: the layers up to the bounds. Arrows only
#: point down (tests/test_architecture.py), so nothing in analysis/, networks/ or outputs/ can reach a statement;
#: editing those leaves the manifest current.
STATEMENT_LAYERS = ("foundation", "numerics", "core", "lemmas", "bounds")


def fingerprint() -> str:
    """SHA-256 over the path and bytes of every ``.py`` file in :data:`STATEMENT_LAYERS` and the package root."""
    h = hashlib.sha256(str(FORMAT).encode())
    paths = [os.path.join(PACKAGE_DIR, f) for f in sorted(os.listdir(PACKAGE_DIR)) if f.endswith(".py")]
    for layer in STATEMENT_LAYERS:
        for root, dirs, files in os.walk(os.path.join(PACKAGE_DIR, layer)):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            paths += [os.path.join(root, f) for f in files if f.endswith(".py")]
    for path in sorted(paths):
        h.update(os.path.relpath(path, PACKAGE_DIR).replace(os.sep, "/").encode() + b"\0")
        with open(path, "rb") as fh:
            h.update(fh.read())
    return h.hexdigest()


def describe(bound, module: str | None = None) -> dict:
    """The metadata `list` shows, from a built Bound."""
    return {
        "key": bound.key,
        "module": module,
        "kind": bound.kind,
        "mode": bound.mode,
        "status": bound.status.value,
        "title": bound.title,
        "source": bound.provenance.short(),
        "citations": [c.short() for c in bound.provenance.citations],
        "derived_from": list(bound.provenance.derived_from),
    }


def _cache_path(fp: str) -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "schattheory", f"registry-manifest-{fp[:24]}.json")


def _read(text: str, fp: str):
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    return data if data.get("format") == FORMAT and data.get("fingerprint") == fp else None


def current():
    """The manifest valid for the installed sources (shipped, else the user's cache), or ``None``."""
    global _current
    if _current is not None:
        return _current or None
    fp = fingerprint()
    found = None
    try:  # a plain path: importing schattheory.data would import NumPy
        with open(os.path.join(PACKAGE_DIR, "data", SHIPPED)) as fh:
            found = _read(fh.read(), fp)
    except OSError:
        pass
    if found is None:
        try:
            with open(_cache_path(fp)) as fh:
                found = _read(fh.read(), fp)
        except OSError:
            pass
    _current = found or {}
    return found


def remember(data: dict) -> None:
    """Keep a manifest derived at run time in the user's cache (best effort) and use it from now on."""
    global _current
    _current = data
    path = _cache_path(data["fingerprint"])
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w") as fh:
            json.dump(data, fh)
        os.replace(tmp, path)
    except OSError:
        pass


def build(modules, registry: dict, families=None, extra=None) -> dict:
    """Import ``modules`` in order (each registering into ``registry``) and record who registered what.

    Run it in a fresh process: a key registered before the call is attributed to no module. ``families`` (called
    after every module is imported) lists the network bound families."""
    import importlib

    owner = {k: None for k in registry}
    for name in modules:
        importlib.import_module(name)
        for k in registry:
            owner.setdefault(k, name)
    entries = [dict(describe(registry[k], owner[k]), **(extra(registry[k]) if extra else {})) for k in sorted(registry)]
    return {
        "format": FORMAT,
        "fingerprint": fingerprint(),
        "modules": list(modules),
        "entries": entries,
        "network_families": list(families() if families else []),
    }
