"""The general steps: lemmas and starts, substitutions, choices, relaxations, sums over layers, Cauchy-Schwarz,
union bounds, dropped constants, rewriting, classical templates and the allocation of scales over layers."""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from schattheory.core.derivation.algebra import _find_sum, _is_allowed, _same, monomial, per_layer, split_constant
from schattheory.core.derivation.engine import DerivationError, Step
from schattheory.foundation.latex_names import latex as _latex
from schattheory.foundation.tex_text import escape as _tex_text

__all__ = [
    "UseLemma",
    "Start",
    "Substitute",
    "Choose",
    "Relax",
    "Coefficient",
    "SumOverLayers",
    "CauchySchwarz",
    "UnionBound",
    "DropConstants",
    "FactorOut",
    "Apply",
    "AllocateScales",
]


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
        from schattheory.core.registry import get

        return get(self.key).expr.subs(dict(self.subs), simultaneous=True)

    def uses(self):
        return (self.key,)

    def assumes(self):
        from schattheory.core.registry import get

        return tuple(a.subs(dict(self.subs), simultaneous=True) for a in get(self.key).assumptions)

    def latex_label(self):
        from schattheory.core.registry import get

        text = r"By \texttt{%s} (%s)" % (_tex_text(self.key), get(self.key).status.value)
        if self.subs:
            text += " with " + ", ".join(f"${_latex(k)} \\mapsto {_latex(v)}$" for k, v in self.subs)
        return text

    def label(self):
        from schattheory.core.registry import get

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

    def assumes(self):
        return tuple(self.bound.assumptions)

    def uses(self):
        from schattheory.core.registry import keys

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

    def claims(self, before, after):
        if self.condition is None:
            return []
        return [(f"choice of {self.symbol}", sp.sympify(self.condition).subs(self.symbol, self.value))]


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

    def claims(self, before, after):
        return [
            ("relaxation old <= new", sp.Le(self.old, self.new, evaluate=False)),
            ("relaxed expression does not decrease", sp.Le(before, after, evaluate=False)),
        ]


@dataclass(frozen=True)
class Coefficient(Step):
    """Keep the coefficient of ``symbol**power`` (e.g. the eps-free complexity of a power-law entropy bound)."""

    symbol: sp.Symbol
    power: sp.Expr
    kind: str = field(default="coefficient", init=False)
    relation: str = field(default="==", init=False)

    def apply(self, expr):
        coeff = monomial(sp.sympify(expr) / self.symbol**self.power)
        if self.symbol in coeff.free_symbols:
            raise DerivationError(
                f"coefficient: {sp.sstr(expr)} is not a multiple of {sp.sstr(self.symbol**self.power)}"
            )
        return coeff

    def latex_label(self):
        return f"Keep the coefficient of ${_latex(self.symbol**self.power)}$"

    def label(self):
        return f"coefficient of {sp.sstr(self.symbol**self.power)}"


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
        from schattheory.foundation.symbols import layer

        if isinstance(self.count, int):
            return {
                s: layer(s.name, ll, **{k: v for k, v in s.assumptions0.items() if k in ("positive", "integer")})
                for s in self.per_layer
            }
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
            squared = sp.Sum(monomial(target.function**2), *target.limits)
        else:
            terms = sp.Add.make_args(target)
            count = len(terms)
            squared = sp.Add(*[monomial(t**2) for t in terms])
        return expr.xreplace({target: sp.sqrt(count * squared)})

    def latex_label(self):
        return r"Cauchy--Schwarz: $\sum_{\ell=1}^{L} x_\ell \le \sqrt{L\sum_{\ell=1}^{L} x_\ell^2}$"

    def label(self):
        return "Cauchy-Schwarz: sum_l x_l <= sqrt(L sum_l x_l^2)"


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
        return (
            f"union bound over a grid of {sp.sstr(self.grid_size)} values: {self.delta} -> "
            f"{self.delta}/{sp.sstr(self.grid_size)} (costs ln {sp.sstr(self.grid_size)})"
        )


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
        return problems

    def claims(self, before, after):
        dropped = dict(self.info).get("dropped", sp.S.One)
        return [("before = dropped * after", sp.Eq(before, dropped * after, evaluate=False))]


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

    def claims(self, before, after):
        return [("rewriting is exact", sp.Eq(before, after, evaluate=False))]


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
        src = (
            r"\texttt{%s}" % _tex_text(self.key)
            if self.key
            else (_tex_text(self.citation.short()) if self.citation is not None else "")
        )
        return f"Apply ${_latex(self.template)}$ with ${_latex(self.placeholder)}$ the bound so far" + (
            f" ({src})" if src else ""
        )

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
        object.__setattr__(
            self,
            "info",
            self._info(argmin=tuple((w, bb ** (1 / (k + 1)) / total) for w, bb in zip(self.weights, betas))),
        )
        return rest + total ** (k + 1)

    def latex_label(self):
        ws = ", ".join(_latex(w) for w in self.weights)
        k, k1 = _latex(self.power), _latex(self.power + 1)
        return (
            f'Allocate the scales ${ws}$ (summing to 1) by H\\"older: '
            + r"$\min\sum_i \beta_i\alpha_i^{-%s} = (\sum_i \beta_i^{1/%s})^{%s}$" % (k, k1, k1)
        )

    def label(self):
        return (
            f"allocate scales {', '.join(map(sp.sstr, self.weights))} (sum = 1): "
            f"min sum beta_i alpha_i^(-{sp.sstr(self.power)}) by Hoelder"
        )

    def check(self, before, after, example):
        # the value at the recorded minimiser must equal the claimed minimum
        argmin = dict(dict(self.info).get("argmin", ()))
        at = sp.sympify(before).subs(argmin)
        if not _same(sp.simplify(at - after), 0):
            val = sp.N((at - after).subs(example), 30)
            if val.is_number and abs(val) > 1e-20:
                return [f"allocate: value at the minimiser differs from the claimed minimum by {val}"]
        return []
