r"""The derivation engine: a Bound obtained from registered lemmas by recorded, replayable steps.

A :class:`Derivation` is a tuple of :class:`Step` objects. Running it starts from a registered lemma
(:class:`UseLemma`) and transforms the right-hand side step by step: substitutions, choices of a free parameter
under a stated condition, relaxations (replace a sub-expression by an upper bound), the optimisation over the
truncation rank (the balancing lemma), Dudley's entropy integral, a sum over layers, Cauchy-Schwarz, a union bound
over a finite grid of exponents, dropping constants (dominant form). Every step records what it used (registry
keys or a citation) and the expression it produced, so a derivation can be

- **replayed**: :meth:`Derivation.replay` re-runs the recipe against the registry and must reproduce every
  recorded expression (a changed lemma shows up as a mismatch);
- **checked**: :meth:`Derivation.check` replays, verifies each relaxation and condition at the example point
  (50 digits), and checks that dropped constants depend on no size parameter;
- **printed**: :meth:`Derivation.describe` (text) and :meth:`Derivation.latex_lines` (one LaTeX line per step,
  for a proof skeleton); each step has ``describe()`` and ``latex()``.

>>> import sympy as sp
>>> from schattheory.symbols import a, b, p, j
>>> d = derive("demo", [UseLemma("balancing.integer", subs={p: 2})])
>>> d.expr
2*sqrt(a)*sqrt(b)
>>> d.replay() == d.expr
True
>>> print(d.describe().splitlines()[1])
  1. [lemma balancing.integer (classical) with p = 2]: 2*sqrt(a)*sqrt(b)

Reference: the steps mirror the proofs of Bartlett, Foster and Telgarsky (2017), Theorem 3.3 and Lemma A.5, and
the reconstructed per-layer argument of paper-notes 4.5.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

import sympy as sp

from .errors import SchattheoryError
from .latex_names import latex as _latex
from .provenance import Status

__all__ = [
    "Step", "UseLemma", "Start", "Substitute", "Choose", "Relax", "OptimiseRank", "Coefficient", "DudleyStep",
    "SumOverLayers", "CauchySchwarz", "UnionBound", "DropConstants", "FactorOut", "Apply", "AllocateScales",
    "monomial", "split_constant",
    "Derivation", "DerivationError", "derive", "derived_bound", "layer_function", "per_layer",
]

_STATUS_ORDER = [Status.PAPER, Status.CLASSICAL, Status.DERIVED, Status.TRANSCRIBED, Status.RECONSTRUCTED,
                 Status.NEW]


class DerivationError(SchattheoryError):
    """A derivation that does not replay or whose checks fail."""


def _tex_text(text: str) -> str:
    """Escape plain text for LaTeX text mode."""
    out = text
    for ch, rep in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"), ("#", r"\#"),
                    ("_", r"\_"), ("{", r"\{"), ("}", r"\}"), ("^", r"\^{}"), ("~", r"\~{}")):
        out = out.replace(ch, rep)
    return out


def _same(x, y) -> bool:
    if x == y:
        return True
    try:
        return sp.simplify(x - y) == 0
    except Exception:  # comparisons of odd objects
        return False


def monomial(expr):
    """A product of powers rewritten with atomic bases and merged exponents (cheap; no ``simplify``).

    (a rho)^(2/(p+2)) (2 Omega X^2/p)^(p/(p+2)) becomes 2^(p/(p+2)) Omega^(p/(p+2)) X^(2p/(p+2)) ...; bases that
    are sums are kept whole. Returns the expression unchanged when it is not a product of powers.
    """
    return _monomial(sp.sympify(expr))


@lru_cache(maxsize=4096)
def _monomial(expr):
    expr = sp.expand_power_base(expr, force=True)
    if isinstance(expr, sp.Add):
        return expr
    powers: dict = {}
    pending = list(sp.Mul.make_args(expr))
    while pending:
        factor = pending.pop()
        base, expo = factor.as_base_exp()
        if isinstance(base, sp.Pow):  # nested powers left by the printer
            base, expo = base.base, base.exp * expo
        if isinstance(base, sp.Add):  # 1 - p/(p+2) -> 2/(p+2): split sums that factor
            fac = sp.factor(sp.together(base))
            if fac != base and isinstance(fac, (sp.Mul, sp.Pow)):
                pending += list(sp.Mul.make_args(sp.expand_power_base(fac ** expo, force=True)))
                continue
        powers[base] = powers.get(base, sp.S.Zero) + expo
    return sp.Mul(*[base ** _exponent(e) for base, e in powers.items() if e != 0])


def _exponent(e):
    """A sum of rational functions as one fraction (cheap: no factoring unless it is short)."""
    if e.is_Number or e.is_Symbol:
        return e
    t = sp.together(e)
    num, den = sp.fraction(t)
    return sp.expand(num) / den if den != 1 else sp.expand(num)


def split_constant(expr, allowed):
    """(constant, rest) with expr = constant * rest, constant the factors whose symbols are all in ``allowed``."""
    expr = monomial(expr)
    const, rest = [], []
    for factor in sp.Mul.make_args(expr):
        (const if all(_is_allowed(x, allowed) for x in factor.free_symbols) else rest).append(factor)
    return sp.Mul(*const), sp.Mul(*rest)


@lru_cache(maxsize=None)
def layer_function(name: str, latex_name: str | None = None):
    """A per-layer quantity ``name_l`` as an undefined SymPy function of the layer index (prints ``name_{l}``)."""
    tex = latex_name or name

    def _latex_(self, printer, exp=None):
        out = "%s_{%s}" % (tex, printer._print(self.args[0]))
        return "{%s}^{%s}" % (out, exp) if exp is not None else out

    return type(f"{name}_layer", (sp.Function,), {"_latex": _latex_, "is_positive": True, "nargs": 1,
                                                   "_sympystr": lambda self, printer: f"{name}_{self.args[0]}"})


def per_layer(sym: sp.Symbol, index):
    """The per-layer version ``sym_l`` of a symbol, as used by :class:`SumOverLayers` for a symbolic depth."""
    return layer_function(sym.name, _latex(sym))(index)


# ---- steps ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Step:
    """One recorded step. ``result`` (the expression after the step) is filled in by :func:`derive`."""

    note: str = ""
    status: str | None = None  # the step's own provenance status when it rests on no registered lemma
    result: object = field(default=None, compare=False)
    info: tuple = field(default=(), compare=False)
    kind: str = field(default="step", init=False)
    relation: str = field(default="<=", init=False)  # how result relates to the previous expression

    def apply(self, expr):  # pragma: no cover - subclasses define it
        raise NotImplementedError

    def uses(self) -> tuple[str, ...]:
        return ()

    def statuses(self) -> tuple[Status, ...]:
        from .registry import get

        return tuple(get(k).status for k in self.uses())

    def check(self, before, after, example: dict) -> list[str]:
        return []

    def label(self) -> str:
        return self.kind

    def describe(self) -> str:
        text = f"[{self.label()}]" + (f" [{self.status}]" if self.status else "")
        if self.note:
            text += f" {self.note}"
        if self.result is not None:
            text += f": {sp.sstr(self.result)}"
        return text

    def latex_label(self) -> str:
        """The step's label in LaTeX text mode (math in $...$); defaults to the escaped plain label."""
        return _tex_text(self.label())

    def latex(self) -> str:
        """One line of LaTeX (text mode with inline math): what the step does and what it gives."""
        text = self.latex_label()
        if self.status:
            text += r" \textbf{[%s]}" % _tex_text(self.status)
        if self.note:
            text += ": " + _tex_text(self.note)
        if self.result is not None:
            rel = {"<=": r"\le", "==": "=", "~": r"\asymp"}[self.relation]
            text += r"; hence $\ldots %s %s$" % (rel, _latex(self.result))
        return text

    def _info(self, **kw):
        return tuple(kw.items())


