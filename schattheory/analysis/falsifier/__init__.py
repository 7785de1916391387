"""The falsifier: every statement's adversary (see :mod:`.core` for what each kind of statement faces).

>>> from schattheory.analysis.falsifier import falsify, attack, Counterexample
"""

from schattheory.analysis.falsifier.core import attack, falsify, kind_of
from schattheory.analysis.falsifier.result import Counterexample, Verdict

__all__ = ["falsify", "attack", "kind_of", "Counterexample", "Verdict"]
