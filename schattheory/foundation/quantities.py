r"""Structured left-hand sides: quantities a statement bounds that cannot be computed, only bounded from below.

A covering number is not a closed form: ``ln N(K, d, eps)`` depends on a set K, a metric d and a scale eps. A
statement that bounds it says *which* set, metric and scale, so that a reader (and :func:`schattheory.falsify`)
can attack it with packing and volume lower bounds. These objects are SymPy expressions, so that ``Bound.subs``
substitutes into them, ``Bound.check`` sees their symbols, and ``Bound.latex`` prints them in the notation of the
source (the LaTeX below is the statement's own).

- :class:`LogCoveringNumber` ``(set, metric, eps)``: :math:`\ln\mathcal N(K, d, \varepsilon)`, the log of the least
  size of an (external) eps-net of K in the metric d;
- sets: :class:`NormBall` (radius-R ball of an arbitrary (p-)norm on R^d), :class:`SchattenBall`,
  :class:`LowRankBall` (rank <= r, Frobenius norm <= R), :class:`MaureyClass` (``{XA : ||A||_{q,s} <= a}`` over
  data X with entrywise ``||X||_p <= b``);
- metrics: :class:`Metric` (``own`` norm of the ball, ``F`` Frobenius, ``sigma`` spectral) and
  :class:`EmpiricalL2` (``sqrt(1/n sum_i ||(A - A') x_i||^2)`` over inputs with ``||x_i||_2 <= B``: a statement in
  it must hold for every such data set);
- :class:`EmpiricalRademacher` ``(LinearClass, B, n)``: the empirical Rademacher complexity of a linear class
  ``{Z -> <W, Z> : ||W|| <= R}`` on n inputs with ``||Z_i||_F <= B`` (a bound on it must hold for every such data).

None of these evaluates numerically: ``Bound.evaluate(side="lhs")`` refuses them with an InputError.

>>> from schattheory.foundation.symbols import m, d, r, R, eps
>>> from schattheory.foundation.latex_names import latex
>>> cover = LogCoveringNumber(LowRankBall(r, R, m, d), Metric("F"), eps)
>>> print(latex(cover))  # the statement's own notation
\ln\mathcal{N}(\{X\in\mathbb{R}^{m\times d}:\operatorname{rank}X\le r,\|X\|_F\le R\},\|\cdot\|_F,\varepsilon)
>>> cover.subs(r, 1).set.rank
1
>>> cover.free_symbols == {m, d, r, R, eps}
True
"""

from __future__ import annotations

import sympy as sp
from sympy.core.symbol import Str

from schattheory.foundation.errors import InputError

__all__ = [
    "Quantity",
    "LogCoveringNumber",
    "CoverSet",
    "NormBall",
    "SchattenBall",
    "LowRankBall",
    "MaureyClass",
    "Metric",
    "EmpiricalL2",
    "LinearClass",
    "EmpiricalRademacher",
    "quantities_in",
    "METRIC_KINDS",
]

#: metric kinds of :class:`Metric`: the ball's own (quasi-)norm, Frobenius (Euclidean), spectral
METRIC_KINDS = {"own": r"\|\cdot\|", "F": r"\|\cdot\|_F", "sigma": r"\|\cdot\|_{\sigma}", "2": r"\|\cdot\|_2"}


def _p(printer, x) -> str:
    return printer._print(x)


def _name(x):
    """A text argument, given as a string or rebuilt by SymPy from its Str."""
    return x.name if isinstance(x, Str) else x


def _sub(text: str) -> str:
    """A subscript as LaTeX writes it by hand: one character bare, more in braces."""
    return text if len(text) == 1 else "{" + text + "}"


class Quantity(sp.Expr):
    """A real number defined by a supremum or an infimum over a set: bounded, never evaluated."""

    is_real = True
    is_extended_real = True

    def _refuse(self, printer):
        raise InputError(
            "side", "lhs", f"{type(self).__name__} is not computable (bound it from below with schattheory.falsify)"
        )

    _mpmathcode = _numpycode = _pythoncode = _lambdacode = _refuse


