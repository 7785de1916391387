r"""Numeric values of matrix expressions such as ``A + B``, ``A*C`` or ``2*A.T``, from numeric matrices.

:meth:`schattheory.core.bound.Bound.evaluate` uses this when a spectral function (``SchattenNorm(A + B, p)``) is applied
to a matrix *expression* rather than a bare matrix symbol: the expression is formed in float64 from the given
matrices, then its singular values are taken like those of any given matrix.

Supported: matrix symbols, sums, products (with scalar coefficients), transposes and integer powers.

>>> import numpy as np, sympy as sp
>>> from schattheory.foundation.symbols import A, Bm, C
>>> evaluate_matrix_expression(A + 2 * Bm, {A: np.eye(2), Bm: np.ones((2, 2))})
array([[3., 2.],
       [2., 3.]])
>>> evaluate_matrix_expression(A * C, {A: np.ones((2, 3)), C: np.ones((3, 2))})
array([[3., 3.],
       [3., 3.]])
"""

from __future__ import annotations

from functools import reduce

import numpy as np
import sympy as sp

from schattheory.foundation.errors import InputError, check_matrix

__all__ = ["evaluate_matrix_expression"]


def evaluate_matrix_expression(expr, matrices: dict, values: dict | None = None) -> np.ndarray:
    """The float64 matrix ``expr`` evaluated at ``matrices`` (matrix symbol -> 2-D array); scalars from ``values``."""
    values = values or {}

    def scalar(c):
        c = sp.sympify(c).subs(values)
        if not c.is_number:
            raise InputError(str(c), c, f"needs a value to evaluate the matrix expression {expr}")
        return float(c)

    def ev(e):
        if isinstance(e, sp.MatrixSymbol):
            if e not in matrices:
                raise InputError("values", str(e), f"needs a matrix for {e} to evaluate {expr}")
            value = matrices[e]
            if np.ndim(value) != 2:
                raise InputError(
                    str(e),
                    f"array of shape {np.shape(value)}",
                    f"{expr} needs the matrix {e} itself, not its singular values",
                )
            return check_matrix(value, str(e)).astype(np.float64, copy=False)
        if isinstance(e, sp.MatAdd):
            parts = [ev(x) for x in e.args]
            return reduce(_checked(np.add, "+"), parts)
        if isinstance(e, sp.MatMul):
            coeff, factors = e.as_coeff_matrices()
            out = reduce(_checked(np.matmul, "*"), [ev(x) for x in factors])
            return scalar(coeff) * out
        if isinstance(e, sp.Transpose):
            return ev(e.arg).T
        if isinstance(e, sp.MatPow):
            power = sp.sympify(e.exp).subs(values)
            if not (power.is_Integer and power >= 0):
                raise InputError("exponent", power, f"only non-negative integer powers are supported in {expr}")
            return np.linalg.matrix_power(ev(e.base), int(power))
        raise InputError("expr", str(e), f"unsupported matrix expression {type(e).__name__}")

    return ev(sp.sympify(expr))


def _checked(op, sign):
    def apply(x, y):
        try:
            return op(x, y)
        except ValueError:
            raise InputError("shapes", f"{x.shape} {sign} {y.shape}", "the matrices do not conform") from None

    return apply
