"""The strict registry of lemmas and bounds.

Modules under ``schattheory.lemmas`` and ``schattheory.bounds`` register their Bounds when imported; the registry
imports them all on first use (:data:`MODULES` lists them, so a new module is one line here). Duplicate keys are
refused; an unknown key's error lists the close matches.

>>> from schattheory import registry
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

from .bound import Bound

__all__ = ["register", "get", "keys", "all_bounds", "MODULES", "DuplicateKeyError"]

#: modules whose import registers Bounds (loaded lazily, in this order)
MODULES = [
    "schattheory.lemmas.schatten_facts",
    "schattheory.lemmas.balancing",
    "schattheory.lemmas.dudley",
    "schattheory.lemmas.covering",
    "schattheory.lemmas.maurey",
    "schattheory.lemmas.network_cover",
    "schattheory.lemmas.mixed_cover",
    "schattheory.derivations.network_cover",
    "schattheory.derivations.main_bound",
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

_REGISTRY: dict[str, Bound] = {}
_loaded = False
_loading = False


class DuplicateKeyError(KeyError):
    pass


def register(bound: Bound) -> Bound:
    """Add a checked Bound; a second Bound under the same key is refused."""
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


def get(key: str) -> Bound:
    load_all()
    try:
        return _REGISTRY[key]
    except KeyError:
        close = difflib.get_close_matches(key, list(_REGISTRY), n=5, cutoff=0.6)
        hint = f"; close matches: {', '.join(close)}" if close else "; see `schattheory list`"
        raise KeyError(f"unknown key {key!r}{hint}") from None


def keys(prefix: str = "") -> list[str]:
    load_all()
    return sorted(k for k in _REGISTRY if k.startswith(prefix))


def all_bounds(prefix: str = "") -> list[Bound]:
    return [_REGISTRY[k] for k in keys(prefix)]