def quantities_in(expr) -> set:
    """The :class:`Quantity` atoms of an expression (empty when it is computable)."""
    return set(expr.atoms(Quantity)) if isinstance(expr, sp.Basic) else set()


# ---- sets -----------------------------------------------------------------------------------------------------
class CoverSet(sp.Basic):
    """A set of vectors or matrices (its parameters are the args)."""


class NormBall(CoverSet):
    r"""The radius-R ball of an arbitrary norm on R^dim (``p = 1``) or of a p-norm, 0 < p <= 1
    (:math:`\|x+y\|^p\le\|x\|^p+\|y\|^p`). A statement about it holds for *every* such norm."""

    def __new__(cls, R, dim, p=1):
        return super().__new__(cls, sp.sympify(R), sp.sympify(dim), sp.sympify(p))

    radius = property(lambda self: self.args[0])
    dim = property(lambda self: self.args[1])
    p = property(lambda self: self.args[2])

    def _latex(self, printer):
        return rf"B_{{\|\cdot\|}}({_p(printer, self.radius)})"


class SchattenBall(CoverSet):
    r""":math:`\{A\in\mathbb R^{m\times d}:\|A\|_{S_p}\le R\}`."""

    def __new__(cls, p, R, m, d):
        return super().__new__(cls, *map(sp.sympify, (p, R, m, d)))

    p = property(lambda self: self.args[0])
    radius = property(lambda self: self.args[1])
    shape = property(lambda self: self.args[2:4])

    def _latex(self, printer):
        return rf"B_{{S_{_sub(_p(printer, self.p))}}}({_p(printer, self.radius)})"


class LowRankBall(CoverSet):
    r""":math:`\{X\in\mathbb R^{m\times d}:\operatorname{rank}X\le r,\|X\|_F\le R\}` (r a positive integer)."""

    def __new__(cls, r, R, m, d):
        return super().__new__(cls, *map(sp.sympify, (r, R, m, d)))

    rank = property(lambda self: self.args[0])
    radius = property(lambda self: self.args[1])
    shape = property(lambda self: self.args[2:4])

    def _latex(self, printer):
        m, d = (_p(printer, x) for x in self.shape)
        return (
            rf"\{{X\in\mathbb{{R}}^{{{m}\times {d}}}:\operatorname{{rank}}X\le {_p(printer, self.rank)},"
            rf"\|X\|_F\le {_p(printer, self.radius)}\}}"
        )


class MaureyClass(CoverSet):
    r""":math:`\{XA: A\in\mathbb R^{d\times m},\|A\|_{q,s}\le a\}` for data :math:`X\in\mathbb R^{n\times d}` with
    entrywise :math:`\|X\|_p\le b`, 1 <= p <= 2, 1/p + 1/q = 1, 1/r + 1/s = 1 (``r_M`` is r; ``oo`` gives the (2,1)
    instance). ``label`` is the printed norm subscript. A statement about it holds for every such X and p."""

    def __new__(cls, a, b, d, m, r_M, label="q,s"):
        return super().__new__(cls, *map(sp.sympify, (a, b, d, m, r_M)), Str(_name(label)))

    a = property(lambda self: self.args[0])
    b = property(lambda self: self.args[1])
    shape = property(lambda self: self.args[2:4])
    r_M = property(lambda self: self.args[4])

    def _latex(self, printer):
        return rf"\{{XA:\|A\|_{{{self.args[5].name}}}\le {_p(printer, self.a)}\}}"


# ---- metrics ---------------------------------------------------------------------------------------------------
class Metric(sp.Basic):
    """A norm metric: ``own`` (the set's own (quasi-)norm), ``F``/``2`` (Frobenius), ``sigma`` (spectral)."""

    def __new__(cls, kind):
        kind = _name(kind)
        if kind not in METRIC_KINDS:
            raise InputError("kind", kind, f"must be one of {sorted(METRIC_KINDS)}")
        return super().__new__(cls, Str(kind))

    kind = property(lambda self: self.args[0].name)

    def _latex(self, printer):
        return METRIC_KINDS[self.kind]


