"""Points of a statement's domain: where the falsifier looks, and the test that a point lies in the domain.

Each scalar parameter gets a *kind* from its SymPy assumptions, its name and its role in a structured left side
(a dimension or a rank of a set is an integer even when the symbol is a real ``r``):

- ``dim``: positive integers (1, 2, 3, ... up to 10^6);
- ``index``: non-negative integers (a truncation rank j);
- ``exponent``: Schatten-type exponents (names p, q, p_1, r_M, ...): near 0 (10^-4), moderate, the special values
  1/2, 1, 2 and large (10^3);
- ``positive``: log-uniform over 10^-150..10^150 mixed with moderate values and 1;
- ``real``: either sign.

The stated assumptions (``eps <= R``, ``p < 2``) are lambdified once and applied to a whole batch.
"""

from __future__ import annotations

import re

import numpy as np
import sympy as sp

__all__ = ["param_kinds", "sample", "domain_mask", "EXPONENT_NAMES"]

#: names of Schatten-type exponents (p, q, p_1, p_2, r_M ...): searched near 0 and large as well
EXPONENT_NAMES = re.compile(r"^(p|q|p_\d+|q_\d+|r_M)$")
_MAG = 150.0


def param_kinds(params, integer_roles=()) -> dict:
    """symbol -> kind (``dim``, ``index``, ``exponent``, ``positive``, ``real``)."""
    out = {}
    for s in params:
        if isinstance(s, sp.MatrixSymbol):
            continue
        if s in integer_roles or (s.is_integer and s.is_positive):
            out[s] = "dim"
        elif s.is_integer:
            out[s] = "index"
        elif EXPONENT_NAMES.match(str(s)):
            out[s] = "exponent"
        elif s.is_positive:
            out[s] = "positive"
        else:
            out[s] = "real"
    return out


_DIMS = np.array([1, 1, 2, 2, 3, 4, 5, 6, 8, 10, 16, 30, 64, 100, 1000, 10**4, 10**5, 10**6], dtype=float)
_SPECIAL_P = np.array([0.5, 1.0, 2.0, 1.0, 2.0, 3.0, 4.0])


def _draw(kind: str, rng, size: int, *, max_dim: float) -> np.ndarray:
    u = rng.random(size)
    if kind == "dim":
        dims = _DIMS[_DIMS <= max_dim]
        tiny = rng.choice(np.array([1, 1, 2, 3], dtype=float), size)  # where packings are exact: 1-3 dimensions
        wide = np.where(u < 0.7, rng.choice(dims, size), rng.integers(1, int(min(max_dim, 50)) + 1, size))
        return np.where(u < 0.35, tiny, wide).astype(float)
    if kind == "index":
        return np.where(u < 0.7, rng.integers(0, 6, size), rng.integers(0, 200, size)).astype(float)
    if kind == "exponent":
        near0 = 10 ** rng.uniform(-4, -1, size)
        moderate = rng.uniform(0.05, 6, size)
        large = 10 ** rng.uniform(1, 3, size)
        special = rng.choice(_SPECIAL_P, size)
        pick = rng.integers(0, 4, size)
        return np.choose(pick, [near0, moderate, large, special])
    if kind == "positive":
        wide = 10 ** rng.uniform(-_MAG, _MAG, size)
        moderate = 10 ** rng.uniform(-3, 3, size)
        near1 = rng.uniform(0.05, 4, size)
        pick = rng.integers(0, 3, size)
        return np.choose(pick, [wide, moderate, near1])
    vals = _draw("positive", rng, size, max_dim=max_dim)
    return np.where(rng.random(size) < 0.5, vals, -vals)


def sample(kinds: dict, rng, size: int, *, max_dim: float = 1e6) -> dict:
    """A batch of ``size`` points: symbol -> float64 array."""
    return {s: _draw(kind, rng, size, max_dim=max_dim) for s, kind in kinds.items()}


def domain_mask(assumptions, batch: dict, size: int) -> np.ndarray:
    """Boolean mask of the batch points that satisfy every stated assumption (strictly inside, in float64)."""
    from schattheory.numerics.backends import numpy_evaluator

    ok = np.ones(size, dtype=bool)
    for rel in assumptions:
        if rel is sp.true:
            continue
        free = tuple(sorted(rel.free_symbols, key=str))
        if any(s not in batch for s in free):
            continue
        diff = numpy_evaluator(rel.lhs - rel.rhs, free)
        with np.errstate(all="ignore"):
            val = np.broadcast_to(np.asarray(diff(*[batch[s] for s in free]), dtype=float), (size,))
        if isinstance(rel, (sp.StrictLessThan,)):
            ok &= val < 0
        elif isinstance(rel, sp.LessThan):
            ok &= val <= 0
        elif isinstance(rel, sp.StrictGreaterThan):
            ok &= val > 0
        elif isinstance(rel, sp.GreaterThan):
            ok &= val >= 0
        elif isinstance(rel, sp.Ne):
            ok &= val != 0
        else:
            ok &= val == 0
    return ok