@dataclass(frozen=True)
class UseLemma(Step):
    """Start from (or restart with) the right-hand side of a registered lemma, with substitutions."""

    key: str
    subs: tuple = ()
    kind: str = field(default="lemma", init=False)

    def __post_init__(self):
        if isinstance(self.subs, dict):
            object.__setattr__(self, "subs", tuple(self.subs.items()))

    def apply(self, expr):
        from .registry import get

        return get(self.key).expr.subs(dict(self.subs), simultaneous=True)

    def uses(self):
        return (self.key,)

    def latex_label(self):
        from .registry import get

        text = r"By \texttt{%s} (%s)" % (_tex_text(self.key), get(self.key).status.value)
        if self.subs:
            text += " with " + ", ".join(f"${_latex(k)} \\mapsto {_latex(v)}$" for k, v in self.subs)
        return text

    def label(self):
        from .registry import get

        text = f"lemma {self.key} ({get(self.key).status.value})"
        if self.subs:
            text += " with " + ", ".join(f"{sp.sstr(k)} = {sp.sstr(v)}" for k, v in self.subs)
        return text


@dataclass(frozen=True)
class Start(Step):
    """Start from a Bound that need not be registered (its expression is kept with the step for replay)."""

    bound: object = None
    kind: str = field(default="start", init=False)
    relation: str = field(default="==", init=False)

    def apply(self, expr):
        return self.bound.expr

    def uses(self):
        from .registry import keys

        return (self.bound.key,) if self.bound.key in keys() else ()

    def latex_label(self):
        return r"Start from \texttt{%s} (%s)" % (_tex_text(self.bound.key), self.bound.status.value)

    def label(self):
        return f"start from {self.bound.key} ({self.bound.status.value})"


