r"""Bounds of one's own for networks: per-layer terms plus an outer form, evaluated like a built-in family.

:func:`network_bound` takes what a network bound is made of (see :mod:`schattheory.bounds.family` for the
vocabulary):

- ``terms``: aggregate name -> the per-layer term, in the per-layer symbols (``s`` spectral norm, ``F`` Frobenius
  norm, ``b`` = ||A^T||_{2,1}, ``U`` output and ``d`` input features, ``Omega`` spatial multiplicity, ``k`` rank,
  ``rho`` rank proxy r_l(p), ``p`` the layer's Schatten exponent, ``X_l`` the loss-augmented amplification) and the
  globals;
- ``ops``: how each aggregate combines the layers (``"sum"`` by default, ``"prod"`` or ``"max"``);
- ``outer``: the bound, in the aggregates and the globals (``N`` samples, ``B`` input norm, ``gamma`` margin,
  ``X_F`` = ||X||_F, ``delta``, ``L`` depth, ``G`` grid size, ``P`` = prod_l s_l, ``X`` = B P / gamma, ``h`` max
  width).

Symbols may be the toolkit's (``family.LAYER["F"]``) or one's own with the same name (``sp.Symbol("F")``): they are
matched by name. The form is registered twice: its statement for a depth-3 network enters the registry under
``FAMILY.MODE`` with the status ``new result`` (``schattheory list``, ``show``, LaTeX), and the family becomes
evaluable on any network (:func:`schattheory.bounds.network.evaluate_network`, ``schattheory evaluate`` and
``report``). From the command line, a module that calls it is loaded with ``--load MODULE`` or through the entry
point group ``schattheory.bounds`` (:mod:`schattheory.outputs.plugins`).

>>> import sympy as sp
>>> F, s, N, B, gamma, L = sp.symbols("F s N B gamma L")
>>> form = network_bound("demo.frobenius_ratio", terms={"S": F**2 / s**2},
...                      outer=B * sp.Symbol("P") / gamma * sp.sqrt(L * sp.Symbol("S") / N), register=False)
>>> form.expand(1)
B*F_1/(sqrt(N)*gamma)
>>> form.needs
('n', 'input_norm', 'margin')
"""

from __future__ import annotations

import sympy as sp

from schattheory.bounds import family as fam
from schattheory.bounds.family import Aggregate, NetworkForm
from schattheory.foundation.errors import InputError

__all__ = ["network_bound", "VOCABULARY"]

#: every name a term or outer expression may use -> the toolkit's symbol (LAYER keys, GLOBAL keys, symbol names)
VOCABULARY = {**fam.LAYER, **fam.GLOBAL, **{v.name: v for v in (*fam.LAYER.values(), *fam.GLOBAL.values())}}
_NEEDS = (
    (fam.N, "n"),
    (fam.B, "input_norm"),
    (fam.X, "input_norm"),
    (fam.gamma, "margin"),
    (fam.X, "margin"),
    (fam.XF, "data_frobenius"),
    (fam.Xl, "margin"),
    (fam.Xl, "activation_norms"),
)


def _match(expr, allowed: dict, what: str):
    """``expr`` with every symbol replaced by the toolkit's symbol of the same name (or an error naming it)."""
    try:
        expr = sp.sympify(expr, strict=True)
    except (sp.SympifyError, TypeError):
        raise InputError(what, repr(expr)[:60], "must be a SymPy expression (strings are not parsed)") from None
    mapping = {}
    for sym in expr.free_symbols:
        target = allowed.get(sym.name)
        if target is None:
            raise InputError(what, sym.name, f"is not a known quantity; use one of {', '.join(sorted(allowed))}")
        mapping[sym] = target
    return expr.xreplace(mapping)


