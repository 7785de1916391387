"""The one vocabulary of SymPy symbols, with their assumptions.

Every lemma and bound builds its expressions from these symbols, so that substitutions, limits and growth
exponents speak of the same objects everywhere.

>>> from schattheory.foundation.symbols import p, W, r, L
>>> (p.is_positive, W.is_integer, r.is_positive)
(True, True, True)
"""

from __future__ import annotations

import sympy as sp

# Schatten exponents and accuracy
p = sp.Symbol("p", positive=True)  # Schatten exponent of the theorem, p in (0, oo)
q = sp.Symbol("q", positive=True)  # a second Schatten exponent
eps = sp.Symbol("epsilon", positive=True)  # covering scale
alpha = sp.Symbol("alpha", positive=True)  # Dudley lower integration limit
delta = sp.Symbol("delta", positive=True)  # confidence parameter, 0 < delta < 1

# data and margin
N = sp.Symbol("N", positive=True, integer=True)  # number of training samples (n in some sources)
n = N
gamma = sp.Symbol("gamma", positive=True)  # margin
B = sp.Symbol("B", positive=True)  # max l2 norm of an input
XF = sp.Symbol("X_F", positive=True)  # Frobenius norm of the data matrix, ||X||_F
K = sp.Symbol("K", positive=True, integer=True)  # number of classes

# architecture
L = sp.Symbol("L", positive=True, integer=True)  # depth (number of weight layers)
W = sp.Symbol("W", positive=True, integer=True)  # width (square layers)
h = sp.Symbol("h", positive=True, integer=True)  # max width
r = sp.Symbol("r", positive=True)  # rank (real > 0 where it is optimised over)
k = sp.Symbol("k", positive=True, integer=True)  # number of singular values in a spectrum form
m = sp.Symbol("m", positive=True, integer=True)  # rows of a matrix
d = sp.Symbol("d", positive=True, integer=True)  # columns of a matrix / ambient dimension

# norms and generic positive quantities
R = sp.Symbol("R", positive=True)  # radius of a ball
s = sp.Symbol("s", positive=True)  # a spectral norm bound
a = sp.Symbol("a", positive=True)  # generic positive coefficient
b = sp.Symbol("b", positive=True)  # generic positive coefficient
rho = sp.Symbol("rho", positive=True)  # rank proxy sum_i (sigma_i/sigma_1)^p, in [1, rank]
X = sp.Symbol("X", positive=True)  # norm amplification B prod s_i / gamma (margin-normalised)
Omega = sp.Symbol("Omega", positive=True)  # spatial multiplicity W_l of Theorem 3.6 (1 for dense layers)
t = sp.Symbol("t", positive=True)  # generic positive variable

#: a generic matrix symbol for statements about one matrix
A = sp.MatrixSymbol("A", m, d)
Bm = sp.MatrixSymbol("B", m, d)


def sigma(i: int) -> sp.Symbol:
    """The i-th singular value as a positive symbol ``sigma_i``."""
    return sp.Symbol(f"sigma_{i}", positive=True)


def spectrum(count: int) -> tuple[sp.Symbol, ...]:
    """Positive symbols sigma_1 >= ... >= sigma_k (the order is an assumption, see :func:`spectrum_order`)."""
    if count < 1:
        raise ValueError(f"count={count}: a spectrum has at least one singular value")
    return tuple(sigma(i) for i in range(1, count + 1))


def spectrum_order(sig) -> tuple[sp.Basic, ...]:
    """The relationals sigma_1 >= sigma_2 >= ... that a spectrum form assumes."""
    return tuple(sp.Ge(sig[i], sig[i + 1]) for i in range(len(sig) - 1))


def layer(name: str, l: int, **assumptions) -> sp.Symbol:
    """A per-layer symbol such as ``s_3`` (positive unless told otherwise)."""
    assumptions.setdefault("positive", True)
    return sp.Symbol(f"{name}_{l}", **assumptions)


# truncation rank in tail statements (a non-negative integer, unlike r which is optimised over the reals)
j = sp.Symbol("j", integer=True, nonnegative=True)
p1 = sp.Symbol("p_1", positive=True)
p2 = sp.Symbol("p_2", positive=True)
C = sp.MatrixSymbol("C", d, m)  # a second factor, d x m, so that A*C is defined

# covering lemmas, Dudley and the derivation engine (issue 3)
c = sp.Symbol("c", positive=True)  # coefficient of a power-law entropy bound ln N <= c eps^(-q)
r_M = sp.Symbol("r_M", positive=True)  # Maurey exponent r of Bartlett et al. Lemma 3.2 (conjugate of s), in [1, oo]
U = sp.Symbol("U", positive=True, integer=True)  # output channels / units of a layer
l = sp.Symbol("l", positive=True, integer=True)  # layer index in sums over layers
G = sp.Symbol("G", positive=True, integer=True)  # size of a finite grid of exponents p (union bound)