@dataclass(frozen=True)
class Substitute(Step):
    """An exact substitution (a definition or a change of variables)."""

    mapping: tuple = ()
    kind: str = field(default="substitute", init=False)
    relation: str = field(default="==", init=False)

    def __post_init__(self):
        if isinstance(self.mapping, dict):
            object.__setattr__(self, "mapping", tuple(self.mapping.items()))

    def apply(self, expr):
        return sp.sympify(expr).subs(dict(self.mapping), simultaneous=True)

    def latex_label(self):
        return "Substitute " + ", ".join(f"${_latex(k)} = {_latex(v)}$" for k, v in self.mapping)

    def label(self):
        return "substitute " + ", ".join(f"{sp.sstr(k)} = {sp.sstr(v)}" for k, v in self.mapping)


@dataclass(frozen=True)
class Choose(Step):
    """Fix a free parameter of the lemma (e.g. the truncation rank) to a value satisfying ``condition``.

    ``condition`` is a relational that must hold after substitution (checked at the example point, and
    symbolically when SymPy can decide it); ``key`` names the lemma that makes the choice work.
    """

    symbol: sp.Symbol
    value: sp.Expr
    condition: object = None
    key: str | None = None
    kind: str = field(default="choose", init=False)
    relation: str = field(default="==", init=False)

    def apply(self, expr):
        return sp.sympify(expr).subs(self.symbol, self.value)

    def uses(self):
        return (self.key,) if self.key else ()

    def latex_label(self):
        text = f"Choose ${_latex(self.symbol)} = {_latex(self.value)}$"
        if self.condition is not None:
            text += f", so that ${_latex(self.condition)}$"
        if self.key:
            text += r" (by \texttt{%s})" % _tex_text(self.key)
        return text

    def label(self):
        text = f"choose {sp.sstr(self.symbol)} = {sp.sstr(self.value)}"
        if self.key:
            text += f" (by {self.key})"
        return text

    def check(self, before, after, example):
        if self.condition is None:
            return []
        cond = sp.sympify(self.condition).subs(self.symbol, self.value)
        return _check_relational(cond, example, f"choice of {self.symbol}")


@dataclass(frozen=True)
class Relax(Step):
    """Replace the sub-expression ``old`` by an upper bound ``new`` (the whole expression must be increasing in it).

    Justified by ``key`` (a registered lemma) or by ``because`` (text); checked at the example point: old <= new
    and the expression does not decrease.
    """

    old: sp.Expr
    new: sp.Expr
    key: str | None = None
    because: str = ""
    kind: str = field(default="relax", init=False)

    def apply(self, expr):
        expr = sp.sympify(expr)
        out = expr.subs(self.old, self.new)
        if out == expr:
            out = expr.xreplace({self.old: self.new})
        if out == expr:
            raise DerivationError(f"relax: {sp.sstr(self.old)} does not occur in {sp.sstr(expr)[:120]}")
        return out

    def uses(self):
        return (self.key,) if self.key else ()

    def latex_label(self):
        why = r"\texttt{%s}" % _tex_text(self.key) if self.key else _tex_text(self.because)
        return f"Bound ${_latex(self.old)} \\le {_latex(self.new)}$" + (f" ({why})" if why else "")

    def label(self):
        why = self.key or self.because
        return f"relax {sp.sstr(self.old)} <= {sp.sstr(self.new)}" + (f" ({why})" if why else "")

    def check(self, before, after, example):
        problems = _check_relational(sp.Le(self.old, self.new), example, "relaxation old <= new")
        problems += _check_relational(sp.Le(before, after), example, "relaxed expression does not decrease")
        return problems


