"""`schattheory show KEY [--latex]`: one registered lemma or bound in full."""
from __future__ import annotations


def add_parser(sub):
    p = sub.add_parser("show", help="show one registered lemma or bound")
    p.add_argument("key")
    p.add_argument("--latex", action="store_true", help="print the statement as LaTeX")
    p.set_defaults(run=run)


def run(args) -> int:
    import sympy as sp  # here, not at module level: building the CLI parser must not import sympy

    from ..registry import get

    b = get(args.key)
    if args.latex:
        print(b.latex())
        return 0
    print(f"{b.key}: {b.title}")
    print(f"  status      {b.status.value} ({b.provenance.describe()})")
    for c in b.provenance.citations:
        print(f"  source      {c.short()}")
    if b.provenance.derived_from:
        print(f"  derived     from {', '.join(b.provenance.derived_from)}")
    lhs = sp.sstr(b.lhs) if isinstance(b.lhs, sp.Basic) else (b.lhs or "value")
    print(f"  statement   {lhs} {b.relation} {sp.sstr(b.expr)}")
    print(f"  params      {', '.join(map(str, b.params))}")
    if b.mode:
        print(f"  mode        {b.mode}")
    for a in b.assumptions:
        print(f"  assumes     {sp.sstr(a)}")
    for lim in b.limits:
        print(f"  limit       {lim.describe()}")
    if b.provenance.note:
        print(f"  note        {b.provenance.note}")
    if b.notes:
        print(f"  notes       {b.notes}")
    return 0
