"""Mutation testing of the falsifier: false variants of registered statements must be refuted (>= 90% of at least
40 mutants), and no registered statement may be (zero false alarms).

The score is printed (``pytest -s``); README "What check means" records the measured figure.
"""

import pytest

from schattheory.analysis.falsifier import attack, kind_of
from schattheory.analysis.falsifier.mutants import mutants
from schattheory.core import registry
from schattheory.core.registry import all_bounds

BUDGET = 1.0
#: two samples of mutants pooled (the score of one sample of ~65 varies by a few points with its seed)
MUTANT_SEEDS = (1, 2)


def _checkable():
    return [b for b in all_bounds() if kind_of(b)[0] != "unchecked"]


@pytest.mark.slow
def test_mutation_score_at_least_90_percent():
    results = []
    for b, seed in ((b, seed) for seed in MUTANT_SEEDS for b in _checkable()):
        for op, text, mb in mutants(b, seed=seed):
            if kind_of(mb)[0] == "unchecked":  # e.g. a flipped cover: lower bounds cannot refute N >= ...
                continue
            v = attack(mb, BUDGET, seed=0, limits=False)
            results.append((b.key, op, text, v.outcome))
    refuted = sum(o == "refuted" for *_, o in results)
    survivors = [r for r in results if r[3] != "refuted"]
    print(f"\nmutation score: {refuted}/{len(results)} = {refuted / len(results):.1%}")
    for r in survivors:
        print("  survived:", *r[:3])
    assert len(results) >= 40
    assert refuted >= 0.9 * len(results), survivors


# one test per key (each attack spends its budget): xdist spreads them over the workers
@pytest.mark.slow
@pytest.mark.parametrize("key", registry.keys())
def test_no_registered_statement_is_refuted(key):
    v = attack(registry.get(key), BUDGET, seed=7)
    assert v.outcome != "refuted", str(v.counterexample)