@dataclass(frozen=True)
class OptimiseRank(Step):
    r"""Minimise over the truncation rank with the balancing lemma.

    The expression must read ``rest + A*j + B*(j+1)**(-2/p)`` (``shifted=True``, integer j >= 0: lemma
    ``balancing.integer``) or ``rest + A*r + B*r**(-2/p)`` (real r > 0: ``balancing.continuous``), with A, B
    free of the rank. The result is ``rest + c_p A^(2/(p+2)) B^(p/(p+2))``; the minimiser is recorded in ``info``.
    """

    symbol: sp.Symbol
    p: sp.Expr
    shifted: bool = True
    kind: str = field(default="optimise over rank", init=False)

    def _parts(self, expr):
        sym, pp = self.symbol, sp.sympify(self.p)
        target = (sym + 1) if self.shifted else sym
        lin, tail, rest = sp.S.Zero, sp.S.Zero, sp.S.Zero
        for term in sp.Add.make_args(sp.expand(sp.sympify(expr), power_base=True, mul=True, multinomial=False)):
            coeff, dep = term.as_independent(sym, as_Add=False)
            if dep == 1:
                rest += term
            elif dep == sym:
                lin += coeff
            elif _is_power_of(dep, target, -2 / pp):
                tail += coeff
            else:
                raise DerivationError(f"optimise over {sym}: term {sp.sstr(term)} is neither linear in {sym} nor "
                                      f"a multiple of {sp.sstr(target)}**(-2/{sp.sstr(pp)})")
        if lin == 0 or tail == 0:
            raise DerivationError(f"optimise over {sym}: need both a linear and a tail term")
        return lin, tail, rest

    def apply(self, expr):
        from .lemmas.balancing import balance

        lin, tail, rest = self._parts(expr)
        value, rstar = balance(lin, tail, self.p)
        object.__setattr__(self, "info", self._info(a=lin, b=tail, r_star=rstar,
                                                     argmin=sp.floor(rstar) if self.shifted else rstar))
        return rest + value

    def uses(self):
        return ("balancing.integer",) if self.shifted else ("balancing.continuous",)

    def latex_label(self):
        return r"Minimise over $%s$ by \texttt{%s}" % (_latex(self.symbol), _tex_text(self.uses()[0]))

    def label(self):
        lemma = self.uses()[0]
        return f"minimise over {sp.sstr(self.symbol)} by {lemma}"

    def check(self, before, after, example):
        # the balanced value must bound the true minimum over the rank at the example point (50 digits)
        import mpmath

        from .backends import to_mpf
        from .lemmas.balancing import balance, integer_minimum

        info = dict(self.info)
        A, Bv, P = (sp.sympify(x).subs(example) for x in (info["a"], info["b"], self.p))
        if not (A.is_number and Bv.is_number and P.is_number):
            return []
        with mpmath.workdps(50):
            value = to_mpf(sp.N(balance(A, Bv, P)[0], 60))
            if self.shifted:
                best, _ = integer_minimum(A, Bv, P, shifted=True)
            else:
                rs = to_mpf(sp.N(info["r_star"].subs(example), 60))
                best = to_mpf(sp.N(A, 60)) * rs + to_mpf(sp.N(Bv, 60)) * rs ** (-2 / to_mpf(sp.N(P, 60)))
            if best > value * (1 + mpmath.mpf(10) ** -40):
                return [f"optimise: minimum {mpmath.nstr(best, 12)} exceeds the balanced value "
                        f"{mpmath.nstr(value, 12)}"]
        return []


def _is_power_of(expr, base, exponent) -> bool:
    if expr == base ** exponent:
        return True
    if isinstance(expr, sp.Pow) and expr.base == base:
        return sp.simplify(expr.exp - exponent) == 0
    return False


@dataclass(frozen=True)
class Coefficient(Step):
    """Keep the coefficient of ``symbol**power`` (e.g. the eps-free complexity of a power-law entropy bound)."""

    symbol: sp.Symbol
    power: sp.Expr
    kind: str = field(default="coefficient", init=False)
    relation: str = field(default="==", init=False)

    def apply(self, expr):
        coeff = monomial(sp.sympify(expr) / self.symbol ** self.power)
        if self.symbol in coeff.free_symbols:
            raise DerivationError(f"coefficient: {sp.sstr(expr)} is not a multiple of "
                                  f"{sp.sstr(self.symbol ** self.power)}")
        return coeff

    def latex_label(self):
        return f"Keep the coefficient of ${_latex(self.symbol ** self.power)}$"

    def label(self):
        return f"coefficient of {sp.sstr(self.symbol ** self.power)}"


