"""The strict registry of lemmas and bounds.

Modules under ``schattheory.lemmas`` and ``schattheory.bounds`` register their Bounds when imported (:data:`MODULES`
lists them, so a new module is one line here). Duplicate keys are refused; an unknown key's error lists the close
matches.

Lazily: a generated manifest (:mod:`schattheory.foundation.manifest`) records every built-in key, its metadata and the
module that registers it. While it matches the installed sources, :func:`keys` and :func:`entries` answer from it
without building any statement (``schattheory list`` imports no SymPy), and :func:`get` imports only the one module that
registers the key, and a key it lacks is unknown at once (with the close matches). :func:`all_bounds` builds
everything, and so does any lookup while the manifest is stale.

>>> from schattheory.core import registry
>>> "schatten.monotonicity" in registry.keys()
True
>>> registry.get("schatten.monotonicty")
Traceback (most recent call last):
...
KeyError: "unknown key 'schatten.monotonicty'; close matches: schatten.monotonicity..."
"""

from __future__ import annotations

import difflib
import importlib
import sys

from schattheory.foundation import manifest

__all__ = [
    "register",
    "get",
    "keys",
    "entries",
    "all_bounds",
    "network_families",
    "build_manifest",
    "MODULES",
    "DuplicateKeyError",
]

#: modules whose import registers Bounds (loaded lazily, in this order)
MODULES = [
    "schattheory.lemmas.schatten_facts",
    "schattheory.lemmas.balancing",
    "schattheory.lemmas.dudley",
    "schattheory.lemmas.covering",
    "schattheory.lemmas.maurey",
    "schattheory.lemmas.network_cover",
    "schattheory.lemmas.mixed_cover",
    "schattheory.bounds.derivations.network_cover",
    "schattheory.bounds.derivations.main_bound",
    "schattheory.bounds.ledent2025",
    "schattheory.bounds.bartlett2017",
    "schattheory.bounds.neyshabur2018",
    "schattheory.bounds.golowich2018",
    "schattheory.bounds.counting",
    "schattheory.bounds.vc",
    "schattheory.bounds.pinto2024",
    "schattheory.bounds.pac_bayes",
    "schattheory.bounds.arora2018",
]

_REGISTRY: dict = {}
_loaded = False
_loading = False


class DuplicateKeyError(KeyError):
    pass


def register(bound):
    """Add a checked Bound; a second Bound under the same key is refused."""
    from schattheory.core.bound import Bound

    if not isinstance(bound, Bound):
        raise TypeError(f"register() takes a Bound, got {type(bound).__name__}")
    bound.check(limits=False)  # declared limits are verified by check() on first use, not at import
    if bound.key in _REGISTRY:
        raise DuplicateKeyError(f"key {bound.key!r} is already registered")
    _REGISTRY[bound.key] = bound
    return bound


def load_all() -> None:
    global _loaded, _loading
    if _loaded or _loading:
        return
    _loading = True
    try:
        for name in MODULES:
            importlib.import_module(name)
        _loaded = True
    finally:
        _loading = False


def _manifest_keys():
    man = manifest.current()
    return None if man is None else {e["key"]: e for e in man["entries"]}


def get(key: str):
    if not isinstance(key, str):
        from schattheory.foundation.errors import InputError

        raise InputError(
            "key", key, "must be a registered key (a string such as 'ledent2025.per_layer'); see `schattheory list`"
        )
    if key in _REGISTRY:
        return _REGISTRY[key]
    known = _manifest_keys() if not _loaded else None
    if known is not None and known.get(key, {}).get("module"):
        importlib.import_module(known[key]["module"])  # only the module that registers it
        if key in _REGISTRY:
            return _REGISTRY[key]
    if known is not None and key not in known:
        # a current manifest lists every built-in key: building them all cannot register this one (a typo, or a
        # user's statement about to be registered), so the miss is answered without building the registry
        raise _unknown(key, set(known) | set(_REGISTRY))
    load_all()
    try:
        return _REGISTRY[key]
    except KeyError:
        raise _unknown(key, _REGISTRY) from None


def _unknown(key: str, names) -> KeyError:
    close = difflib.get_close_matches(key, sorted(names), n=5, cutoff=0.6)
    hint = f"; close matches: {', '.join(close)}" if close else "; see `schattheory list`"
    return KeyError(f"unknown key {key!r}{hint}")


def keys(prefix: str = "") -> list[str]:
    known = _manifest_keys() if not _loaded else None
    if known is None:
        load_all()
        known = {}
    return sorted(k for k in set(known) | set(_REGISTRY) if k.startswith(prefix))


def entries(prefix: str = "") -> list[dict]:
    """Metadata of every key (as :func:`schattheory.foundation.manifest.describe`), from the manifest when it is
    current; statements registered at run time (``--load``, entry points) come from their built Bounds."""
    known = _manifest_keys() if not _loaded else None
    if known is None:
        build_manifest_cached()
        known = _manifest_keys() or {}
    rows = dict(known)
    for k, b in _REGISTRY.items():
        if k not in rows:
            rows[k] = manifest.describe(b)
    return [rows[k] for k in sorted(rows) if k.startswith(prefix)]


def entry(key: str):
    """The manifest's metadata row of a built-in key while the manifest is current (else ``None``)."""
    if _loaded or key in _REGISTRY and key not in (_manifest_keys() or {}):
        return None
    return (_manifest_keys() or {}).get(key)


def all_bounds(prefix: str = ""):
    load_all()
    return [_REGISTRY[k] for k in sorted(_REGISTRY) if k.startswith(prefix)]


def network_families() -> list[str]:
    """The network bound families (``schattheory.bounds.network.network_families``): the built-in ones from the
    manifest when it is current (no family imported), then any registered at run time."""
    man = manifest.current()
    if man is None or not man.get("network_families"):
        return list(_families())
    out = list(man["network_families"])
    loaded = sys.modules.get("schattheory.bounds.network")  # families registered at run time live there
    return out + [f for f in loaded.network_families() if f not in out] if loaded is not None else out


def _families():
    # by name, like MODULES: the bound modules sit above the registry they register into
    return importlib.import_module("schattheory.bounds.network").network_families()


def build_manifest(extra=None) -> dict:
    """A manifest built from the registering modules (call it in a fresh process: see :func:`manifest.build`);
    ``extra(bound)`` adds fields to each entry (the generator adds ``show``'s text)."""
    global _loaded
    if _loaded or _loading or _REGISTRY:
        raise RuntimeError("build_manifest needs a process whose registry is still empty")
    data = manifest.build(MODULES, _REGISTRY, _families, extra)
    _loaded = True
    return data


def build_manifest_cached() -> None:
    """Build every statement; when the registry was empty before, keep the derived manifest for the next start
    (the shipped one was stale). Keys registered earlier (a user module importing built-in ones) cannot be
    attributed to a module, so no manifest is kept then: the built registry answers instead."""
    if _REGISTRY:
        load_all()
        return
    from schattheory.core.statement_text import text_lines

    manifest.remember(build_manifest(lambda b: {"show": "\n".join(text_lines(b))}))
