r"""How a network bound is built from per-layer terms: one description, three uses.

A :class:`NetworkForm` says which per-layer quantities a bound aggregates over the layers (sums, products, maxima)
and how the aggregates enter the final expression. From that one description come

- the registered statement for a fixed small depth (:meth:`NetworkForm.expand`, e.g. L = 3 with symbols ``s_1``,
  ``s_2``, ``s_3``),
- the numbers on a real network of any depth (``schattheory.bounds.network`` evaluates the per-layer terms and the
  outer expression in log space), and
- the square-network closed form in width W, depth L and rank r that the asymptotic engine solves for the sample
  size (:meth:`NetworkForm.square`), with every worst-case substitution named.

Generic per-layer symbols (layer l, torch orientation ``(out, in)``):

=========  ======================================================================================
``s``      spectral norm ||A_l||_sigma
``F``      Frobenius norm ||A_l||_F
``b``      ||A_l^T||_{2,1}: sum over output units of the l2 norm of their incoming weights
``U``      output features U_l (= w_l for a dense layer)
``d``      input features d_{l-1} (= w_{l-1} for a dense layer; patch dimension for a convolution)
``Omega``  spatial multiplicity W_l of Theorem 3.6 (1 for dense layers)
``k``      rank of A_l
``rho``    rank proxy r_l(p) = sum_i (sigma_i / sigma_1)^p
``p``      the layer's Schatten exponent p_l
``X_l``    the layer's amplification in the loss-augmented form, B_{l-1,A} prod_{i >= l} s_i / gamma
=========  ======================================================================================

Globals: N samples, B max input norm, gamma margin, X_F = ||X||_F, delta, L depth, G grid size,
``P = prod_l s_l``, ``X = B P / gamma`` and ``h = max width``.

>>> from schattheory.bounds.counting import DOMINANT
>>> DOMINANT.expand(2)
sqrt(2)*sqrt(w_0*w_1 + w_1*w_2)/sqrt(N)
>>> DOMINANT.square()[0]
L*W/sqrt(N)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from schattheory.foundation import symbols as S

__all__ = ["Aggregate", "NetworkForm", "LAYER", "GLOBAL", "layer_symbol", "SQUARE_SUBSTITUTIONS"]

# ---- generic per-layer symbols -------------------------------------------------------------------------------
s = S.s
F = sp.Symbol("F", positive=True)
b = S.b
U = sp.Symbol("U", positive=True, integer=True)
d = S.d
Omega = S.Omega
k = sp.Symbol("k_rank", positive=True, integer=True)
rho = S.rho
p = S.p
Xl = sp.Symbol("X_l", positive=True)

LAYER = {"s": s, "F": F, "b": b, "U": U, "d": d, "Omega": Omega, "k": k, "rho": rho, "p": p, "X_l": Xl}

# ---- globals -------------------------------------------------------------------------------------------------
N, B, gamma, XF, delta, L, X, K = S.N, S.B, S.gamma, S.XF, S.delta, S.L, S.X, S.K
G = sp.Symbol("G", positive=True, integer=True)  # size of the grid of p values paid for by a union bound
P = sp.Symbol("P", positive=True)  # prod_l s_l
h = S.h  # max width
C1 = sp.Symbol("C_1", positive=True)  # the constant of Pinto et al.'s bound (C_1 in {1, 2} in S2)

GLOBAL = {
    "N": N,
    "B": B,
    "gamma": gamma,
    "X_F": XF,
    "delta": delta,
    "L": L,
    "G": G,
    "P": P,
    "X": X,
    "h": h,
    "C_1": C1,
    "K": K,
}


def layer_symbol(name: str, l: int, dense: bool = True) -> sp.Expr:
    """The concrete symbol of generic quantity ``name`` at layer ``l`` (1-based) for an expanded statement."""
    if name == "U":
        return (
            sp.Symbol(f"w_{l}", positive=True, integer=True)
            if dense
            else sp.Symbol(f"U_{l}", positive=True, integer=True)
        )
    if name == "d":
        return (
            sp.Symbol(f"w_{l - 1}", positive=True, integer=True)
            if dense
            else sp.Symbol(f"d_{l - 1}", positive=True, integer=True)
        )
    if name == "k":
        return sp.Symbol(f"rank_{l}", positive=True, integer=True)
    if name == "Omega":
        return sp.Symbol(f"Omega_{l}", positive=True, integer=True)
    if name == "X_l":
        return sp.Symbol(f"B_A{l - 1}", positive=True)  # B_{l-1,A}; the product and margin are attached below
    return S.layer(name, l)


@dataclass(frozen=True)
class Aggregate:
    """``symbol = op_l term_l`` with op in sum / prod / max over the layers."""

    symbol: sp.Symbol
    term: sp.Expr
    op: str = "sum"

    def __post_init__(self):
        if self.op not in ("sum", "prod", "max"):
            raise ValueError(f"op={self.op!r}: must be sum, prod or max")


# Named worst-case substitutions for square W x W layers of rank r with spectral norms normalised to 1 (so that
# X = B prod s / gamma carries all the scale). Each entry: generic symbol -> (closed form, name of the inequality).
SQUARE_SUBSTITUTIONS = {
    s: (sp.Integer(1), "spectral norms normalised: s_l = 1, so X = B prod_l s_l / gamma = B / gamma"),
    U: (S.W, "square layers: U_l = W"),
    d: (S.W, "square layers: d_{l-1} = W"),
    h: (S.W, "max width h = W"),
    F: (sp.sqrt(S.r), "frobenius_le_sqrt_rank_spectral: ||A||_F^2 <= rank(A) ||A||_sigma^2"),
    b: (
        sp.sqrt(S.W) * sp.sqrt(S.r),
        "norm21_le_sqrtW_frobenius then frobenius_le_sqrt_rank_spectral: ||A^T||_{2,1} <= sqrt(W) ||A||_F "
        "<= sqrt(W r) ||A||_sigma",
    ),
    rho: (S.r, "rank_proxy_eq_rank: r_l(p) = rank for a flat rank-r spectrum (<= rank in general)"),
    k: (S.r, "rank_l = r"),
    Xl: (X, "loss augmentation bounded by its worst case: B_{l-1,A} prod_{i>=l} s_i <= B prod_i s_i"),
    XF: (B * sp.sqrt(N), "data_frobenius_le_B_sqrtN: ||X||_F <= B sqrt(N)"),
    P: (sp.Integer(1), "prod_l s_l = 1 (normalised)"),
    B: (X * gamma, "B = X gamma (so that B prod s / gamma = X)"),
}


@dataclass(frozen=True)
class NetworkForm:
    """A bound written as ``outer(aggregates, globals)`` with aggregates over per-layer terms.

    ``conventions`` are substitutions applied to the generic layer symbols first (for example ``Omega -> 1``, the
    fully-connected convention of Theorem 3.6). ``needs`` names the data statistics the form uses.
    """

    key: str
    family: str
    mode: str
    aggregates: tuple
    outer: sp.Expr
    conventions: dict = field(default_factory=dict)
    needs: tuple = ("n",)
    uses_p: bool = False
    dense: bool = True

    def terms(self):
        """The aggregates with conventions applied."""
        conv = {sp.sympify(k_): sp.sympify(v) for k_, v in self.conventions.items()}
        return tuple(Aggregate(a.symbol, sp.sympify(a.term).subs(conv), a.op) for a in self.aggregates)

    # ---- fixed depth ---------------------------------------------------------------------------------------
    def layer_map(self, l: int, depth: int, per_layer_p: bool = True) -> dict:
        """Generic layer symbol -> concrete symbol or expression at layer ``l`` of a depth-``depth`` network."""
        out = {sym: layer_symbol(name, l, self.dense) for name, sym in LAYER.items()}
        if not per_layer_p:
            out[p] = p
        # X_l of the loss-augmented form: B_{l-1,A} prod_{i>=l} s_i / gamma
        out[Xl] = layer_symbol("X_l", l) * sp.Mul(*[S.layer("s", i) for i in range(l, depth + 1)]) / gamma
        return out

    def global_map(self, depth: int) -> dict:
        prod_s = sp.Mul(*[S.layer("s", i) for i in range(1, depth + 1)])
        out = {P: prod_s, X: B * prod_s / gamma, L: sp.Integer(depth)}
        # the largest width only for a form that reads h: SymPy's Max compares its arguments pairwise (2 s at depth 64)
        used = sp.sympify(self.outer).free_symbols.union(*(a.term.free_symbols for a in self.terms()))
        if h in used:
            widths = [layer_symbol("d", 1, self.dense)] + [
                layer_symbol("U", i, self.dense) for i in range(1, depth + 1)
            ]
            out[h] = sp.Max(*widths)
        return out

    def expand(self, depth: int, per_layer_p: bool = True) -> sp.Expr:
        """The statement for a network of ``depth`` layers with per-layer symbols (p_l per layer by default)."""
        if depth < 1:
            raise ValueError(f"depth={depth}: must be >= 1")
        glob = self.global_map(depth)
        values = {}
        for agg in self.terms():
            parts = [
                agg.term.xreplace(self.layer_map(l, depth, per_layer_p)).xreplace(glob) for l in range(1, depth + 1)
            ]
            values[agg.symbol] = {"sum": sp.Add, "prod": sp.Mul, "max": sp.Max}[agg.op](*parts)
        return sp.sympify(self.outer).xreplace(values).xreplace(glob)

    # ---- square network ------------------------------------------------------------------------------------
    def square(self, substitutions=None):
        """(closed form, names of the substitutions used) for L square W x W layers of rank r.

        Sums over layers become L times the common term, products its L-th power, maxima the term itself.
        """
        subs = dict(SQUARE_SUBSTITUTIONS if substitutions is None else substitutions)
        used = []

        def apply(e):
            e = sp.sympify(e)
            for _ in range(4):  # substitutions may introduce symbols that are substituted in turn (b -> ... , B)
                hit = [sym for sym in subs if sym in e.free_symbols]
                if not hit:
                    break
                for sym in hit:
                    if subs[sym][1] not in used:
                        used.append(subs[sym][1])
                e = e.xreplace({sym: subs[sym][0] for sym in hit})
            return e

        values = {}
        for agg in self.terms():
            term = apply(agg.term)
            values[agg.symbol] = {"sum": S.L * term, "prod": term**S.L, "max": term}[agg.op]
        return apply(sp.sympify(self.outer).xreplace(values)), tuple(used)


# ---- registration helpers --------------------------------------------------------------------------------------
_EXAMPLE_BY_PREFIX = (
    ("p_", sp.Rational(1, 2)),
    ("s_", sp.Rational(3, 2)),
    ("F_", 3),
    ("b_", 10),
    ("rho_", 2),
    ("rank_", 4),
    ("w_", 16),
    ("U_", 16),
    ("d_", 27),
    ("Omega_", 9),
    ("B_A", 2),
)
_EXAMPLE_BY_NAME = {
    "p": sp.Rational(1, 2),
    "N": 10000,
    "B": 10,
    "gamma": sp.Rational(1, 2),
    "X_F": 1000,
    "delta": sp.Rational(1, 100),
    "G": 46,
    "X": 3,
    "rho": 2,
    "a": 32,
    "Omega": 1,
    "W": 64,
    "L": 4,
    "r": 4,
    "h": 16,
    "C_1": 1,
    "epsilon": sp.Rational(1, 10),
    "s": sp.Rational(3, 2),
    "F": 3,
    "b": 10,
    "U": 16,
    "d": 16,
    "k_rank": 4,
    "K": 10,
    "q": 2,
}


def example_values(symbols) -> dict:
    """A fixed admissible point (exact numbers) for the symbols of a registered network bound."""
    out = {}
    for sym in symbols:
        name = sym.name
        if name in _EXAMPLE_BY_NAME:
            out[sym] = sp.sympify(_EXAMPLE_BY_NAME[name])
            continue
        for prefix, val in _EXAMPLE_BY_PREFIX:
            if name.startswith(prefix):
                idx = int(name.rsplit("_", 1)[1]) if name.rsplit("_", 1)[1].isdigit() else 0
                out[sym] = sp.sympify(val) + (idx if prefix in ("w_", "U_", "d_") else 0)
                break
    return out


def ordered_params(expr, first=()) -> tuple:
    """Free symbols of ``expr``: those in ``first`` (in that order) then the rest sorted by name."""
    free = expr.free_symbols
    head = [x for x in first if x in free]
    return tuple(head) + tuple(sorted(free - set(head), key=lambda x: x.name))
