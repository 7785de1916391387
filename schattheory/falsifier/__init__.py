"""The falsifier: every statement's adversary (see :mod:`.core` for what each kind of statement faces).

>>> from schattheory.falsifier import falsify, attack, Counterexample
"""
from .core import attack, falsify, kind_of
from .result import Counterexample, Verdict

__all__ = ["falsify", "attack", "kind_of", "Counterexample", "Verdict"]
