"""The one place that lambdifies expressions and scopes mpmath precision.

Evaluators are built once per (expression, parameters, backend) and cached. mpmath precision is always scoped
with ``mpmath.workdps`` for the duration of one call; nothing here assigns ``mp.dps``.

>>> import sympy as sp
>>> x = sp.Symbol("x", positive=True)
>>> f = mpmath_evaluator(sp.sqrt(x) + sp.Rational(1, 3), (x,))
>>> import mpmath
>>> mpmath.nstr(f(2, dps=30), 30)   # the value carries 30 digits; print it with nstr
'1.74754689570642838213502205754'
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp
from mpmath.libmp import from_rational, round_nearest

from schattheory.foundation.errors import InputError, check_dps

__all__ = ["numpy_evaluator", "mpmath_evaluator", "to_mpf", "scoped_dps", "DEFAULT_DPS", "PreciseValue"]

DEFAULT_DPS = 50


def scoped_dps(dps: int):
    """Context manager: mpmath precision ``dps`` inside the block only."""
    return mpmath.workdps(check_dps(dps))


def to_mpf(value, name: str = "value"):
    """An exact conversion of a Python/NumPy/SymPy number to ``mpmath.mpf`` at the current precision.

    Floats are converted exactly (their binary value), Fractions and sympy Rationals by exact division, strings
    are parsed at the current precision (so "0.1" is 0.1 to every digit, unlike the float 0.1).
    """
    if isinstance(value, (mpmath.mpf, mpmath.mpc)):
        return value
    if isinstance(value, bool):
        raise InputError(name, value, "must be a number, not a bool")
    if isinstance(value, (int, np.integer)):
        return mpmath.mpf(int(value))
    if isinstance(value, (float, np.floating)):
        return mpmath.mpf(float(value))
    if isinstance(value, Fraction):
        return mpmath.mpf(value.numerator) / value.denominator
    if isinstance(value, str):
        try:
            return mpmath.mpf(value)
        except (ValueError, TypeError):
            raise InputError(name, value, "is not a number") from None
    if isinstance(value, sp.Basic):
        if value.is_Rational:  # one correctly rounded conversion (also the fast path: evaluators see many)
            return mpmath.mp.make_mpf(from_rational(int(value.p), int(value.q), mpmath.mp.prec, round_nearest))
        if value is sp.oo:
            return mpmath.inf
        if value.is_number:
            return mpmath.mpf(sp.N(value, mpmath.mp.dps + 5))
        raise InputError(name, value, "is symbolic, not a number")
    raise InputError(name, value, f"has unsupported type {type(value).__name__}")


@lru_cache(maxsize=1024)
def _lambdified(expr: sp.Expr, params: tuple, module: str):
    return sp.lambdify(params, expr, modules=module, cse=True)


class PreciseValue(mpmath.mpf):
    """An ``mpmath.mpf`` that prints the digits it was computed to (``str`` and ``repr`` at ``dps`` significant
    digits, not at mpmath's global 15); arithmetic on it gives plain ``mpf`` at the working precision.

    >>> with mpmath.workdps(30):
    ...     x = PreciseValue(mpmath.sqrt(2), 30)
    >>> str(x), float(x) == 2 ** 0.5
    ('1.41421356237309504880168872421', True)
    """

    __slots__ = ("dps",)

    def __new__(cls, value, dps: int):
        with mpmath.workdps(dps):
            self = mpmath.mpf.__new__(cls, value)
        self.dps = int(dps)
        return self

    def __str__(self) -> str:
        return mpmath.nstr(self, self.dps)

    def __repr__(self) -> str:
        return f"mpf('{mpmath.nstr(self, self.dps)}')"

    def __reduce__(self):
        return (PreciseValue, (mpmath.nstr(self, self.dps + 5), self.dps))  # the digits survive pickling


def mpmath_evaluator(expr, params):
    """Return ``f(*values, dps=50)`` evaluating ``expr`` in mpmath at ``dps`` significant digits.

    The expression is lambdified once (cached); Rationals and constants are printed as mpmath operations, so they
    are exact to the working precision of each call.
    """
    params = tuple(params)
    fn = _lambdified(sp.sympify(expr), params, "mpmath")
    names = [str(s) for s in params]  # printing a SymPy symbol costs microseconds: once, not per call

    def evaluate(*values, dps: int = DEFAULT_DPS):
        if len(values) != len(params):
            raise InputError("values", len(values), f"expected {len(params)} values for {params}")
        with scoped_dps(dps):
            args = [to_mpf(v, name) for v, name in zip(values, names)]
            out = +fn(*args)  # unary plus rounds to the working precision
            return PreciseValue(out, dps) if isinstance(out, mpmath.mpf) else out

    evaluate.params = params
    return evaluate


def numpy_evaluator(expr, params):
    """Return a vectorised float64 function of ``params`` (NumPy broadcasting applies)."""
    params = tuple(params)
    return _lambdified(sp.sympify(expr), params, "numpy")