class EmpiricalL2(sp.Basic):
    r"""The data-dependent metric :math:`d_X(A,A')=\big(\tfrac1n\sum_i\|(A-A')x_i\|_2^2\big)^{1/2}` over inputs
    with :math:`\|x_i\|_2\le B`; a bound in it must hold for every such data set."""

    def __new__(cls, B):
        return super().__new__(cls, sp.sympify(B))

    input_norm = property(lambda self: self.args[0])

    def _latex(self, printer):
        return r"d_X"


# ---- quantities ------------------------------------------------------------------------------------------------
class LogCoveringNumber(Quantity):
    r""":math:`\ln\mathcal N(K, d, \varepsilon)`; ``eps_first`` prints the scale before the metric (Bartlett et
    al.'s order ``N(K, eps, d)``)."""

    def __new__(cls, set, metric, eps, eps_first=False):
        if not isinstance(set, CoverSet):
            raise InputError("set", set, "must be a CoverSet (NormBall, SchattenBall, LowRankBall, MaureyClass)")
        if not isinstance(metric, (Metric, EmpiricalL2)):
            raise InputError("metric", metric, "must be a Metric or EmpiricalL2")
        return super().__new__(cls, set, metric, sp.sympify(eps), sp.true if eps_first else sp.false)

    set = property(lambda self: self.args[0])
    metric = property(lambda self: self.args[1])
    eps = property(lambda self: self.args[2])

    def _latex(self, printer):
        parts = [_p(printer, self.set), _p(printer, self.metric), _p(printer, self.eps)]
        if self.args[3] is sp.true:
            parts[1], parts[2] = parts[2], parts[1]
        return r"\ln\mathcal{N}(" + ",".join(parts) + ")"

    def _sympystr(self, printer):
        return f"lnN({printer._print(self.set)}, {printer._print(self.metric)}, {printer._print(self.eps)})"


class LinearClass(sp.Basic):
    r""":math:`\{Z\mapsto\langle W,Z\rangle: W\in\mathbb R^{m\times d},\|W\|\le R\}` with ``norm`` one of
    ``S_p`` (Schatten, exponent p), ``F`` (Frobenius) or ``2,1`` (sum of the l2 norms of the columns)."""

    def __new__(cls, norm, R, m, d, p=2):
        norm = _name(norm)
        if norm not in ("S_p", "F", "2,1"):
            raise InputError("norm", norm, "must be 'S_p', 'F' or '2,1'")
        return super().__new__(cls, Str(norm), *map(sp.sympify, (R, m, d, p)))

    norm = property(lambda self: self.args[0].name)
    radius = property(lambda self: self.args[1])
    shape = property(lambda self: self.args[2:4])
    p = property(lambda self: self.args[4])

    def _latex(self, printer):
        sub = {"S_p": "S_" + _sub(_p(printer, self.p)), "F": "F", "2,1": "2,1"}[self.norm]
        return rf"\mathcal{{F}}_{{\|W\|_{{{sub}}}\le {_p(printer, self.radius)}}}"


class EmpiricalRademacher(Quantity):
    r""":math:`\hat{\mathfrak R}_S(\mathcal F)=\mathbb E_s\sup_{f\in\mathcal F}\frac1n\sum_i s_i f(Z_i)` on n inputs
    with :math:`\|Z_i\|_F\le B` (a bound on it must hold for every such sample)."""

    def __new__(cls, cls_, B, n):
        if not isinstance(cls_, LinearClass):
            raise InputError("class", cls_, "must be a LinearClass")
        return super().__new__(cls, cls_, sp.sympify(B), sp.sympify(n))

    linear_class = property(lambda self: self.args[0])
    input_norm = property(lambda self: self.args[1])
    samples = property(lambda self: self.args[2])

    def _latex(self, printer):
        return rf"\hat{{\mathfrak{{R}}}}_S({_p(printer, self.linear_class)})"
