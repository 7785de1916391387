"""`schattheory claims [--json | --markdown] [--ids C01 ...]`: the claims audit with verdicts and evidence."""
from __future__ import annotations

import json


def add_parser(sub):
    p = sub.add_parser("claims", help="audit the claims C01..C14 about the paper against the encoded bounds")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="every result with its evidence, as JSON on stdout")
    fmt.add_argument("--markdown", action="store_true", help="the audit table in Markdown")
    p.add_argument("--ids", nargs="+", metavar="ID", help="only these claims (e.g. C04 C06)")
    p.add_argument("--timeout", type=float, default=20.0, help="time budget per symbolic limit, seconds")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..claims import audit, markdown_table
    from ..errors import InputError

    if args.timeout <= 0:
        raise InputError("--timeout", args.timeout, "must be > 0 seconds")
    results = audit(args.ids, timeout=args.timeout)
    if args.json:
        print(json.dumps([r.to_dict() for r in results], indent=2))
    elif args.markdown:
        print(markdown_table(results))
    else:
        width = max(len(r.verdict) for r in results)
        for r in results:
            print(f"{r.id}  {r.verdict:<{width}}  {r.text}")
            print(f"     convention: {r.convention}")
            print(f"     derivation: {r.derivation}")
            print(f"     checked against: {', '.join(r.checked_against)}")
        counts = {}
        for r in results:
            counts[r.verdict] = counts.get(r.verdict, 0) + 1
        print("\n" + ", ".join(f"{v}: {n}" for v, n in counts.items()))
    return 0
