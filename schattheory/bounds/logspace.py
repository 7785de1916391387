r"""Log-space versions of bound expressions, so that deep networks never overflow float64.

:func:`log_expr` rewrites ``log(expr)`` as an expression in the *logarithms* of its positive inputs: every input
``x`` becomes ``log_x`` and products, powers and positive sums turn into sums, multiples and log-sum-exps. A product
of 1000 spectral norms equal to 3 is then ``1000 * log(3)``, not ``inf``. The rewritten expression is lambdified by
:mod:`schattheory.numerics.backends` like any other, so the numbers still come from the registered ``Bound.expr``.

.. math:: \log(a b^c + d) = \operatorname{lse}(\log a + c \log b,\ \log d)

Rules (each exact for admissible inputs): products and powers expand; a sum of non-negative terms becomes
``M + log(sum exp(t_i - M))`` with ``M`` the largest ``t_i``; ``log(u)`` becomes ``log(log_u)`` (needs ``u > 1``);
``ceiling(u)`` equals ``u`` to float64 precision once ``u > e^40``; ``atan(u)`` equals ``u`` once ``u < e^-20``;
anything else is evaluated directly from ``exp(log_x)``.

>>> import sympy as sp
>>> x, y = sp.symbols("x y", positive=True)
>>> lx, fn = log_expr(x**3 * (y + 1), (x, y))
>>> import math
>>> round(float(fn(math.log(2.0), math.log(3.0))), 12) == round(math.log(2.0**3 * 4), 12)
True
>>> float(fn(1000 * math.log(3.0), 0.0)) / math.log(10)   # (3^1000)^3 * 2 overflows float64; its log does not
1431.6647...

Reference: the log-sum-exp trick; see Blanchard, Higham and Higham (2021), "Accurately computing the log-sum-exp
and softmax functions", IMA J. Numer. Anal. 41(4).
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

__all__ = ["log_symbol", "log_expr", "smax", "logsumexp_expr"]

_CEIL_SWITCH = 40  # above e^40 a float64 equals its ceiling
_ATAN_SWITCH = -20  # below e^-20, atan(u) = u to float64 precision


def log_symbol(x: sp.Symbol) -> sp.Symbol:
    """The input that carries ``log(x)``."""
    return sp.Symbol(f"log_{x.name}", real=True)


def smax(*terms):
    """max of real expressions (``numpy.maximum`` after lambdify: broadcasts, and -inf stays harmless)."""
    return sp.Max(*terms, evaluate=False) if len(terms) > 1 else terms[0]


def logsumexp_expr(terms):
    """log(sum exp(t_i)) written with the maximum pulled out, so no exp overflows."""
    if len(terms) == 1:
        return terms[0]
    top = smax(*terms)
    # exp and log unevaluated: their automatic simplification (and the assumption queries log's makes) runs
    # logcombine, which rebuilds the Max with evaluation and compares its arguments pairwise: seconds per deep
    # bound, for the same value
    return top + sp.log(sp.Add(*[sp.exp(t - top, evaluate=False) for t in terms]), evaluate=False)


class _Rewriter:
    def __init__(self, inputs):
        self.inputs = tuple(inputs)
        self.logs = {x: log_symbol(x) for x in self.inputs}
        self.direct = {x: sp.exp(self.logs[x]) for x in self.inputs}

    def value(self, e):
        """e itself, written in the log inputs (used where the value is moderate)."""
        return e.xreplace(self.direct)

    def log(self, e):
        """log(e) written in the log inputs; e must be positive."""
        if e in self.logs:
            return self.logs[e]
        if not e.free_symbols:
            if not e.is_positive:
                raise ValueError(f"log-space rewrite needs positive constants, got {e}")
            return sp.log(e)
        if isinstance(e, sp.Mul):
            coeff, rest = e.as_coeff_Mul()
            if coeff.is_negative:
                # a bound's only negative factors are logs of numbers below 1, e.g. -log(delta) = log(1/delta)
                logs = [f for f in sp.Mul.make_args(rest) if isinstance(f, sp.log)]
                if len(logs) != 1:
                    raise ValueError(f"log-space rewrite: cannot place the sign of {e}")
                others = [f for f in sp.Mul.make_args(rest) if f is not logs[0]]
                return sp.log(-coeff) + sp.log(-self.log(logs[0].args[0])) + sp.Add(*[self.log(f) for f in others])
            return sp.Add(*[self.log(f) for f in e.args])
        if isinstance(e, sp.Pow):
            base, expo = e.args
            return self.value(expo) * self.log(base)
        if isinstance(e, sp.exp):
            return self.value(e.args[0])
        if isinstance(e, sp.Add):
            # the terms of a bound are non-negative for admissible inputs; a term with a negative coefficient (a
            # difference such as pi/2 - atan(x)) is evaluated directly instead
            if not any(t.as_coeff_Mul()[0].is_negative for t in e.args):
                return logsumexp_expr([self.log(t) for t in e.args])
            return sp.log(self.value(e))
        if isinstance(e, sp.log):
            inner = self.log(e.args[0])  # log(log u) = log(inner); needs u > 1
            return sp.log(inner)
        if isinstance(e, sp.ceiling):
            inner = self.log(e.args[0])
            return sp.Piecewise((inner, inner > _CEIL_SWITCH), (sp.log(sp.ceiling(sp.exp(inner))), True))
        if isinstance(e, sp.atan):
            inner = self.log(e.args[0])
            return sp.Piecewise((inner, inner < _ATAN_SWITCH), (sp.log(sp.atan(sp.exp(inner))), True))
        if isinstance(e, sp.Max):
            return smax(*[self.log(t) for t in e.args])
        return sp.log(self.value(e))


@lru_cache(maxsize=512)
def _compile(expr, inputs, backend):
    from schattheory.numerics.backends import mpmath_evaluator, numpy_evaluator

    rw = _Rewriter(inputs)
    missing = expr.free_symbols - set(inputs)
    if missing:
        raise ValueError(f"log_expr: inputs miss {sorted(map(str, missing))}")
    lexpr = rw.log(expr)
    params = tuple(rw.logs[x] for x in inputs)
    make = numpy_evaluator if backend == "numpy" else mpmath_evaluator
    return lexpr, make(lexpr, params)


def log_expr(expr, inputs, backend: str = "numpy"):
    """(log-space expression, evaluator): the evaluator takes ``log(x)`` for each input in order, returns log(expr).

    Every input must be a positive quantity. The evaluator is built once per (expr, inputs, backend) and cached.
    """
    return _compile(sp.sympify(expr), tuple(inputs), backend)