@dataclass(frozen=True)
class DudleyStep(Step):
    """Dudley's entropy integral applied to a bound on ln N(eps): see :func:`schattheory.lemmas.dudley.dudley`.

    ``split_sum=True`` first uses sqrt(sum x) <= sum sqrt(x) so each summand is integrated on its own.
    """

    eps: sp.Symbol
    n: sp.Expr
    normalised: bool = True
    diameter: sp.Expr = sp.S.One
    alpha: object = "optimal"
    split_sum: bool = False
    kind: str = field(default="Dudley", init=False)

    def apply(self, expr):
        from .lemmas.dudley import dudley_expr

        expr = sp.sympify(expr)
        if self.split_sum:
            parts = _summands(expr)
            outs = [dudley_expr(t, self.eps, n=self.n, normalised=self.normalised, diameter=self.diameter,
                                alpha=self.alpha) for t in parts]
            # the 4 alpha term is paid once: keep each entropy part and one alpha term (alpha -> 0 here)
            object.__setattr__(self, "info", self._info(closed_forms=tuple(o[1] for o in outs)))
            return _rebuild_sum(expr, [o[0] for o in outs])
        out, form = dudley_expr(expr, self.eps, n=self.n, normalised=self.normalised, diameter=self.diameter,
                                alpha=self.alpha)
        object.__setattr__(self, "info", self._info(closed_form=form))
        return out

    def uses(self):
        # the general integral (lemmas.dudley.ENTROPY_INTEGRAL, BFT Lemma A.5 as recalled) is not a registered
        # Bound; the closed form is computed here by SymPy (and tested against the registered dudley.* forms)
        return ()

    def latex_label(self):
        where = "normalised empirical $L_2$" if self.normalised else r"unnormalised $\ell_2$ on $\mathbb{R}^n$"
        al = r"$\alpha\to0$" if self.alpha == 0 else ("optimal $\\alpha$" if self.alpha == "optimal"
                                                     else f"$\\alpha = {_latex(self.alpha)}$")
        text = f"Dudley's entropy integral ({where}, {al})"
        if self.split_sum:
            text += r", after $\sqrt{\sum_\ell x_\ell}\le\sum_\ell\sqrt{x_\ell}$"
        return text

    def label(self):
        where = "normalised empirical L2" if self.normalised else "unnormalised l2 on R^n"
        text = f"Dudley entropy integral, BFT Lemma A.5 ({where}, alpha = {self.alpha})"
        if self.split_sum:
            text += ", after sqrt(sum) <= sum sqrt"
        return text


def _summands(expr):
    if isinstance(expr, sp.Sum):
        return [expr.function]
    return list(sp.Add.make_args(expr))


def _rebuild_sum(expr, parts):
    if isinstance(expr, sp.Sum):
        return sp.Sum(parts[0], *expr.limits)
    return sp.Add(*parts)


@dataclass(frozen=True)
class SumOverLayers(Step):
    """Sum a per-layer expression over layers l = 1..count, making ``per_layer`` symbols layer-dependent.

    ``count`` is an int (explicit symbols ``a_1, a_2, ...``) or a symbol (a SymPy ``Sum`` over per-layer functions
    ``a_l``). ``key`` or ``because`` justifies why per-layer terms add.
    """

    per_layer: tuple = ()
    count: object = None
    index: sp.Symbol = sp.Symbol("l", positive=True, integer=True)
    key: str | None = None
    because: str = ""
    kind: str = field(default="sum over layers", init=False)

    def _layer_map(self, ll):
        from .symbols import layer

        if isinstance(self.count, int):
            return {s: layer(s.name, ll, **{k: v for k, v in s.assumptions0.items() if k in ("positive",
                                                                                              "integer")})
                    for s in self.per_layer}
        return {s: per_layer(s, ll) for s in self.per_layer}

    def apply(self, expr):
        expr = sp.sympify(expr)
        if isinstance(self.count, int):
            return sp.Add(*[expr.subs(self._layer_map(ll)) for ll in range(1, self.count + 1)])
        return sp.Sum(expr.subs(self._layer_map(self.index)), (self.index, 1, self.count))

    def uses(self):
        return (self.key,) if self.key else ()

    def latex_label(self):
        why = r"\texttt{%s}" % _tex_text(self.key) if self.key else _tex_text(self.because)
        return f"Sum over layers $\\ell = 1, \\dots, {_latex(sp.sympify(self.count))}$" + (f" ({why})" if why else "")

    def label(self):
        why = self.key or self.because
        return f"sum over layers l = 1..{self.count}" + (f" ({why})" if why else "")


@dataclass(frozen=True)
class CauchySchwarz(Step):
    """sum_{l=1}^L x_l <= sqrt(L * sum_l x_l^2) for x_l >= 0 (Cauchy-Schwarz against the all-ones vector).

    Applies to the whole expression, or to the sum found inside it (``inside=True``, e.g. under a prefactor).
    """

    kind: str = field(default="Cauchy-Schwarz", init=False)

    def apply(self, expr):
        expr = sp.sympify(expr)
        target = _find_sum(expr)
        if target is None:
            raise DerivationError(f"Cauchy-Schwarz: no sum over layers in {sp.sstr(expr)[:100]}")
        if isinstance(target, sp.Sum):
            (idx, lo, hi) = target.limits[0]
            count = hi - lo + 1
            squared = sp.Sum(monomial(target.function ** 2), *target.limits)
        else:
            terms = sp.Add.make_args(target)
            count = len(terms)
            squared = sp.Add(*[monomial(t ** 2) for t in terms])
        return expr.xreplace({target: sp.sqrt(count * squared)})

    def latex_label(self):
        return r"Cauchy--Schwarz: $\sum_{\ell=1}^{L} x_\ell \le \sqrt{L\sum_{\ell=1}^{L} x_\ell^2}$"

    def label(self):
        return "Cauchy-Schwarz: sum_l x_l <= sqrt(L sum_l x_l^2)"


