"""Bounds derived by the engine (:mod:`schattheory.core.derivation`) from registered lemmas.

- :mod:`.network_cover`: Bartlett et al.'s Theorem 3.3 re-derived from Maurey's lemma (a check of the engine);
- :mod:`.main_bound`: the per-layer complexity and the whole-network bound of the target paper's main theorem,
  derived from the reconstructed mixed cover, the balancing lemma, Dudley and Cauchy-Schwarz.
"""
