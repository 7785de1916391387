"""Derivation steps that apply one lemma of the toolkit: the balancing lemma (optimise over the truncation rank) and
Dudley's entropy integral (its closed forms computed by :mod:`schattheory.lemmas.dudley_integral`).

They live in the lemmas layer (they use the lemmas); :mod:`schattheory.core.derivation` re-exports them by name, lazily,
so that the derivation engine itself imports no lemma."""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from schattheory.core.derivation.algebra import _is_power_of, _rebuild_sum, _summands
from schattheory.core.derivation.engine import DerivationError, Step
from schattheory.foundation.latex_names import latex as _latex
from schattheory.foundation.tex_text import escape as _tex_text

__all__ = ["OptimiseRank", "DudleyStep"]


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
                raise DerivationError(
                    f"optimise over {sym}: term {sp.sstr(term)} is neither linear in {sym} nor "
                    f"a multiple of {sp.sstr(target)}**(-2/{sp.sstr(pp)})"
                )
        if lin == 0 or tail == 0:
            raise DerivationError(f"optimise over {sym}: need both a linear and a tail term")
        return lin, tail, rest

    def apply(self, expr):
        from schattheory.lemmas.balancing import balance

        lin, tail, rest = self._parts(expr)
        value, rstar = balance(lin, tail, self.p)
        object.__setattr__(
            self, "info", self._info(a=lin, b=tail, r_star=rstar, argmin=sp.floor(rstar) if self.shifted else rstar)
        )
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

        from schattheory.lemmas.balancing import balance, integer_minimum
        from schattheory.numerics.backends import to_mpf

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
                return [
                    f"optimise: minimum {mpmath.nstr(best, 12)} exceeds the balanced value {mpmath.nstr(value, 12)}"
                ]
        return []


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
        from schattheory.lemmas.dudley_integral import dudley_expr

        expr = sp.sympify(expr)
        if self.split_sum:
            parts = _summands(expr)
            outs = [
                dudley_expr(t, self.eps, n=self.n, normalised=self.normalised, diameter=self.diameter, alpha=self.alpha)
                for t in parts
            ]
            # the 4 alpha term is paid once: keep each entropy part and one alpha term (alpha -> 0 here)
            object.__setattr__(self, "info", self._info(closed_forms=tuple(o[1] for o in outs)))
            return _rebuild_sum(expr, [o[0] for o in outs])
        out, form = dudley_expr(
            expr, self.eps, n=self.n, normalised=self.normalised, diameter=self.diameter, alpha=self.alpha
        )
        object.__setattr__(self, "info", self._info(closed_form=form))
        return out

    def _top(self):
        d = sp.sympify(self.diameter)
        return d if self.normalised else sp.sqrt(sp.sympify(self.n)) * d

    def range_before(self):
        # the bound on ln N(eps) is integrated over eps in (alpha, top], alpha > 0 as small as the form needs
        return (sp.Le(self.eps, self._top()),)

    def chain_claims(self, earlier_assumptions):
        """The entropy bound must hold on the whole integration range: its lemmas' assumptions in eps must follow
        from eps in (0, top] (and the derivation's own assumptions)."""
        rng = (sp.Le(self.eps, self._top()),)
        others = tuple(a for a in earlier_assumptions if self.eps not in a.free_symbols)
        return [
            (f"the entropy bound's assumption {sp.sstr(a)} on the integration range", a, rng + others)
            for a in earlier_assumptions
            if self.eps in a.free_symbols
        ]

    def uses(self):
        # the general integral (lemmas.dudley.ENTROPY_INTEGRAL, BFT Lemma A.5 as recalled) is not a registered
        # Bound; the closed form is computed here by SymPy (and tested against the registered dudley.* forms)
        return ()

    def latex_label(self):
        where = "normalised empirical $L_2$" if self.normalised else r"unnormalised $\ell_2$ on $\mathbb{R}^n$"
        al = (
            r"$\alpha\to0$"
            if self.alpha == 0
            else ("optimal $\\alpha$" if self.alpha == "optimal" else f"$\\alpha = {_latex(self.alpha)}$")
        )
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
