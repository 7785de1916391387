"""The shipped prover verdicts: every 'proved' one is a proof SymPy finds again from the stored claim, and the cache
answers every claim the package asks on import (else each process pays the forked provers again)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import sympy as sp

from schattheory.core import proof_cache
from schattheory.core.derivation import ranges

with open(proof_cache.FILE, encoding="utf-8") as fh:
    ALL = json.load(fh)["entries"]
SHIPPED = {k: e for k, e in ALL.items() if "proved" in e}
ATTACKS = {k: e for k, e in ALL.items() if "attack" in e}


def _claim(text):
    lines = text.split("\n")
    assert lines[0] == f"sympy {sp.__version__}", "the cache was written with another SymPy: regenerate it"
    equality = lines[2] == "equality True"
    return sp.sympify(lines[3]), equality, tuple(sp.sympify(d) for d in lines[4:])


def test_the_cache_is_not_empty_and_every_key_is_its_claim():
    assert len(SHIPPED) >= 5
    for key, entry in SHIPPED.items():
        assert proof_cache._key(entry["claim"]) == key
        diff, equality, domain = _claim(entry["claim"])
        budget = float(entry["claim"].split("\n")[1].split()[1])
        assert proof_cache.claim_text(diff, equality, domain, budget) == entry["claim"]


@pytest.mark.parametrize("key", sorted(k for k, e in SHIPPED.items() if e["proved"]))
def test_every_cached_proof_is_found_again(key):
    diff, equality, domain = _claim(SHIPPED[key]["claim"])
    assert ranges._prove_slow(diff, equality, domain) is True


def _attack_question(text):
    lines = text.split("\n")
    assert lines[0].startswith(f"attack: sympy {sp.__version__}, numpy "), "written with another SymPy: regenerate"
    seed = int(lines[1].split()[1])
    rel = sp.sympify(lines[2])
    domain = tuple(sp.sympify(d) for d in lines[3:] if not d.startswith("example "))
    example = {}
    for line in lines[3:]:
        if line.startswith("example "):
            name, value = line[len("example ") :].split(" = ")
            example[sp.sympify(name)] = sp.sympify(value)
    return rel, domain, example, seed


def test_attacks_are_stored_with_their_whole_question():
    assert len(ATTACKS) >= 3
    for key, entry in ATTACKS.items():
        assert proof_cache._key(entry["claim"]) == key
        rel, domain, example, seed = _attack_question(entry["claim"])
        assert proof_cache.attack_text(rel, domain, example, seed) == entry["claim"]


@pytest.mark.parametrize("key", sorted(ATTACKS))
def test_every_stored_attack_gives_the_same_verdict_afresh(key):
    rel, domain, example, seed = _attack_question(ATTACKS[key]["claim"])
    diff, equality = ranges._difference(rel)
    fresh = ranges._attack(rel, diff, equality, domain, dict(example), seed)
    assert fresh.status != ranges.REFUTED
    assert [fresh.status, fresh.evidence] == ATTACKS[key]["attack"]


def test_a_lookup_needs_the_identical_claim(monkeypatch):
    key, entry = next(iter(SHIPPED.items()))
    assert proof_cache.lookup(entry["claim"]) is entry["proved"]
    assert proof_cache.lookup(entry["claim"] + "\nsp.Symbol('x')") is None
    monkeypatch.setenv("SCHATTHEORY_PROOF_CACHE", "0")
    assert proof_cache.lookup(entry["claim"]) is None


def test_the_cache_answers_every_claim_asked_on_import():
    code = (
        "import importlib, pkgutil, schattheory\n"
        "for info in pkgutil.walk_packages(schattheory.__path__, 'schattheory.'):\n"
        "    if not info.name.endswith('__main__'):\n"
        "        importlib.import_module(info.name)\n"
        "from schattheory.core import proof_cache\n"
        "print(len(proof_cache.misses()))\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    env.pop("SCHATTHEORY_PROOF_CACHE", None)
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "0", (
        "claims asked on import are missing: run python -m schattheory.outputs.manifest_write"
    )


def _registered_limits():
    """(key, text) of every declared limit of every registered statement, as the check asks it."""
    from schattheory.core import limit_check, registry

    return [(b.key, limit_check.question_text(b, lim)) for b in registry.all_bounds() for lim in b.limits]


LIMITS = {k: e for k, e in ALL.items() if "limit" in e}


def test_every_stored_limit_is_a_registered_one_and_every_registered_one_is_stored():
    texts = {text for _, text in _registered_limits()}
    assert len(LIMITS) >= 40
    assert {e["claim"] for e in LIMITS.values()} == texts, "regenerate: python -m schattheory.outputs.manifest_write"
    for key, entry in LIMITS.items():
        assert proof_cache._key(entry["claim"]) == key and entry["limit"][0] in ("symbolic", "numeric")


@pytest.mark.parametrize("key", sorted({k for k, _ in _registered_limits()}))
def test_every_stored_limit_verdict_is_found_again(key):
    """Each registered statement's declared limits, checked afresh (lookups off): each is verified, as stored."""
    from schattheory.core import limit_check, registry

    b = registry.get(key)
    with proof_cache.off():
        fresh = [limit_check._check_one(b, lim, limit_check.LIMIT_BUDGET) for lim in b.limits]
    assert all(v.ok for v in fresh), [v.evidence for v in fresh if not v.ok]


def test_a_limit_that_is_not_verified_is_never_stored_or_taken_from_the_file(monkeypatch):
    from schattheory.core.bound import Limit
    from schattheory.foundation.symbols import p

    text = proof_cache.limit_text(2 ** (1 / p), Limit(p, sp.oo, 3), {}, {}, 4.0, 50)
    proof_cache.record_limit(text, False, "symbolic", "sympy.limit gives 1, declared 3")
    assert proof_cache._key(text) not in proof_cache.recorded()
    monkeypatch.setitem(proof_cache._load(), proof_cache._key(text), {"claim": text, "proved": True})
    assert proof_cache.lookup_limit(text) is None  # an entry that is not a verified limit answers nothing