def _find_sum(expr):
    if isinstance(expr, sp.Sum) or (isinstance(expr, sp.Add) and len(expr.args) > 1):
        return expr
    for arg in sp.preorder_traversal(expr):
        if isinstance(arg, sp.Sum):
            return arg
    for arg in sp.preorder_traversal(expr):
        if isinstance(arg, sp.Add) and len(arg.args) > 1:
            return arg
    return None


@dataclass(frozen=True)
class UnionBound(Step):
    """A union bound over a finite grid of G choices (e.g. exponents p): delta -> delta / G, costing ln G."""

    delta: sp.Symbol
    grid_size: sp.Expr
    kind: str = field(default="union bound", init=False)

    def apply(self, expr):
        expr = sp.sympify(expr)
        if self.delta not in expr.free_symbols:
            raise DerivationError(f"union bound: {self.delta} does not occur in {sp.sstr(expr)[:100]}")
        return sp.expand_log(expr.subs(self.delta, self.delta / self.grid_size), force=True)

    def latex_label(self):
        g, dl = _latex(sp.sympify(self.grid_size)), _latex(self.delta)
        return f"Union bound over a grid of ${g}$ values: ${dl} \\to {dl}/{g}$ (costs $\\ln {g}$)"

    def label(self):
        return (f"union bound over a grid of {sp.sstr(self.grid_size)} values: {self.delta} -> "
                f"{self.delta}/{sp.sstr(self.grid_size)} (costs ln {sp.sstr(self.grid_size)})")


@dataclass(frozen=True)
class DropConstants(Step):
    """Drop constant factors (dominant form): every factor of the monomial whose symbols are all in ``allowed``.

    With ``factors`` given, divide by exactly those instead. The dropped constant is recorded in ``info`` and the
    check verifies it depends on the allowed symbols (e.g. p) only.
    """

    factors: tuple = ()
    allowed: tuple = ()
    kind: str = field(default="drop constants", init=False)
    relation: str = field(default="~", init=False)

    def apply(self, expr):
        expr = sp.sympify(expr)
        if self.factors:
            out = monomial(expr / sp.Mul(*self.factors))
            dropped = sp.Mul(*self.factors)
        else:
            dropped, out = split_constant(expr, self.allowed)
        object.__setattr__(self, "info", self._info(dropped=dropped))
        return out

    def latex_label(self):
        dropped = dict(self.info).get("dropped")
        if dropped is None:
            return _tex_text(self.label())
        return f"Drop the constant factor ${_latex(dropped)}$ (dominant form)"

    def label(self):
        if self.factors:
            return "drop constant factors " + ", ".join(sp.sstr(f) for f in self.factors)
        return f"drop the factors depending only on {', '.join(map(sp.sstr, self.allowed))}"

    def describe(self) -> str:
        text = super().describe()
        dropped = dict(self.info).get("dropped")
        return text + (f"  (dropped: {sp.sstr(dropped)})" if dropped is not None else "")

    def check(self, before, after, example):
        problems = []
        dropped = dict(self.info).get("dropped", sp.S.One)
        extra = {x for x in sp.sympify(dropped).free_symbols if not _is_allowed(x, self.allowed)}
        if extra:
            problems.append(f"dropped factor {sp.sstr(dropped)} depends on {sorted(map(str, extra))}")
        problems += _check_relational(sp.Eq(before, dropped * after), example, "before = dropped * after")
        return problems


@dataclass(frozen=True)
class FactorOut(Step):
    """Rewrite the expression as ``factor * monomial(expr / factor)`` (exact; e.g. to show c_p times a monomial)."""

    factor: sp.Expr = sp.S.One
    kind: str = field(default="factor out", init=False)
    relation: str = field(default="==", init=False)

    def apply(self, expr):
        return sp.Mul(self.factor, monomial(sp.sympify(expr) / self.factor), evaluate=True)

    def latex_label(self):
        return f"Factor out ${_latex(self.factor)}$"

    def label(self):
        return f"factor out {sp.sstr(self.factor)}"

    def check(self, before, after, example):
        return _check_relational(sp.Eq(before, after), example, "rewriting is exact")


def _is_allowed(sym, allowed) -> bool:
    return sym in allowed or any(getattr(sym, "name", "").startswith(getattr(a_, "name", "") + "_")
                                 for a_ in allowed)


