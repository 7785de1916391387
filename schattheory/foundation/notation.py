r"""The notation map: the one place that names the letters and macros every LaTeX output uses.

A :class:`Notation` holds

- ``letters``: symbol name -> LaTeX (width ``W``, depth ``L``, rank ``r``, samples ``N``, ...), switchable by role
  (``width="h"``) or by symbol name;
- ``macros``: the macros for the spectral functions (``\schatten{A}{p}`` for :math:`\|A\|_{S_p}`, ...) and for
  :math:`\widetilde{O}` (``\Otilde``), each with its definition, so a document's preamble defines exactly what its
  body uses;
- ``use_macros``: print ``\schatten{A}{p}`` (documents) or the expanded body (the default, self-contained).

The active notation lives in a context variable; :func:`print_latex` (the hook behind ``Bound.latex()``, through
:mod:`schattheory.foundation.latex_names`) prints with it, so switching it changes every output: formulas, theorem
environments, tables and documents.

.. math:: \|A\|_{S_p} = \Big(\sum_i \sigma_i(A)^p\Big)^{1/p}

>>> import sympy as sp
>>> from schattheory.foundation.symbols import W, L, r, p, A
>>> from schattheory.numerics.schatten import SchattenNorm
>>> print_latex(W * r * L**2)
'L^{2} W r'
>>> with use(width="h"):
...     print_latex(W * r * L**2)
'L^{2} h r'
>>> print_latex(sp.Symbol("KL") + sp.Symbol("q_params"))
'\\mathrm{KL} + q_{\\mathrm{params}}'
>>> print_latex(SchattenNorm(A, p) ** 2)
'\\left\\|A\\right\\|_{S_{p}}^{2}'
>>> with use(use_macros=True, schatten=r"\|#1\|_{\mathrm{sc},#2}"):
...     print_latex(SchattenNorm(A, p)), current().preamble()[0]
('\\schatten{A}{p}', '\\newcommand{\\schatten}[2]{\\|#1\\|_{\\mathrm{sc},#2}}')

Reference: the letters follow Ledent, Alves, Lei (2025), abstract (W width, L depth, r rank); the Schatten notation
:math:`\|A\|_{S_p}` follows Bhatia (1997), Ch. IV.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import sympy as sp
from sympy.printing.latex import LatexPrinter

from schattheory.foundation.errors import InputError

#: symbol name -> LaTeX for the foundation's symbols whose names are not their LaTeX; a notation's letters override
SYMBOL_NAMES: dict[str, str] = {
    "epsilon": r"\varepsilon",
    "X_F": r"\|X\|_F",
    "Omega": r"\Omega",
}

__all__ = [
    "SYMBOL_NAMES",
    "Macro",
    "Notation",
    "ROLES",
    "DEFAULT",
    "current",
    "set_notation",
    "use",
    "print_latex",
    "parse_assignments",
]

#: role -> the name of the symbol in :mod:`schattheory.foundation.symbols` that plays it
ROLES = MappingProxyType(
    {
        "width": "W",
        "depth": "L",
        "rank": "r",
        "samples": "N",
        "margin": "gamma",
        "input_norm": "B",
        "data_norm": "X_F",
        "classes": "K",
        "max_width": "h",
        "exponent": "p",
        "confidence": "delta",
        "scale": "epsilon",
        "multiplicity": "Omega",
    }
)


@dataclass(frozen=True)
class Macro:
    r"""A LaTeX macro ``\name`` with ``nargs`` arguments whose definition is ``body`` (``#1``.. ``#nargs``)."""

    name: str
    nargs: int
    body: str
    meaning: str = ""

    def __post_init__(self):
        if not re.fullmatch(r"[A-Za-z]+", self.name):
            raise InputError("macro", self.name, "a macro name is letters only")
        _check_body(self.name, self.body, self.nargs)

    def define(self) -> str:
        """The ``\\newcommand`` line for a preamble."""
        args = f"[{self.nargs}]" if self.nargs else ""
        return f"\\newcommand{{\\{self.name}}}{args}{{{self.body}}}"

    def call(self, *args: str) -> str:
        """``\\name{a1}{a2}``."""
        self._arity(args)
        return f"\\{self.name}" + "".join(f"{{{a}}}" for a in args) + ("" if args else "{}")

    def expand(self, *args: str) -> str:
        """The body with the arguments substituted (what TeX would typeset)."""
        self._arity(args)
        return re.sub(r"#([1-9])", lambda m: args[int(m.group(1)) - 1], self.body)

    def _arity(self, args):
        if len(args) != self.nargs:
            raise InputError("args", args, f"\\{self.name} takes {self.nargs} arguments")


def _check_body(name, body, nargs):
    if not isinstance(body, str) or not body.strip():
        raise InputError(name, body, "needs a non-empty LaTeX body")
    depth = 0
    for i, ch in enumerate(body):
        if ch in "{}" and i and body[i - 1] == "\\":
            continue
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            break
    if depth:
        raise InputError(name, body, "unbalanced braces")
    used = {int(x) for x in re.findall(r"#([0-9])", body)}
    if used - set(range(1, nargs + 1)):
        raise InputError(name, body, f"uses #{max(used)} but the macro takes {nargs} argument(s)")


#: spectral function class name -> (macro name, order of its sympy args as macro arguments)
SPECTRAL = MappingProxyType(
    {
        "SchattenNorm": ("schatten", (0, 1)),
        "SpectralNorm": ("spectralnorm", (0,)),
        "FrobeniusNorm": ("frobnorm", (0,)),
        "NuclearNorm": ("nuclearnorm", (0,)),
        "SingularValue": ("singval", (1, 0)),
        "TailSchattenNorm": ("tailnorm", (0, 1, 2)),
        "MatrixRank": ("rankof", (0,)),
        "RankProxy": ("rankproxy", (1, 0)),
    }
)

_DEFAULT_MACROS = (
    # bodies reproduce the foundation's printers (schattheory.numerics.schatten), so the default output is unchanged
    Macro("schatten", 2, r"\left\|#1\right\|_{S_{#2}}", "Schatten-p (quasi-)norm ||A||_{S_p}"),
    Macro("spectralnorm", 1, r"\left\|#1\right\|_{\sigma}", "spectral norm"),
    Macro("frobnorm", 1, r"\left\|#1\right\|_{F}", "Frobenius norm"),
    Macro("nuclearnorm", 1, r"\left\|#1\right\|_{*}", "nuclear norm"),
    Macro("singval", 2, r"\sigma_{#1}\left(#2\right)", "i-th singular value sigma_i(A)"),
    Macro("tailnorm", 3, r"\left\|#1 - #1_{#2}\right\|_{S_{#3}}", "tail ||A - A_r||_{S_q}"),
    Macro("rankof", 1, r"\operatorname{rank}\left(#1\right)", "rank"),
    Macro("rankproxy", 2, r"r_{#1}\left(#2\right)", "rank proxy sum_i (sigma_i/sigma_1)^p"),
    Macro("Otilde", 0, r"\widetilde{O}", "O up to polylogarithmic factors"),
)


@dataclass(frozen=True)
class Notation:
    """Letters and macros for every LaTeX output; immutable, switched with :meth:`switch` or :func:`use`."""

    letters: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    macros: MappingProxyType = field(default_factory=lambda: MappingProxyType({m.name: m for m in _DEFAULT_MACROS}))
    use_macros: bool = False

    def switch(self, *, symbols=None, use_macros=None, **changes) -> "Notation":
        """A copy with roles (``width="h"``), macros (``schatten=r"\\|#1\\|_{#2}"``) or symbols changed.

        >>> DEFAULT.switch(width="h", depth="D").letter("width")
        'h'
        """
        letters = dict(self.letters)
        macros = dict(self.macros)
        for name, value in {**dict(symbols or {})}.items():
            letters[str(name)] = _check_letter(str(name), value)
        for key, value in changes.items():
            if key in ROLES:
                letters[ROLES[key]] = _check_letter(key, value)
            elif key in macros:
                old = macros[key]
                macros[key] = Macro(old.name, old.nargs, value, old.meaning)
            else:
                known = ", ".join(sorted(ROLES) + sorted(macros))
                raise InputError("notation", key, f"is not a role or macro; known: {known}")
        return replace(
            self,
            letters=MappingProxyType(letters),
            macros=MappingProxyType(macros),
            use_macros=self.use_macros if use_macros is None else bool(use_macros),
        )

    # ---- what outputs ask for ---------------------------------------------------------------------------------
    def letter(self, role: str) -> str:
        """The LaTeX letter of a role (``width`` -> ``W`` by default)."""
        if role not in ROLES:
            raise InputError("role", role, f"known roles: {', '.join(ROLES)}")
        name = ROLES[role]
        return self.symbol_tex(name) or sp.latex(sp.Symbol(name))

    def symbol_tex(self, name: str) -> str | None:
        """LaTeX for a symbol name when the map names it (foundation names, then this notation's)."""
        if name in self.letters:
            return self.letters[name]
        return SYMBOL_NAMES.get(name)

    def macro(self, name: str, *args: str) -> str:
        """``\\name{args}`` in macro style, the expanded body otherwise."""
        try:
            m = self.macros[name]
        except KeyError:
            raise InputError("macro", name, f"known: {', '.join(sorted(self.macros))}") from None
        return m.call(*args) if self.use_macros else m.expand(*args)

    def otilde(self, inner: str) -> str:
        r"""``\widetilde{O}\left(inner\right)`` in this notation."""
        head = self.macro("Otilde")
        return f"{head}\\left({inner}\\right)"

    def preamble(self) -> list[str]:
        """The ``\\newcommand`` lines for every macro (a document defines them all)."""
        return [m.define() for m in self.macros.values()]

    def latex(self, expr, **settings) -> str:
        """Print a SymPy expression with this notation (see :func:`print_latex`)."""
        return print_latex(expr, notation=self, **settings)


def _check_letter(name, value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(name, value, "needs a non-empty LaTeX string")
    _check_body(name, value, 0)
    return value.strip()


DEFAULT = Notation()
_ACTIVE: contextvars.ContextVar[Notation] = contextvars.ContextVar("schattheory_notation", default=DEFAULT)


def current() -> Notation:
    """The active notation."""
    return _ACTIVE.get()


def set_notation(notation: Notation | None = None, **changes) -> Notation:
    """Make ``notation`` (or the current one switched by ``changes``) the active notation; returns it."""
    base = notation if notation is not None else current()
    new = base.switch(**changes) if changes else base
    _ACTIVE.set(new)
    return new


@contextlib.contextmanager
def use(notation: Notation | None = None, **changes):
    """Temporarily switch the active notation: ``with use(width="h"): ...``."""
    base = notation if notation is not None else current()
    token = _ACTIVE.set(base.switch(**changes) if changes else base)
    try:
        yield _ACTIVE.get()
    finally:
        _ACTIVE.reset(token)


def parse_assignments(items) -> dict:
    """``["width=h", "schatten=\\|#1\\|_{#2}"]`` -> ``{"width": "h", ...}`` (the CLI's ``--notation``)."""
    out = {}
    for item in items or ():
        key, sep, value = str(item).partition("=")
        if not sep or not key.strip() or not value.strip():
            raise InputError("--notation", item, "expected ROLE=LATEX or MACRO=BODY, e.g. width=h")
        out[key.strip()] = value.strip()
    return out


class NotationPrinter(LatexPrinter):
    """SymPy's LaTeX printer with the notation's letters and macros; powers of spectral functions print too."""

    def __init__(self, notation: Notation, settings=None):
        # inverse trigonometric functions as mathematicians write them (\arctan, not \operatorname{atan})
        super().__init__({"inv_trig_style": "full", **dict(settings or {})})
        self._notation = notation

    def _print(self, expr, **kwargs):
        from schattheory.numerics.schatten import SpectralFunction

        exp = kwargs.get("exp")
        if isinstance(expr, SpectralFunction) and type(expr).__name__ in SPECTRAL:
            name, order = SPECTRAL[type(expr).__name__]
            tex = self._notation.macro(name, *(self._print(expr.args[i]) for i in order))
            return f"{tex}^{{{exp}}}" if exp is not None else tex
        if exp is not None and hasattr(expr, "_latex") and isinstance(expr, sp.Basic):
            # a custom function's _latex(printer) does not take the exponent SymPy passes for powers of functions
            try:
                return super()._print(expr, **kwargs)
            except TypeError:
                return f"{super()._print(expr)}^{{{exp}}}"
        return super()._print(expr, **kwargs)

    def _print_Pow(self, expr):
        # log(x)**2: SymPy writes \log{\left(x \right)}^{2}, which reads as log(x^2); write \log^{2}\left(x\right)
        base, exp = expr.base, expr.exp
        if (
            isinstance(base, sp.log)
            and len(base.args) == 1
            and exp.is_positive
            and not (exp.is_Rational and exp.p == 1)
        ):
            return self._print_log(base, exp=self._print(exp))
        return super()._print_Pow(expr)

    def _print_log(self, expr, exp=None):
        name = r"\ln" if self._settings["ln_notation"] else r"\log"
        if exp is not None:  # log(x)**k as \log^{k}(x), not \log(x)^{k} (which reads as log(x^k))
            name += "^{%s}" % exp
        return r"%s\left(%s \right)" % (name, self._print(expr.args[0]))

    def _print_Function(self, expr, exp=None):
        # SymPy writes \log{\left(a \right)}: the braces make "\log{(a)} b" read as log(a b) to a parser; the same
        # typesetting without them is unambiguous
        tex = super()._print_Function(expr, exp)
        i = tex.find(r"{\left(")
        if i > 0 and tex.endswith(r" \right)}") and _balanced(tex[i + 1 : -1]):
            tex = tex[:i] + tex[i + 1 : -1]
        return tex

    def _print_Symbol(self, expr, style="plain"):
        given = self._settings["symbol_names"].get(expr)
        if given is not None or isinstance(expr, sp.MatrixSymbol):
            return given if given is not None else super()._print_Symbol(expr, style)
        tex = self._notation.symbol_tex(expr.name)
        if tex is not None:
            return tex
        default = _upright_words(expr.name, super()._print_Symbol(expr, style))
        base = re.split(r"[_^]", expr.name, maxsplit=1)[0]
        renamed = self._notation.letters.get(base)
        if renamed is not None and base != expr.name:
            base_tex = self._deal_with_super_sub(base, style=style)
            if default.startswith(base_tex):  # W_1 -> h_{1} when width is h
                return renamed + default[len(base_tex) :]
        return default


def _balanced(tex: str) -> bool:
    """Whether braces balance and never close below the start (the string is one group's content)."""
    depth = 0
    for i, ch in enumerate(tex):
        if ch in "{}" and i and tex[i - 1] == "\\":
            continue
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def _upright_words(name: str, default: str) -> str:
    """Multi-letter names and subscripts are words: ``\\mathrm{KL}``, ``q_{\\mathrm{params}}`` (SymPy writes KL,
    which reads as K times L)."""
    from sympy.printing.conventions import split_super_sub
    from sympy.printing.latex import translate

    base, sups, subs = split_super_sub(name)

    def is_word(x, shortest):  # two-letter scripts stay italic: they are usually indices (x_ij)
        return len(x) >= shortest and x.isalpha() and translate(x) == x

    if (
        not base.isalpha()
        or translate(base) != base
        or (len(base) == 1 and not any(is_word(x, 3) for x in sups + subs))
    ):
        return default

    def word(x, shortest=3):
        return rf"\mathrm{{{x}}}" if is_word(x, shortest) else translate(x)

    out = word(base, 2)
    if sups:
        out += "^{%s}" % " ".join(word(x) for x in sups)
    if subs:
        out += "_{%s}" % " ".join(word(x) for x in subs)
    return out


def print_latex(expr, *, notation: Notation | None = None, **settings) -> str:
    """LaTeX of ``expr`` in ``notation`` (the active one by default).

    Refuses a notation under which two different symbols of ``expr`` would print the same.
    """
    notation = notation if notation is not None else current()
    expr = sp.sympify(expr)
    printer = NotationPrinter(notation, settings)
    syms = [s for s in getattr(expr, "free_symbols", ()) if isinstance(s, sp.Symbol)]
    if len(syms) > 1:
        seen = {}
        for s in sorted(syms, key=str):
            tex = printer._print(s)
            if tex in seen and seen[tex] != s.name:
                raise InputError("notation", tex, f"symbols {seen[tex]} and {s.name} would both print as {tex}")
            seen[tex] = s.name
    return printer.doprint(expr)
