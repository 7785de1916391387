"""`schattheory show KEY [--latex] [--at NAME=VALUE ...] [--dps D]`: one registered lemma or bound in full.

Plain text by default (SymPy's syntax for formulas, the left-hand side written out in words and ASCII), or LaTeX
with ``--latex`` (the statement, then its assumptions and limits, each a LaTeX formula); never a mix of the two.
``--at`` evaluates the right-hand side at a point (exact numbers: ``p=1/2``, ``N=10000``, ``gamma=0.5``), printed
with ``--dps`` significant digits (default 15), computed at that precision.
"""

from __future__ import annotations

from schattheory.core.statement_text import text_lines


def add_parser(sub):
    p = sub.add_parser("show", help="show one registered lemma or bound")
    p.add_argument("key")
    p.add_argument("--latex", action="store_true", help="print the statement, assumptions and limits as LaTeX")
    p.add_argument(
        "--at",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="evaluate the right-hand side at this point (repeat for every parameter; exact numbers)",
    )
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
            out[name.strip()] = sp.Rational(value.strip())  # exact: "0.5" is 1/2, never a float
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


def run(args) -> int:
    from schattheory.core.registry import entry

    if not args.latex and not args.at:  # the manifest's stored text: no statement built, no SymPy imported
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
            print(
                f"% limit: {latex(lim.of) + ' ' if lim.of is not None else ''}"
                f"\\longrightarrow {latex(lim.value)} \\text{{ as }} {arrow} "
                f"\\quad \\text{{({escape(lim.quantity)})}}"
            )
        if value is not None:
            point = ", ".join(f"{name} = {latex(sp.Rational(v))}" for name, v in _point(args.at, b).items())
            print(f"% value at {point}: {value}")
        return 0
    print("\n".join(text_lines(b)))
    if value is not None:
        print(f"  value       {value} (at {', '.join(args.at)}; {args.dps} digits)")
    return 0