@dataclass(frozen=True)
class Apply(Step):
    """Insert the current expression into ``template`` at ``placeholder`` (a classical lemma with its citation)."""

    template: sp.Expr
    placeholder: sp.Symbol
    citation: object = None
    key: str | None = None
    kind: str = field(default="apply", init=False)

    def apply(self, expr):
        return sp.sympify(self.template).subs(self.placeholder, expr)

    def uses(self):
        return (self.key,) if self.key else ()

    def latex_label(self):
        src = r"\texttt{%s}" % _tex_text(self.key) if self.key else (
            _tex_text(self.citation.short()) if self.citation is not None else "")
        return f"Apply ${_latex(self.template)}$ with ${_latex(self.placeholder)}$ the bound so far" + (
            f" ({src})" if src else "")

    def label(self):
        src = self.key or (self.citation.short() if self.citation is not None else "")
        return f"apply {sp.sstr(self.template)}" + (f" ({src})" if src else "")


@dataclass(frozen=True)
class AllocateScales(Step):
    r"""Minimise sum_i beta_i alpha_i^(-k) over alpha_i > 0 with sum_i alpha_i = 1 (Hoelder / Lagrange).

    The minimum is (sum_i beta_i^(1/(k+1)))^(k+1), at alpha_i proportional to beta_i^(1/(k+1)); terms free of the
    alphas are kept. This is how Bartlett et al. (2017, Thm 3.3) split the covering scale over layers.
    """

    weights: tuple = ()
    power: sp.Expr = sp.Integer(2)
    kind: str = field(default="allocate scales", init=False)

    def apply(self, expr):
        expr = sp.expand(sp.sympify(expr), log=False)
        k = sp.sympify(self.power)
        betas = []
        rest = expr
        for w in self.weights:
            coeff = sp.factor_terms(expr.coeff(w, -k))
            if coeff == 0:
                raise DerivationError(f"allocate: no term in {sp.sstr(w)}**(-{k})")
            betas.append(coeff)
            rest = rest - coeff * w ** (-k)
        rest = sp.expand(rest, log=False)
        if any(w in rest.free_symbols for w in self.weights):
            raise DerivationError("allocate: the weights occur outside the terms beta_i * alpha_i^(-k)")
        betas = [sp.expand_power_base(bb, force=True) for bb in betas]
        total = sp.factor_terms(sp.Add(*[sp.expand_power_base(bb ** (1 / (k + 1)), force=True) for bb in betas]))
        object.__setattr__(self, "info", self._info(
            argmin=tuple((w, bb ** (1 / (k + 1)) / total) for w, bb in zip(self.weights, betas))))
        return rest + total ** (k + 1)

    def latex_label(self):
        ws = ", ".join(_latex(w) for w in self.weights)
        k, k1 = _latex(self.power), _latex(self.power + 1)
        return (f"Allocate the scales ${ws}$ (summing to 1) by H\\\"older: "
                + r"$\min\sum_i \beta_i\alpha_i^{-%s} = (\sum_i \beta_i^{1/%s})^{%s}$" % (k, k1, k1))

    def label(self):
        return (f"allocate scales {', '.join(map(sp.sstr, self.weights))} (sum = 1): "
                f"min sum beta_i alpha_i^(-{sp.sstr(self.power)}) by Hoelder")

    def check(self, before, after, example):
        # the value at the recorded minimiser must equal the claimed minimum
        argmin = dict(dict(self.info).get("argmin", ()))
        at = sp.sympify(before).subs(argmin)
        if not _same(sp.simplify(at - after), 0):
            val = sp.N((at - after).subs(example), 30)
            if val.is_number and abs(val) > 1e-20:
                return [f"allocate: value at the minimiser differs from the claimed minimum by {val}"]
        return []


def _check_relational(rel, example, what) -> list[str]:
    rel = sp.sympify(rel)
    if rel is sp.true:
        return []
    lhs, rhs = rel.lhs, rel.rhs
    if isinstance(rel, sp.Eq):
        if _same(lhs, rhs):
            return []
        val = sp.N((lhs - rhs).subs(example), 50) if example else None
        if val is not None and val.is_number and abs(val) <= sp.Float(10) ** -40 * (1 + abs(sp.N(lhs.subs(example),
                                                                                                   50))):
            return []
        return [f"{what}: not shown equal ({sp.sstr(rel)[:120]})"]
    diff = sp.simplify(rhs - lhs) if isinstance(rel, (sp.Le, sp.Lt)) else sp.simplify(lhs - rhs)
    if diff.is_nonnegative:
        return []
    if not example:
        return [f"{what}: not decided symbolically and no example point to check {sp.sstr(rel)[:80]}"]
    val = sp.N(diff.subs(example), 50)
    if not val.is_number:
        return [f"{what}: example point leaves {sorted(map(str, val.free_symbols))} free"]
    if val < -sp.Float(10) ** -40 * (1 + abs(sp.N(lhs.subs(example), 50))):
        return [f"{what} fails at the example point: {sp.sstr(rel)[:120]} (slack {sp.N(val, 8)})"]
    return []