def network_bound(
    family: str,
    *,
    terms: dict,
    outer,
    mode: str = "dominant",
    ops: dict | None = None,
    title: str = "",
    citations=(),
    note: str = "",
    lhs=r"\Pr[\text{error}] - \hat R_\gamma",
    assumptions=(),
    dense: bool = True,
    register: bool = True,
) -> NetworkForm:
    """Define a network bound of one's own; returns its :class:`~schattheory.bounds.family.NetworkForm`.

    ``family`` names it (``schattheory evaluate`` reports it as ``FAMILY.MODE``); ``terms`` maps each aggregate's
    name to its per-layer term; ``ops`` maps aggregate names to ``"sum"`` (default), ``"prod"`` or ``"max"``;
    ``outer`` is the bound in the aggregates and the globals. ``citations``: Citations or keys of
    :data:`schattheory.foundation.citations.CITATIONS` the statement rests on (shown with it; its status stays ``new
    result``). ``register=False`` builds the form without registering anything (evaluate it with
    ``evaluate_network(stats, form)``). A term using ``p`` makes a family with a Schatten exponent per layer.
    """
    from schattheory.foundation.provenance import Citation, Provenance, cite

    if not isinstance(family, str) or not family.strip() or family != family.strip() or " " in family:
        raise InputError("family", family, "must be a non-empty name without spaces, e.g. 'mine.frobenius'")
    if mode not in ("dominant", "explicit"):
        raise InputError("mode", mode, "must be 'dominant' or 'explicit'")
    if not isinstance(terms, dict) or not terms:
        raise InputError("terms", terms, "must map at least one aggregate name to its per-layer term")
    ops = dict(ops or {})
    unknown_ops = set(map(str, ops)) - set(map(str, terms))
    if unknown_ops:
        raise InputError("ops", sorted(unknown_ops), "names no aggregate of terms")
    aggregates, agg_symbols = [], {}
    for name, term in terms.items():
        name = str(name)
        if name in VOCABULARY:
            raise InputError("terms", name, "is a per-layer or global quantity; name the aggregate otherwise")
        sym = sp.Symbol(name, positive=True)
        op = ops.get(name, ops.get(sp.Symbol(name), "sum"))
        if op not in ("sum", "prod", "max"):
            raise InputError(f"ops[{name!r}]", op, "must be 'sum', 'prod' or 'max'")
        aggregates.append(Aggregate(sym, _match(term, VOCABULARY, f"terms[{name!r}]"), op))
        agg_symbols[name] = sym
    outer_expr = _match(
        outer, {**{k: v for k, v in VOCABULARY.items() if v in fam.GLOBAL.values()}, **agg_symbols}, "outer"
    )
    used = set(outer_expr.free_symbols).union(*(a.term.free_symbols for a in aggregates))
    needs = tuple(dict.fromkeys(need for sym, need in _NEEDS if sym in used)) or ("n",)
    form = NetworkForm(
        f"{family}.{mode}",
        family,
        mode,
        tuple(aggregates),
        outer_expr,
        {},
        needs,
        uses_p=any(fam.p in a.term.free_symbols for a in aggregates),
        dense=dense,
    )
    if register:
        from schattheory.bounds._register import register_form
        from schattheory.bounds.network import register_network_form

        cites = tuple(c if isinstance(c, Citation) else cite(c) for c in citations)
        prov = Provenance("new result", cites, note=note)
        _register_statement(
            form, prov, title or f"{family} ({mode} form), a bound of one's own", lhs, assumptions, register_form
        )
        register_network_form(form)
    return form


def _register_statement(form, prov, title, lhs, assumptions, register_form):
    """The depth-3 statement in the registry; the same statement again (a re-run cell) is accepted."""
    from schattheory.core import registry

    try:
        existing = registry.get(form.key)
    except KeyError:
        existing = None
    if existing is not None:
        if existing.expr == form.expand(3) and existing.status == prov.status:
            return existing
        raise InputError("family", form.family, f"{form.key} is already registered with another statement")
    return register_form(form, prov, title, lhs=lhs, assumptions=assumptions)
