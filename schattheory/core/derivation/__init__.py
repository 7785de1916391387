r"""The derivation engine: a Bound obtained from registered lemmas by recorded, replayable steps.

A :class:`Derivation` is a tuple of :class:`Step` objects. Running it starts from a registered lemma
(:class:`UseLemma`) and transforms the right-hand side step by step: substitutions, choices of a free parameter
under a stated condition, relaxations (replace a sub-expression by an upper bound), the optimisation over the
truncation rank (the balancing lemma), Dudley's entropy integral, a sum over layers, Cauchy-Schwarz, a union bound
over a finite grid of exponents, dropping constants (dominant form). Every step records what it used (registry
keys or a citation) and the expression it produced, so a derivation can be

- **replayed**: :meth:`Derivation.replay` re-runs the recipe against the registry and must reproduce every
  recorded expression (a changed lemma shows up as a mismatch);
- **checked**: :meth:`Derivation.check` replays, verifies each relaxation and condition at the example point
  (50 digits), and checks that dropped constants depend on no size parameter;
- **printed**: :meth:`Derivation.describe` (text) and :meth:`Derivation.latex_lines` (one LaTeX line per step,
  for a proof skeleton); each step has ``describe()`` and ``latex()``.

>>> import sympy as sp
>>> from schattheory.foundation.symbols import a, b, p, j
>>> d = derive("demo", [UseLemma("balancing.integer", subs={p: 2})])
>>> d.expr
2*sqrt(a)*sqrt(b)
>>> d.replay() == d.expr
True
>>> print(d.describe().splitlines()[1])
  1. [lemma balancing.integer (derived) with p = 2]: 2*sqrt(a)*sqrt(b)

Reference: the steps mirror the proofs of Bartlett, Foster and Telgarsky (2017), Theorem 3.3 and Lemma A.5, and
the reconstructed per-layer argument of SOURCES.md [P4.5].

The package: :mod:`.engine` (Step, Derivation, derive, derived_bound), :mod:`.algebra` (monomials and other cheap
normal forms), :mod:`.steps` (the general steps), :mod:`.ranges` (claims decided over their range of use). The steps
that apply one lemma (``OptimiseRank``: balancing; ``DudleyStep``: Dudley) live with the lemmas
(:mod:`schattheory.lemmas.steps`); import them from there (the core imports nothing of the layers above it).
"""

from __future__ import annotations

from schattheory.core.derivation.algebra import layer_function, monomial, per_layer, split_constant
from schattheory.core.derivation.engine import Derivation, DerivationError, Step, derive, derived_bound
from schattheory.core.derivation.steps import (
    AllocateScales,
    Apply,
    CauchySchwarz,
    Choose,
    Coefficient,
    DropConstants,
    FactorOut,
    Relax,
    Start,
    Substitute,
    SumOverLayers,
    UnionBound,
    UseLemma,
)

__all__ = [
    "Step",
    "UseLemma",
    "Start",
    "Substitute",
    "Choose",
    "Relax",
    "Coefficient",
    "SumOverLayers",
    "CauchySchwarz",
    "UnionBound",
    "DropConstants",
    "FactorOut",
    "Apply",
    "AllocateScales",
    "monomial",
    "split_constant",
    "Derivation",
    "DerivationError",
    "derive",
    "derived_bound",
    "layer_function",
    "per_layer",
]
