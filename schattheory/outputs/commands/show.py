"""`schattheory show KEY [--latex] [--at NAME=VALUE ...] [--dps D]`: one registered lemma or bound in full.

Plain text by default (SymPy's syntax for formulas, the left-hand side written out in words and ASCII), or LaTeX
with ``--latex`` (the statement, then its assumptions and limits, each a LaTeX formula); never a mix of the two.
``--at`` evaluates the right-hand side at a point (exact numbers: ``p=1/2``, ``N=10000``, ``gamma=0.5``), printed
with ``--dps`` significant digits (default 15), computed at that precision.
"""
from __future__ import annotations

import re

_GREEK = ("alpha beta gamma delta epsilon varepsilon zeta eta theta kappa lambda mu nu xi pi rho sigma tau phi "
          "varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega ell").split()
_WORDS = {r"\le": "<=", r"\leq": "<=", r"\ge": ">=", r"\geq": ">=", r"\cdots": "...", r"\ldots": "...",
          r"\cdot": "*", r"\star": "*", r"\|": "||", r"\,": " ", r"\ ": " ", r"\;": " ", r"\in": " in ",
          r"\Pr": "Pr", r"\ln": "ln", r"\log": "log", r"\min": "min", r"\max": "max", r"\sum": "sum",
          r"\left": "", r"\right": "", r"\infty": "oo"}


def plain(tex: str) -> str:
    r"""A LaTeX fragment (a left-hand side) written in plain ASCII.

    >>> plain(r"\Pr[\text{error}] - \hat R_\gamma")
    'Pr[error] - R^_gamma'
    >>> plain(r"\ln\mathcal{N}(\mathcal{F}_\ell,\varepsilon)\ \text{(dominant, logs dropped)}")
    'ln N(F_l,epsilon) (dominant, logs dropped)'
    """
    out = tex
    for word in sorted(_WORDS, key=len, reverse=True):
        spaced = _WORDS[word] + "\0" if word[-1].isalpha() and _WORDS[word] else _WORDS[word]
        out = re.sub(re.escape(word) + (r"(?![A-Za-z])" if word[-1].isalpha() else ""), spaced, out)
    out = re.sub(r"\\(?:text|mathrm|operatorname|mathbb|mathcal|mathfrak|mathbf|mathit)\s*\{([^{}]*)\}", r"\1", out)
    out = re.sub(r"\\(?:hat|widehat)\s*\{([^{}]*)\}", r"\1^", out)
    out = re.sub(r"\\(?:hat|widehat)\s+([A-Za-z])", r"\1^", out)
    out = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"(\1)/(\2)", out)
    out = re.sub(r"\\(" + "|".join(_GREEK) + r")(?![A-Za-z])",
                 lambda m: {"ell": "l", "varepsilon": "epsilon", "varphi": "phi"}.get(m.group(1), m.group(1)), out)
    out = re.sub(r"\\[A-Za-z]+", "", out)          # any other command: dropped rather than printed as LaTeX
    for _ in range(3):   # scripts: x_{i+1} -> x_(i+1), x^{p} -> x^p
        out = re.sub(r"([_^])\{([^{}]*)\}", lambda m: m.group(1) + (m.group(2) if len(m.group(2).strip()) == 1
                                                                   else f"({m.group(2).strip()})"), out)
    out = out.replace("{", "").replace("}", "").replace("\\", "")
    out = re.sub(r"\0(?=[A-Za-z0-9])", " ", out).replace("\0", "")   # a space only where a word follows
    return re.sub(r"  +", " ", out).strip()


def add_parser(sub):
    p = sub.add_parser("show", help="show one registered lemma or bound")
    p.add_argument("key")
    p.add_argument("--latex", action="store_true", help="print the statement, assumptions and limits as LaTeX")
    p.add_argument("--at", action="append", default=[], metavar="NAME=VALUE",
                   help="evaluate the right-hand side at this point (repeat for every parameter; exact numbers)")
    p.add_argument("--dps", type=int, default=15, metavar="D", help="significant digits of --at (default 15)")
    p.set_defaults(run=run)


def _point(items, bound):
    import sympy as sp

    from schattheory.foundation.errors import InputError

    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InputError("--at", item, "expected NAME=VALUE, e.g. p=1/2")
        try:
            out[name.strip()] = sp.Rational(value.strip())     # exact: "0.5" is 1/2, never a float
        except (TypeError, ValueError):
            raise InputError("--at", item, "VALUE must be a number such as 3, 0.5 or 1/2") from None
    return out


def _value(args, bound):
    import mpmath

    from schattheory.foundation.errors import InputError

    if not 1 <= args.dps <= 1000:
        raise InputError("--dps", args.dps, "must lie in 1..1000")
    value = bound.evaluate(_point(args.at, bound), dps=args.dps + 5)
    with mpmath.workdps(args.dps + 5):
        return mpmath.nstr(value, args.dps)


def text_lines(b) -> list:
    """The plain-text description of a Bound (what ``show KEY`` prints; also stored in the registry's manifest, so
    that ``show`` answers without building the statement while the manifest is current)."""
    import sympy as sp

    out = [f"{b.key}: {b.title}", f"  status      {b.status.value} ({b.provenance.describe()})"]
    out += [f"  source      {c.short()}" for c in b.provenance.citations]
    if b.provenance.derived_from:
        out.append(f"  derived     from {', '.join(b.provenance.derived_from)}")
    lhs = sp.sstr(b.lhs) if isinstance(b.lhs, sp.Basic) else (plain(b.lhs) if b.lhs else "value")
    out.append(f"  statement   {lhs} {b.relation} {sp.sstr(b.expr)}")
    out.append(f"  params      {', '.join(map(str, b.params))}")
    if b.mode:
        out.append(f"  mode        {b.mode}")
    out += [f"  assumes     {sp.sstr(a)}" for a in b.assumptions]
    # a declared limit is shown with its verdict (schattheory.core.limit_check), never as an unchecked fact
    out += [f"  limit       {v.limit.describe()} [{v.describe()}]" for v in b.limit_checks()]
    if b.provenance.note:
        out.append(f"  note        {b.provenance.note}")
    if b.notes:
        out.append(f"  notes       {b.notes}")
    return out


def run(args) -> int:
    from schattheory.core.registry import entry

    if not args.latex and not args.at:   # the manifest's stored text: no statement built, no SymPy imported
        cached = entry(args.key)
        if cached is not None and cached.get("show"):
            print(cached["show"])
            return 0

    import sympy as sp  # here, not at module level: building the CLI parser must not import sympy

    from schattheory.core.registry import get
    from schattheory.foundation.latex_names import latex
    from schattheory.foundation.tex_text import escape

    b = get(args.key)
    value = _value(args, b) if args.at else None
    if args.latex:
        print(b.latex())
        for a in b.assumptions:
            print(f"% assumes: {latex(a)}")
        for lim in b.limits:
            arrow = f"{latex(lim.symbol)} \\to {latex(lim.point)}" + ("^{+}" if lim.point == 0 else "")
            print(f"% limit: {latex(lim.of) + ' ' if lim.of is not None else ''}"
                  f"\\longrightarrow {latex(lim.value)} \\text{{ as }} {arrow} "
                  f"\\quad \\text{{({escape(lim.quantity)})}}")
        if value is not None:
            point = ", ".join(f"{name} = {latex(sp.Rational(v))}" for name, v in _point(args.at, b).items())
            print(f"% value at {point}: {value}")
        return 0
    print("\n".join(text_lines(b)))
    if value is not None:
        print(f"  value       {value} (at {', '.join(args.at)}; {args.dps} digits)")
    return 0
