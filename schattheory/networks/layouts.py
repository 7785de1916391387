r"""Transformer tensor layouts recognised by name: the patterns are data (``schattheory/data/layouts.json``), not code.

Each pattern says how a tensor is stored (``out_in`` like torch ``nn.Linear``, or ``in_out`` like GPT-2's Conv1D and
embedding tables), whether it is a fused projection to split into equal row blocks (GPT-2 ``c_attn`` -> q, k, v),
whether it is decomposed at all (norm scales, biases and buffers are not), and its role; each role states what it
means for the bounds (``covered``: whether the registered network bound families, which bound feed-forward chains
x -> A_L s(... s(A_1 x)), apply to a network made of such layers). A tensor no pattern names is a plain ``dense``
layer when it is 2-D or 4-D.

>>> lay = classify("transformer.h.0.attn.c_attn.weight", 2)
>>> lay.role, lay.stored, lay.split, lay.covered
('attention.qkv', 'in_out', ('q', 'k', 'v'), False)
>>> classify("fc1.weight", 2).role
'dense'
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

from schattheory.foundation.errors import InputError

__all__ = ["Layout", "classify", "roles", "patterns"]

_STORED = ("out_in", "in_out")


@dataclass(frozen=True)
class Layout:
    """What a tensor is, by name: ``pattern`` is the matching pattern's id (``None`` for the fallback)."""

    role: str
    stored: str | None
    split: tuple
    evaluate: bool
    pattern: str | None
    meaning: str
    covered: bool


@functools.lru_cache(maxsize=1)
def _table():
    data = json.loads(resources.files("schattheory.data").joinpath("layouts.json").read_text())
    role_table = data["roles"]
    compiled = []
    for pat in data["patterns"]:
        if pat["role"] not in role_table:
            raise ValueError(f"layouts.json: pattern {pat['id']!r} has unknown role {pat['role']!r}")
        evaluate = pat.get("evaluate", True)
        if evaluate and pat.get("stored") not in _STORED:
            raise ValueError(f"layouts.json: pattern {pat['id']!r} needs 'stored' in {_STORED}")
        compiled.append((re.compile(pat["regex"]), pat, evaluate))
    return role_table, compiled


def roles() -> dict:
    """role -> {"covered": bool, "meaning": str}."""
    return dict(_table()[0])


def patterns() -> list:
    """The patterns, in matching order (each a dict as written in layouts.json)."""
    return [dict(p) for _, p, _ in _table()[1]]


def classify(name: str, ndim: int, orientation: str = "out_in") -> Layout | None:
    """The layout of tensor ``name`` with ``ndim`` dimensions; ``None`` when nothing names it and it is not 2-D/4-D
    (such tensors are listed as ignored). ``orientation`` is the stored layout assumed for unnamed tensors."""
    role_table, compiled = _table()
    for rx, pat, evaluate in compiled:
        if rx.search(name):
            if evaluate and ndim != 2:
                # a pattern names a matrix; anything else under that name is not what the pattern describes
                return Layout(
                    pat["role"],
                    pat.get("stored"),
                    (),
                    False,
                    pat["id"],
                    f"named like {pat['role']} but has {ndim} dimensions, not 2",
                    False,
                )
            role = role_table[pat["role"]]
            return Layout(
                pat["role"],
                pat.get("stored"),
                tuple(pat.get("split", ())),
                evaluate,
                pat["id"],
                role["meaning"],
                bool(role["covered"]),
            )
    if ndim in (2, 4):
        if orientation not in _STORED:
            raise InputError("orientation", orientation, f"must be one of {_STORED}")
        role = role_table["dense"]
        return Layout("dense", orientation, (), True, None, role["meaning"], bool(role["covered"]))
    return None