# ---- the derivation ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Derivation:
    """A replayable chain of steps; ``steps`` carry their results, ``expr`` is the final expression."""

    key: str
    steps: tuple
    example: tuple = ()

    @property
    def expr(self):
        return self.steps[-1].result

    @property
    def example_values(self) -> dict:
        return dict(self.example)

    def uses(self) -> tuple[str, ...]:
        seen = []
        for st in self.steps:
            for k in st.uses():
                if k not in seen:
                    seen.append(k)
        return tuple(seen)

    def weakest_status(self) -> Status:
        """The least certain provenance status among the lemmas the derivation uses (reconstructed is weakest)."""
        from .registry import get

        statuses = [get(k).status for k in self.uses()]
        statuses += [Status(st.status) for st in self.steps if st.status]
        return max(statuses, key=_STATUS_ORDER.index) if statuses else Status.DERIVED

    def replay(self):
        """Re-run the recipe against the registry; raise if any step's expression differs from the recorded one."""
        fresh = _run(self.steps)
        for old, new in zip(self.steps, fresh):
            if not _same(old.result, new.result):
                raise DerivationError(f"{self.key}: step [{old.label()}] no longer reproduces its result:\n"
                                      f"  recorded {sp.sstr(old.result)[:200]}\n  replayed {sp.sstr(new.result)[:200]}")
        return fresh[-1].result

    def check(self) -> "Derivation":
        """Replay and run every step's own check at the example point; raise listing the problems."""
        self.replay()
        problems = []
        before = None
        ex = self.example_values
        for st in self.steps:
            if before is not None or st.kind not in ("lemma", "start"):
                problems += [f"step [{st.label()}]: {msg}" for msg in st.check(before, st.result, ex)]
            before = st.result
        if problems:
            raise DerivationError(f"{self.key}: " + "; ".join(problems))
        return self

    def describe(self) -> str:
        lines = [f"Derivation of {self.key} (weakest status in the chain: {self.weakest_status().value})"]
        lines += [f"  {i}. {st.describe()}" for i, st in enumerate(self.steps, 1)]
        return "\n".join(lines)

    def latex_lines(self) -> list[str]:
        """One LaTeX line per step (text mode with inline math), for a proof skeleton."""
        return [st.latex() for st in self.steps]


def _run(steps) -> tuple:
    expr = None
    done = []
    for st in steps:
        fresh = replace(st, result=None, info=())
        out = fresh.apply(expr)
        object.__setattr__(fresh, "result", out)
        done.append(fresh)
        expr = out
    return tuple(done)


def derive(key: str, steps, example=None) -> Derivation:
    """Run ``steps`` (the first is normally :class:`UseLemma`) and return the recorded :class:`Derivation`."""
    steps = list(steps)
    if not steps:
        raise DerivationError(f"{key}: a derivation needs at least one step")
    ex = tuple((sp.sympify(k), sp.sympify(v)) for k, v in dict(example or {}).items())
    return Derivation(key, _run(steps), ex)


def derived_bound(derivation: Derivation, *, key: str | None = None, lhs="", params=None, title="", notes="",
                  assumptions=(), example=None, mode=None, limits=(), citations=(), kind="bound",
                  status: str = "derived"):
    """A :class:`~schattheory.bound.Bound` whose expression is the derivation's result, with provenance.

    Status is ``derived`` (the lemmas used are ``derived_from``); the notes always state the weakest status in
    the chain, so a result resting on a reconstructed lemma says so.
    """
    from .bound import Bound
    from .provenance import Provenance

    expr = derivation.expr
    if params is None:
        params = tuple(sorted(expr.free_symbols, key=str))
    weakest = derivation.weakest_status()
    chain_note = f"derived by the engine from {', '.join(derivation.uses())}; weakest status in the chain: " \
                 f"{weakest.value}"
    notes = f"{notes} ({chain_note})" if notes else chain_note
    prov = Provenance(status, tuple(citations), note=chain_note, derived_from=derivation.uses())
    return Bound(key or derivation.key, expr=expr, params=tuple(params), provenance=prov, lhs=lhs, title=title,
                 notes=notes, assumptions=tuple(assumptions), example=example or dict(derivation.example),
                 mode=mode, limits=tuple(limits), kind=kind, derivation=derivation)
