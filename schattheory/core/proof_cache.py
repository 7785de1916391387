"""The prover's verdicts, shipped: claims the derivations ask on import, and the declared limits of the registered
statements, are looked up instead of re-proved.

Importing the derivations asks SymPy about ten sign questions, each in a forked process with a CPU budget
(:data:`schattheory.core.derivation.ranges.PROOF_BUDGET`); that was most of the package's import time, paid again in
every process. ``python -m schattheory.outputs.manifest_write`` asks them afresh (no cache) and writes every
outcome to ``schattheory/data/proof_cache.json``, each with the claim it answers written out.

A lookup matches only the same SymPy version, the same budget and the identical claim (the ``srepr`` of the
difference, the equality flag and the domain), so a changed statement is simply proved afresh. ``True`` is a proof
SymPy found for exactly that claim (tests/test_proof_cache.py re-proves every one from its stored text); ``False``
means only "not proved within the budget", which sends the claim to the numeric attack, as a fresh run would.
The attack's outcome is stored too (seeded and deterministic given the claim, domain, example point and library
versions, all part of its key), except a refutation, which is never taken from a file; the tests re-run every
stored attack and require no refutation. A declared limit's verdict (:mod:`schattheory.core.limit_check`, about
6 CPU-s for all registered statements, paid by every process that shows them: ``show``, the LaTeX, the report) is
stored only when it was verified, keyed by everything the check reads (the quantity, the declared value, the point
and direction, the example point, the spectra, the budget, the digits, the library versions); a limit that is not
verified is never taken from the file, and the tests re-check every stored verdict afresh.
``SCHATTHEORY_PROOF_CACHE=0`` turns lookups off for a process, and
:func:`off` for a block of code (the manifest writer's fresh build).
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import contextmanager

from schattheory.foundation.manifest import PACKAGE_DIR

__all__ = [
    "FILE",
    "claim_text",
    "attack_text",
    "limit_text",
    "lookup_limit",
    "record_limit",
    "lookup",
    "lookup_attack",
    "record",
    "record_attack",
    "recorded",
    "misses",
    "off",
    "write",
]

FILE = os.path.join(PACKAGE_DIR, "data", "proof_cache.json")
FORMAT = 1
_shipped = None
_recorded: dict = {}
_misses: list = []
_off = 0  # depth of the open off() blocks


def claim_text(diff, equality: bool, domain, budget: float) -> str:
    import sympy as sp

    return "\n".join(
        [f"sympy {sp.__version__}", f"budget {float(budget)!r}", f"equality {bool(equality)}", sp.srepr(diff)]
        + [sp.srepr(d) for d in domain]
    )


def attack_text(rel, domain, example, seed: int) -> str:
    """The numeric attack's question: the claim, its domain, the example point and the seed, with the versions of
    every library that computes it (the attack is deterministic given these)."""
    import mpmath
    import numpy as np
    import sympy as sp

    return "\n".join(
        [f"attack: sympy {sp.__version__}, numpy {np.__version__}, mpmath {mpmath.__version__}", f"seed {int(seed)}"]
        + [sp.srepr(rel)]
        + [sp.srepr(d) for d in domain]
        + [f"example {sp.srepr(k)} = {sp.srepr(sp.sympify(v))}" for k, v in sorted((example or {}).items(), key=str)]
    )


def limit_text(quantity, limit, example, spectra, budget: float, dps: int) -> str:
    """A declared limit's question: ``quantity -> limit.value`` as ``limit.symbol -> limit.point`` (from ``limit.dir``)
    at the example point, with the spectra standing in for matrices and the check's budget and digits."""
    import mpmath
    import sympy as sp

    return "\n".join(
        [f"limit: sympy {sp.__version__}, mpmath {mpmath.__version__}", f"budget {float(budget)!r}", f"dps {int(dps)}"]
        + [sp.srepr(quantity), sp.srepr(limit.value), sp.srepr(limit.symbol), sp.srepr(limit.point), str(limit.dir)]
        + [f"example {sp.srepr(k)} = {sp.srepr(sp.sympify(v))}" for k, v in sorted(example.items(), key=str)]
        + [f"spectrum {sp.srepr(m)} = {sp.srepr(sp.Tuple(*sig))}" for m, sig in sorted(spectra.items(), key=str)]
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


@contextmanager
def off():
    """Lookups off inside the block (every claim is proved afresh and recorded), as they were after it: the switch is
    scoped, so a caller in a long-lived process (a test worker, a notebook) does not leave them off for the rest of
    it, or for the processes it starts."""
    global _off
    _off += 1
    try:
        yield
    finally:
        _off -= 1


def _entry(text: str):
    if _off or os.environ.get("SCHATTHEORY_PROOF_CACHE", "1") == "0":
        return None
    entry = _load().get(_key(text))
    if entry is None or entry["claim"] != text:
        _misses.append(text)
        return None
    return entry


def lookup(text: str):
    """The stored outcome of ``text`` (a :func:`claim_text`), or ``None``."""
    entry = _entry(text)
    return None if entry is None else bool(entry["proved"])


def lookup_attack(text: str):
    """The stored (status, evidence) of the numeric attack ``text`` (an :func:`attack_text`), or ``None``."""
    entry = _entry(text)
    return None if entry is None else tuple(entry["attack"])


def lookup_limit(text: str):
    """The stored (method, evidence) of a verified limit ``text`` (a :func:`limit_text`), or ``None``."""
    entry = _entry(text)
    return None if entry is None or "limit" not in entry else tuple(entry["limit"])


def record_limit(text: str, ok: bool, method: str, evidence: str) -> None:
    if ok:  # a limit that is not verified is never stored, so never taken from the file
        _recorded[_key(text)] = {"claim": text, "limit": [method, evidence]}


def record(text: str, proved: bool) -> None:
    _recorded[_key(text)] = {"claim": text, "proved": bool(proved)}


def record_attack(text: str, status: str, evidence: str) -> None:
    _recorded[_key(text)] = {"claim": text, "attack": [status, evidence]}


def recorded() -> dict:
    return dict(_recorded)


def misses() -> list:
    return list(_misses)


def write(entries: dict, path: str = FILE) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump({"format": FORMAT, "entries": entries}, fh, indent=1, sort_keys=True)
        fh.write("\n")
