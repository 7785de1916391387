"""Mutants of a statement, for mutation testing of the falsifier: each is a small change that (usually) makes a
true statement false, and the falsifier should refute it.

Operators: ``constant`` (a numeric coefficient, or the overall constant 1, divided by k in 2..10), ``exponent``
(an exponent moved by 10-50%), ``relation`` (<= and >= exchanged) and ``drop`` (one term of a sum or one factor of
a product dropped). A mutant keeps the statement's parameters and assumptions and loses its declared limits and
derivation, so that only the attack on its formula can refute it.

A mutant is built to *strengthen* the statement: where an operator has a choice (the direction of an exponent's
move, which term to drop), it takes one that moves the right side of a ``<=`` down (of a ``>=`` up) at the
statement's example point. A change that only weakens a true statement yields a true statement, which no
falsifier may refute; such changes are not mutants.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import sympy as sp

from schattheory.foundation.errors import InputError
from schattheory.foundation.provenance import Provenance

__all__ = ["mutants", "OPERATORS"]

OPERATORS = ("constant", "exponent", "relation", "drop")


def _nodes(expr, cls):
    return [e for e in sp.preorder_traversal(expr) if isinstance(e, cls)]


def _constant(expr, rng):
    k = int(rng.integers(2, 11))
    out = []
    coeffs = [m for m in _nodes(expr, sp.Mul) if m.as_coeff_Mul()[0].is_positive and m.as_coeff_Mul()[0] != 1]
    if coeffs and rng.random() < 0.5:
        node = coeffs[int(rng.integers(len(coeffs)))]
        c, rest = node.as_coeff_Mul()
        out.append((expr.xreplace({node: (c / k) * rest}), f"coefficient {c} of {sp.sstr(rest)[:30]} divided by {k}"))
    return out + [(expr / k, f"overall constant divided by {k}")]


def _stronger(bound, expr) -> bool:
    """Whether ``expr`` moves the right side the strengthening way at the example point (a decisive amount);
    matrices take the diagonal matrix diag(3, 2, 1/2) (as a spectrum, or as a 3 x 3 matrix)."""
    import mpmath

    if not bound.example:
        return True
    ex = bound.example_values
    try:
        if bound.matrices():
            import numpy as np

            from schattheory.numerics.schatten import SpectralFunction

            whole = any(
                not isinstance(fn.args[0], sp.MatrixSymbol)
                for side in (bound.lhs, bound.expr)
                for fn in sp.sympify(side).atoms(SpectralFunction)
            )
            for mat in bound.matrices():
                ex[mat] = np.diag([3.0, 2.0, 0.5]) if whole else [3, 2, sp.Rational(1, 2)]
            mutant = _mutant(bound, bound.key, expr=expr)
            new, old = mutant.evaluate(ex, 30), bound.evaluate(ex, 30)
        else:
            # xreplace, not subs: every key is a symbol and every value a number (subs's general matching took
            # most of the time of building mutants)
            new = sp.N(expr.xreplace(ex), 30)
            old = sp.N(bound.expr.xreplace(ex), 30)
            if not (new.is_real and old.is_real):
                return False
        gap = (old - new) if bound.relation in ("<=", "<") else (new - old)
        return bool(gap > mpmath.mpf(10) ** -6 * abs(old))
    except (TypeError, ValueError, ZeroDivisionError, ArithmeticError, InputError):
        return False  # undefined at the example (InputError: outside the domain, or 0/0 with no limit)


def _exponent(expr, rng):
    pows = [e for e in _nodes(expr, sp.Pow) if e.exp != -1 or rng.random() < 0.3]
    out = []
    for node in [pows[i] for i in rng.permutation(len(pows))]:
        delta = sp.Rational(int(rng.integers(10, 51)), 100)
        for sign in (1, -1):
            f = 1 + sign * delta
            out.append(
                (
                    expr.xreplace({node: sp.Pow(node.base, node.exp * f, evaluate=False)}),
                    f"exponent {sp.sstr(node.exp)} of {sp.sstr(node.base)[:30]} times {f}",
                )
            )
    return out


def _drop(expr, rng):
    nodes = [e for e in _nodes(expr, (sp.Add, sp.Mul)) if len(e.args) > 1]
    nodes = [e for e in nodes if not (isinstance(e, sp.Mul) and all(a.is_Number for a in e.args[1:]))]
    if not nodes:
        return None
    out = []
    for node in [nodes[i] for i in rng.permutation(len(nodes))]:
        for i, arg in enumerate(node.args):
            if arg.is_Number and isinstance(node, sp.Mul):
                continue
            rest = node.func(*(a for j, a in enumerate(node.args) if j != i))
            out.append(
                (
                    expr.xreplace({node: rest}),
                    f"{'term' if isinstance(node, sp.Add) else 'factor'} {sp.sstr(arg)[:30]} dropped",
                )
            )
    return out


def _mutant(bound, key, **changes):
    """A mutant is a statement of nobody's: status "new result", no derivation, no declared limits."""
    prov = Provenance("new result", bound.provenance.citations, note=f"a mutant of {bound.key}, false by design")
    return replace(bound, key=key, provenance=prov, limits=(), derivation=None, **changes)


def mutants(bound, seed: int = 0, per_operator: int = 1, operators=OPERATORS) -> list:
    """``(operator, description, mutant Bound)`` for each operator that applies (``per_operator`` each)."""
    rng = np.random.default_rng(seed)
    out = []
    for op in operators:
        for n in range(per_operator):
            if op == "relation":
                if bound.relation not in ("<=", ">=") or n:
                    continue
                new_rel = ">=" if bound.relation == "<=" else "<="
                out.append(
                    (
                        op,
                        f"relation {bound.relation} -> {new_rel}",
                        _mutant(bound, f"mutant.{bound.key}.{op}", relation=new_rel),
                    )
                )
                continue
            made = {"constant": _constant, "exponent": _exponent, "drop": _drop}[op](bound.expr, rng)
            made = [
                (e, t)
                for e, t in made or ()
                if e != bound.expr and not (e.free_symbols - bound.expr.free_symbols) and _stronger(bound, e)
            ]
            if len(made) <= n:
                continue
            expr, text = made[n]
            out.append((op, text, _mutant(bound, f"mutant.{bound.key}.{op}{n}", expr=expr)))
    return out
