r"""The Bound: one exact statement ``lhs <relation> expr`` with its parameters, assumptions and provenance.

``Bound.expr`` is the single source of truth for a formula: numeric evaluators (mpmath at any precision, NumPy
vectorised) are derived from it, never retyped.

>>> import sympy as sp
>>> from schattheory.foundation.symbols import a, b, p
>>> from schattheory.foundation.provenance import Provenance, cite
>>> bnd = Bound("demo.amgm", expr=(a + b) / 2, params=(a, b), lhs=sp.sqrt(a * b),
...             provenance=Provenance("classical", (cite("vershynin2018"),)), example={a: 1, b: 4})
>>> bnd.check().key
'demo.amgm'
>>> float(bnd.evaluate({a: 1, b: 4}))
2.5
>>> bnd.latex()
'\\sqrt{a} \\sqrt{b} \\leq \\frac{a}{2} + \\frac{b}{2}'
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import sympy as sp

from schattheory.foundation.errors import (  # MAX_DPS: one cap, in errors.py
    MAX_DPS,
    InputError,
    SchattheoryError,
    check_dps,
)
from schattheory.foundation.provenance import Provenance, Status
from schattheory.numerics.domain import check_array_values, check_scalar_values, removable_limit

__all__ = ["Bound", "Limit", "BoundError", "RELATIONS", "KINDS", "MODES"]

RELATIONS = {"<=": sp.Le, "==": sp.Eq, ">=": sp.Ge, "<": sp.Lt}
KINDS = ("bound", "lemma", "identity", "definition")
MODES = (None, "dominant", "explicit")


def _check_dps(dps) -> int:
    dps = check_dps(dps)
    if dps > MAX_DPS:
        raise InputError("dps", dps, f"must be at most {MAX_DPS} digits")
    return dps


class BoundError(SchattheoryError):
    """A Bound that fails its own consistency checks."""


@dataclass(frozen=True)
class Limit:
    """A declared closed form: ``quantity`` tends to ``value`` as ``symbol -> point`` (from ``direction``).

    ``of`` is the expression whose limit is declared (the bound's ``expr`` when None); ``quantity`` says in words
    what tends to what. ``point`` and ``value`` may be Python numbers (``float("inf")`` is oo); they are made exact.
    A declared limit is a claim: :meth:`Bound.check` verifies it (:mod:`schattheory.core.limit_check`) and the LaTeX
    prints it as a fact only once verified.
    """

    symbol: sp.Symbol
    point: sp.Expr
    value: sp.Expr
    quantity: str = "the bound"
    of: sp.Expr | None = None
    direction: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "point", _exact(self.point))  # 0, 2.5, Fraction(1, 2) or float("inf") alike
        object.__setattr__(self, "value", _exact(self.value))
        if self.of is not None:
            object.__setattr__(self, "of", sp.sympify(self.of))

    @property
    def dir(self) -> str:
        return self.direction or ("-" if self.point is sp.oo else "+")

    def describe(self) -> str:
        arrow = "0+" if self.point == 0 else sp.sstr(self.point)
        return f"{self.quantity} -> {sp.sstr(self.value)} as {self.symbol} -> {arrow}"


def _exact(value):
    """A number or expression as an exact SymPy object (Python ints, floats at their binary value, Fractions)."""
    from schattheory.foundation.safe_parse import to_sympy

    return to_sympy(value, {})


def _freeze_map(mapping) -> tuple:
    items = mapping.items() if isinstance(mapping, dict) else (mapping or ())
    return tuple((sp.Symbol(k) if isinstance(k, str) else sp.sympify(k), _exact(v)) for k, v in items)


def _toolkit_symbols() -> dict:
    """The toolkit's vocabulary by name (schattheory.foundation.symbols): W, L, N, p, ... with their assumptions."""
    from schattheory.foundation import symbols as S

    return {s.name: s for s in vars(S).values() if type(s) is sp.Symbol}


def _match_by_name(key, exprs):
    """A mapping from a user's symbols to the toolkit's symbols of the same name (``sp.symbols('W')`` is the
    toolkit's integer W); an assumption that contradicts the toolkit's is an error."""
    vocab = _toolkit_symbols()
    mapping = {}
    for e in exprs:
        if not isinstance(e, sp.Basic):
            continue
        for s in e.free_symbols:
            ours = vocab.get(getattr(s, "name", None))
            if ours is None or s == ours or type(s) is not sp.Symbol or s in mapping:
                continue
            theirs = {k: v for k, v in s.assumptions0.items() if k != "commutative"}
            if theirs:
                raise BoundError(
                    f"{key}: symbol {s.name} has assumptions {sorted(k for k, v in theirs.items() if v)} "
                    f"that differ from the toolkit's {s.name} "
                    f"({sorted(k for k, v in ours.assumptions0.items() if v)}): use "
                    f"schattheory.foundation.symbols.{s.name} or another name"
                )
            mapping[s] = ours
    return mapping


@dataclass(frozen=True)
class Bound:
    r"""One exact statement ``lhs <relation> expr``: the single source of truth of a formula.

    Fields:

    - ``key``: the registry key (``"ledent2025.fc.explicit"``); ``title`` and ``notes`` in words;
    - ``expr``: the right-hand side, an exact SymPy expression (Rationals, never Floats); ``lhs``: what is bounded
      (a SymPy expression, or LaTeX text); ``relation``: one of ``<=``, ``<``, ``==``, ``>=``;
    - ``params``: the ordered parameters (the positional signature of :meth:`numeric`); a user's
      ``sp.symbols("W")`` is matched by name to the toolkit's ``W`` (an error if its assumptions contradict);
    - ``assumptions``: relationals (``eps <= R``, ``q < 2``) enforced, with the symbols' own (positive, integer),
      by :meth:`evaluate` and :meth:`numeric`;
    - ``provenance``: citations and the status tag (classical, paper, transcribed, reconstructed, derived, new
      result); ``derivation``: the replayable :class:`~schattheory.core.derivation.Derivation` of a derived statement;
    - ``limits``: declared :class:`Limit` closed forms, verified by :meth:`check`;
    - ``example``: an admissible point (Python ints, floats and Fractions are made exact), used by the checks;
    - ``kind`` (bound, lemma, identity, definition) and ``mode`` (None, ``dominant``, ``explicit``).

    :meth:`check` finds every inconsistency (and verifies the limits and the derivation's steps); :meth:`evaluate`
    gives the value at any precision; :meth:`limit`, :meth:`subs` and :meth:`latex` work on the statement.
    """

    key: str
    expr: sp.Expr
    params: tuple
    provenance: Provenance
    lhs: object = ""
    relation: str = "<="
    assumptions: tuple = ()
    limits: tuple = ()
    title: str = ""
    notes: str = ""
    kind: str = "bound"
    mode: str | None = None
    example: tuple = ()
    derivation: object = field(default=None, compare=False, hash=False)

    def __post_init__(self):
        object.__setattr__(self, "expr", sp.sympify(self.expr))
        object.__setattr__(self, "params", tuple(self.params))
        object.__setattr__(self, "assumptions", tuple(sp.sympify(x) for x in self.assumptions))
        object.__setattr__(self, "limits", tuple(self.limits))
        object.__setattr__(self, "example", _freeze_map(self.example))  # ints, floats, Fractions made exact
        if isinstance(self.lhs, sp.Basic) or not isinstance(self.lhs, str):
            object.__setattr__(self, "lhs", sp.sympify(self.lhs))
        parts = [self.expr, self.lhs, *self.assumptions, *self.params, *(k for k, _ in self.example)]
        parts += [x for lim in self.limits if isinstance(lim, Limit) for x in (lim.symbol, lim.value, lim.of)]
        names = _match_by_name(self.key, parts)
        by_name = {s.name: s for s in self.params if isinstance(s, sp.Symbol)}
        names.update(
            {
                k: by_name[k.name]
                for k, _ in self.example  # example={"x": 1} names the parameter x
                if isinstance(k, sp.Symbol) and k not in self.params and k.name in by_name and k not in names
            }
        )
        if names:  # the user's own sp.symbols('W') is the toolkit's W
            sub = lambda e: e.xreplace(names) if isinstance(e, sp.Basic) else e  # noqa: E731
            object.__setattr__(self, "expr", sub(self.expr))
            object.__setattr__(self, "lhs", sub(self.lhs))
            object.__setattr__(self, "params", tuple(sub(s) for s in self.params))
            object.__setattr__(self, "assumptions", tuple(sub(a) for a in self.assumptions))
            object.__setattr__(self, "example", tuple((sub(k), v) for k, v in self.example))
            object.__setattr__(
                self,
                "limits",
                tuple(
                    replace(lim, symbol=sub(lim.symbol), value=sub(lim.value), of=sub(lim.of))
                    if isinstance(lim, Limit)
                    else lim
                    for lim in self.limits
                ),
            )
        if self.relation not in RELATIONS:
            raise BoundError(f"{self.key}: relation={self.relation!r} is not one of {sorted(RELATIONS)}")
        if self.kind not in KINDS:
            raise BoundError(f"{self.key}: kind={self.kind!r} is not one of {KINDS}")
        if self.mode not in MODES:
            raise BoundError(f"{self.key}: mode={self.mode!r} is not one of {MODES[1:]}")
        if self.derivation is not None and hasattr(self.derivation, "verification"):
            # a carried derivation: the provenance says it is replayable and how its weakest step was decided
            how = self.derivation.verification(self.assumptions)
            how = "" if how in ("proved", "refuted") else how  # refuted: check() reports it
            object.__setattr__(self, "provenance", replace(self.provenance, replayable=True, verification=how))

    # ---- introspection --------------------------------------------------------------------------------------
    @property
    def status(self) -> Status:
        return self.provenance.status

    @property
    def example_values(self) -> dict:
        return dict(self.example)

    def matrices(self) -> set:
        """Matrix symbols the statement speaks of (their values are matrices or singular-value lists)."""
        found = set()
        for e in (self.expr, self.lhs if isinstance(self.lhs, sp.Basic) else sp.S.Zero):
            found |= {x for x in e.atoms(sp.MatrixSymbol)}
        return found

    def free_symbols(self) -> set:
        syms = set(self.expr.free_symbols)
        if isinstance(self.lhs, sp.Basic):
            syms |= self.lhs.free_symbols
        for mat in self.matrices():
            syms -= set(mat.shape) & syms if all(isinstance(x, sp.Symbol) for x in mat.shape) else set()
            syms.discard(mat)
        return syms

    def check(self, *, limits: bool = True) -> "Bound":
        """Raise :class:`BoundError` listing every inconsistency; return self when there is none.

        With ``limits=True`` (the default) every declared :class:`Limit` is verified as well
        (:func:`schattheory.core.limit_check.check_limits`: sympy.limit within a budget, else a 50-digit sequence at
        the example point; cached per statement). The registry checks the rest at registration and the limits on
        first use of ``check()``, so that loading it stays fast.
        """
        problems = []
        if not self.key or self.key != self.key.strip():
            problems.append("key must be a non-empty string without surrounding spaces")
        if len(set(self.params)) != len(self.params):
            problems.append(f"params repeat a symbol: {self.params}")
        known = set(self.params) | self.matrices()
        missing = self.free_symbols() - known
        if missing:
            problems.append(f"free symbols not in params: {sorted(map(str, missing))}")
        parts = [self.expr] + [x for x in (self.lhs,) if isinstance(x, sp.Basic)] + list(self.assumptions)
        parts += [lim.value for lim in self.limits] + [v for _, v in self.example]
        for part in parts:
            if part.atoms(sp.Float):
                problems.append(f"inexact Float in {sp.sstr(part)[:80]} (use Rational)")
        for lim in self.limits:
            if not isinstance(lim, Limit):
                problems.append(f"limits must be Limit objects, got {type(lim).__name__}")
        prov = self.provenance
        if prov.status is Status.DERIVED and prov.replayable and self.derivation is None:
            problems.append("provenance says the derivation is replayable but the Bound carries none")
        if self.derivation is not None:
            problems += self._derivation_problems()
        if prov.status is Status.DERIVED and not prov.replayable and not prov.proof:
            problems.append(
                "status 'derived' needs a derivation (derivation.derived_bound) or a written argument "
                "(Provenance(proof='proofs/<folder>' or the argument in a sentence))"
            )
        if self.provenance.status is Status.PAPER and "reconstructed" in self.notes.lower():
            problems.append("status 'paper' with a note saying it is reconstructed")
        ex = self.example_values
        if ex:
            for cond in self.assumptions:
                val = cond.subs(ex)
                if val is sp.false:
                    problems.append(f"example point violates assumption {cond}")
        if limits and not problems:
            for verdict in self.limit_checks():
                if not verdict.ok:
                    problems.append(
                        f"declared limit {verdict.limit.describe()} is wrong or unverified: {verdict.evidence}"
                    )
        if problems:
            raise BoundError(f"{self.key}: " + "; ".join(problems))
        return self

    def _derivation_problems(self) -> list:
        """The carried derivation's claims decided over their range; the status and wording must match them."""
        from schattheory.core.derivation.ranges import PROVED, REFUTED
        from schattheory.foundation.provenance import STATUS_ORDER as _STATUS_ORDER

        der, prov, out = self.derivation, self.provenance, []
        verify = getattr(der, "verify", None)
        if verify is None:
            return out
        for i, what, verdict in verify(self.assumptions):
            if verdict.status == REFUTED:
                out.append(f"derivation step [{der.steps[i].label()}]: {what} {verdict.evidence}")
        weakest = der.weakest_status()
        if _STATUS_ORDER.index(prov.status) < _STATUS_ORDER.index(weakest) and prov.status is not Status.NEW:
            out.append(
                f"status {prov.status.value!r} is stronger than the weakest link of its derivation ({weakest.value})"
            )
        how = der.verification(self.assumptions)
        if how != PROVED and how != REFUTED and prov.verification != how:
            out.append(f"its derivation's steps are {how}, and the provenance must say so (verification={how!r})")
        return out

    def limit_checks(self) -> tuple:
        """The verdict on each declared limit (:class:`schattheory.core.limit_check.LimitCheck`), cached."""
        from schattheory.core.limit_check import check_limits

        return check_limits(self)

    # ---- evaluation -----------------------------------------------------------------------------------------
    def _values(self, values, ignore_unused: bool = False) -> dict:
        out = {}
        # the matrices a statement speaks of are its inputs too, even when its params list their spectra instead
        known = tuple(self.params) + tuple(sorted(self.matrices() - set(self.params), key=str))
        by_name = {str(s): s for s in known}
        if not hasattr(values, "items"):
            raise InputError("values", type(values).__name__, "must be a mapping of parameters to numbers")
        for k, v in dict(values).items():
            name = k if isinstance(k, str) else getattr(k, "name", None)
            sym = k if k in known else by_name.get(name)  # a user's sp.symbols('W') matches W by name
            if sym is None:
                if ignore_unused:
                    continue
                raise InputError(
                    "values",
                    name or k,
                    f"is not a parameter of {self.key} ({', '.join(by_name)}); "
                    "pass ignore_unused=True to share one values dict",
                )
            out[sym] = v
        return out

    def evaluate(self, values, dps: int = 50, *, side: str = "rhs", ignore_unused: bool = False):
        """The right-hand side (or ``side="lhs"``) at ``values`` as an ``mpmath.mpf`` correct to ``dps`` digits.

        ``values`` maps symbols (or their names) to numbers; matrix symbols map to matrices or singular-value lists.
        A name that is not a parameter is an error, unless ``ignore_unused=True`` (one values dict shared by several
        bounds). Values outside the assumptions are refused (:mod:`schattheory.numerics.domain`); ``dps`` is at most
        :data:`MAX_DPS`.
        """
        dps = _check_dps(dps)
        vals = self._values(values, ignore_unused)
        expr = self.expr if side == "rhs" else self.lhs
        if not isinstance(expr, sp.Basic):
            raise InputError("side", side, f"{self.key} has no symbolic left-hand side")
        scalars = tuple(s for s in self.params if not isinstance(s, sp.MatrixSymbol))
        check_scalar_values(
            self.key,
            scalars,
            self.assumptions,
            {k: v for k, v in vals.items() if not isinstance(k, sp.MatrixSymbol)},
            dps,
        )
        mats = {m: vals.pop(m) for m in list(vals) if isinstance(m, sp.MatrixSymbol)}
        if mats or self.matrices():
            expr = self._substitute_spectra(expr, mats, vals, dps)
        params = tuple(s for s in self.params if not isinstance(s, sp.MatrixSymbol) and s in expr.free_symbols)
        missing = [str(s) for s in params if s not in vals]
        if missing:
            raise InputError("values", sorted(map(str, vals)), f"missing {missing} for {self.key}")
        return _evaluate_checked(self.key, expr, params, vals, dps)

    def _substitute_spectra(self, expr, mats, vals, dps):
        """Replace spectral functions by their values on the given spectra.

        A spectral function of a matrix *expression* (``SchattenNorm(A + B, p)``, ``SchattenNorm(A*C, p)``) needs the
        matrices themselves: the expression is formed in float64 (:mod:`schattheory.numerics.matrix_expr`) and its
        singular values are computed like those of a given matrix.
        """
        import numpy as np

        from schattheory.numerics.matrix import singular_values
        from schattheory.numerics.matrix_expr import evaluate_matrix_expression
        from schattheory.numerics.schatten import SpectralFunction, spectral_values

        spectra = {}
        for mat in self.matrices():
            if mat not in mats:
                raise InputError("values", mat, f"{self.key} needs a matrix or singular values for {mat}")
            value = mats[mat]
            arr = np.asarray(value, dtype=object if isinstance(value, list) else None)
            spectra[mat] = value if arr.ndim == 1 else singular_values(np.asarray(value, dtype=float))
        for fn in sp.sympify(expr).atoms(SpectralFunction):
            arg = fn.args[0]
            if not isinstance(arg, sp.MatrixSymbol) and arg not in spectra:
                spectra[arg] = singular_values(evaluate_matrix_expression(arg, mats, vals))
        return spectral_values(expr, spectra, vals, dps=dps)

    def numeric(self, backend: str = "numpy"):
        """A cached evaluator of ``expr`` with positional arguments in ``params`` order.

        ``"numpy"``: float64, vectorised; ``"mpmath"``: keyword ``dps`` (default 50).
        """
        from schattheory.numerics.backends import mpmath_evaluator, numpy_evaluator

        if self.expr.atoms(sp.MatrixSymbol):
            raise InputError("backend", backend, f"{self.key} speaks of matrices; use evaluate() with their spectra")
        params = tuple(s for s in self.params if not isinstance(s, sp.MatrixSymbol))
        if backend == "numpy":
            return _checked_numpy(self.key, self.expr, params, self.assumptions, numpy_evaluator(self.expr, params))
        if backend == "mpmath":
            mpmath_evaluator(self.expr, params)  # build (and cache) now: a bad expression fails here, not at a call
            key, expr, assumptions = self.key, self.expr, self.assumptions

            def evaluate(*values, dps: int = 50):
                if len(values) != len(params):
                    raise InputError("values", len(values), f"expected {len(params)} values for {params}")
                vals = dict(zip(params, values))
                check_scalar_values(key, params, assumptions, vals, _check_dps(dps))
                return _evaluate_checked(key, expr, params, vals, dps)

            evaluate.params = params
            return evaluate
        raise InputError("backend", backend, "must be 'numpy' or 'mpmath'")

    def holds_at(self, values, dps: int = 50, rtol=None) -> bool:
        """Whether ``lhs relation expr`` holds at ``values`` (to a relative slack of 10^-(dps-5) by default)."""
        import mpmath

        left = self.evaluate(values, dps, side="lhs")
        right = self.evaluate(values, dps)
        with mpmath.workdps(dps):
            # purely relative slack: an absolute floor would let any statement about tiny values pass vacuously
            slack = (rtol if rtol is not None else mpmath.mpf(10) ** (5 - dps)) * max(abs(left), abs(right))
            return {
                "<=": left <= right + slack,
                "<": left < right + slack,
                ">=": left + slack >= right,
                "==": abs(left - right) <= slack,
            }[self.relation]

    # ---- symbolic operations ---------------------------------------------------------------------------------
    def limit(self, symbol, point, direction=None, *, timeout=20.0, at=None, assume=None):
        """The limit of ``expr`` (symbolic within ``timeout``, else numeric at ``at`` or the example point), under
        the bound's assumptions, ``assume`` and those of an enclosing
        :func:`schattheory.foundation.assumptions.assuming`."""
        from schattheory.numerics.limits import timed_limit

        symbol = self._param(symbol, "symbol")
        point = self._parse(point, "point")
        at = dict(at) if at is not None else {k: v for k, v in self.example if k != symbol}
        return timed_limit(
            self.expr, symbol, point, direction, timeout=timeout, at=at, assume=self.assumptions + tuple(assume or ())
        )

    def subs(self, mapping, *, key: str | None = None, title: str | None = None) -> "Bound":
        """The bound with symbols replaced; parameters follow, limits in substituted symbols are dropped."""
        if not hasattr(mapping, "items"):
            raise InputError("mapping", type(mapping).__name__, "must be a mapping of parameters to values")
        mapping = {self._param(k, "mapping"): self._parse(v, "mapping") for k, v in dict(mapping).items()}
        expr = self.expr.subs(mapping)
        lhs = self.lhs.subs(mapping) if isinstance(self.lhs, sp.Basic) else self.lhs
        new_free = set(expr.free_symbols) | (lhs.free_symbols if isinstance(lhs, sp.Basic) else set())
        params = [s for s in self.params if s not in mapping and (s in new_free or isinstance(s, sp.MatrixSymbol))]
        params += sorted(
            (new_free - set(params) - set(self.params)) - {x for mat in self.matrices() for x in mat.shape}, key=str
        )
        limits = tuple(
            replace(lim, value=lim.value.subs(mapping), of=lim.of.subs(mapping) if lim.of is not None else None)
            for lim in self.limits
            if lim.symbol not in mapping
        )
        assumptions = tuple(a for a in (c.subs(mapping) for c in self.assumptions) if a is not sp.true)
        example = {k: v for k, v in self.example if k not in mapping}
        return replace(
            self,
            key=key or f"{self.key}[{', '.join(f'{k}={v}' for k, v in mapping.items())}]",
            expr=expr,
            lhs=lhs,
            params=tuple(params),
            limits=limits,
            assumptions=assumptions,
            example=_freeze_map(example),
            title=title or self.title,
        )

    def _param(self, symbol, argument: str):
        """A parameter given as a symbol or its name (never evaluated)."""
        by_name = {str(s): s for s in self.params}
        if symbol in self.params:
            return symbol
        name = symbol if isinstance(symbol, str) else getattr(symbol, "name", None)
        if name in by_name:
            return by_name[name]
        raise InputError(argument, symbol, f"is not a parameter of {self.key} ({', '.join(by_name)})")

    def _parse(self, value, argument: str):
        """A value as SymPy: SymPy objects and numbers as they are, strings parsed without evaluating code over the
        names of the statement and the toolkit's symbols (:mod:`schattheory.foundation.safe_parse`)."""
        from schattheory.foundation.safe_parse import to_sympy

        names = {**_toolkit_symbols(), **{str(s): s for s in self.params if isinstance(s, sp.Symbol)}}
        return to_sympy(value, names, argument=argument)

    def statement(self):
        """The statement as a SymPy relational (when the left-hand side is symbolic)."""
        if not isinstance(self.lhs, sp.Basic):
            raise InputError("lhs", self.lhs, f"{self.key} has no symbolic left-hand side")
        return RELATIONS[self.relation](self.lhs, self.expr, evaluate=False)

    def latex(self, **settings) -> str:
        """LaTeX of the statement (``lhs \\leq expr``), or of ``expr`` alone when the lhs is text."""
        from schattheory.foundation.latex_names import latex as _latex

        rhs = _latex(self.expr, **settings)
        if isinstance(self.lhs, sp.Basic):
            rel = {"<=": r"\leq", "==": "=", ">=": r"\geq", "<": "<"}[self.relation]
            return f"{_latex(self.lhs, **settings)} {rel} {rhs}"
        if self.lhs:
            rel = {"<=": r"\leq", "==": "=", ">=": r"\geq", "<": "<"}[self.relation]
            return f"{self.lhs} {rel} {rhs}"
        return rhs

    def summary(self) -> str:
        return f"{self.key}  [{self.status.value}]  {self.title}  ({self.provenance.short()})"


def _evaluate_checked(key, expr, params, vals, dps):
    """``expr`` at ``vals`` (assumptions already checked); a removable singularity gives its limit."""
    import mpmath

    from schattheory.numerics.backends import mpmath_evaluator

    args = [vals[s] for s in params]
    try:
        out = mpmath_evaluator(expr, params)(*args, dps=dps)
        if not (isinstance(out, mpmath.mpf) and mpmath.isnan(out)):
            return out
    except ZeroDivisionError:
        pass
    lim = removable_limit(expr, params, vals, dps)
    if lim is None:
        point = ", ".join(f"{s}={vals[s]}" for s in params)
        raise InputError(
            "values",
            point,
            f"{key} is undefined there (0/0 or a division by zero with no limit) although its stated assumptions hold",
        )
    with mpmath.workdps(dps):
        return +lim


def _checked_numpy(key, expr, params, assumptions, fn):
    """The vectorised evaluator with the assumptions checked on its arguments (one comparison per assumption)."""
    import numpy as np

    def evaluate(*args):
        if len(args) != len(params):
            raise InputError("values", len(args), f"expected {len(params)} values for {params}")
        check_array_values(key, params, assumptions, args)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = fn(*args)
        bad = np.isnan(out)
        if bad.any():  # 0/0 at a removable singularity: its limit, point by point (rare: exact boundary values)
            out = np.array(out, dtype=float)
            full = np.broadcast_arrays(*[np.asarray(a, dtype=float) for a in args], out)
            for at in np.flatnonzero(bad)[:_MAX_SINGULAR_POINTS]:
                vals = {s: float(full[i].flat[at]) for i, s in enumerate(params)}
                lim = removable_limit(expr, params, vals, 30)
                if lim is not None:
                    out.flat[at] = float(lim)
            if out.ndim == 0:
                out = out[()]
        return out

    evaluate.params = params
    return evaluate


#: at most this many 0/0 points of one vectorised call are replaced by their limits (each costs a SymPy limit)
_MAX_SINGULAR_POINTS = 16
