"""The prover's verdicts, shipped: claims the derivations ask on import are looked up instead of re-proved.

Importing the derivations asks SymPy about ten sign questions, each in a forked process with a CPU budget
(:data:`schattheory.core.derivation.ranges.PROOF_BUDGET`); that was most of the package's import time, paid again in
every process. ``python -m schattheory.outputs.manifest_write`` asks them afresh (no cache) and writes every
outcome to ``schattheory/data/proof_cache.json``, each with the claim it answers written out.

A lookup matches only the same SymPy version, the same budget and the identical claim (the ``srepr`` of the
difference, the equality flag and the domain), so a changed statement is simply proved afresh. ``True`` is a proof
SymPy found for exactly that claim (tests/test_proof_cache.py re-proves every one from its stored text); ``False``
means only "not proved within the budget", which sends the claim to the numeric attack, as a fresh run would.
``SCHATTHEORY_PROOF_CACHE=0`` turns lookups off.
"""

from __future__ import annotations

import hashlib
import json
import os

from schattheory.foundation.manifest import PACKAGE_DIR

__all__ = ["FILE", "claim_text", "lookup", "record", "recorded", "misses", "write"]

FILE = os.path.join(PACKAGE_DIR, "data", "proof_cache.json")
FORMAT = 1
_shipped = None
_recorded: dict = {}
_misses: list = []


def claim_text(diff, equality: bool, domain, budget: float) -> str:
    import sympy as sp

    return "\n".join(
        [f"sympy {sp.__version__}", f"budget {float(budget)!r}", f"equality {bool(equality)}", sp.srepr(diff)]
        + [sp.srepr(d) for d in domain]
    )


def _key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _load() -> dict:
    global _shipped
    if _shipped is None:
        try:
            with open(FILE, encoding="utf-8") as fh:
                data = json.load(fh)
            _shipped = data["entries"] if data.get("format") == FORMAT else {}
        except (OSError, ValueError, KeyError):
            _shipped = {}
    return _shipped


def lookup(text: str):
    """The stored outcome of ``text`` (a :func:`claim_text`), or ``None``."""
    if os.environ.get("SCHATTHEORY_PROOF_CACHE", "1") == "0":
        return None
    entry = _load().get(_key(text))
    if entry is None or entry["claim"] != text:
        _misses.append(text)
        return None
    return bool(entry["proved"])


def record(text: str, proved: bool) -> None:
    _recorded[_key(text)] = {"claim": text, "proved": bool(proved)}


def recorded() -> dict:
    return dict(_recorded)


def misses() -> list:
    return list(_misses)


def write(entries: dict, path: str = FILE) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump({"format": FORMAT, "entries": entries}, fh, indent=1, sort_keys=True)
        fh.write("\n")
