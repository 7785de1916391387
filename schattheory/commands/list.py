"""`schattheory list`: every registered key with its provenance status and citation."""
from __future__ import annotations

import json


def add_parser(sub):
    p = sub.add_parser("list", help="list registered lemmas and bounds")
    p.add_argument("prefix", nargs="?", default="", help="only keys starting with this")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..registry import all_bounds

    bounds = all_bounds(args.prefix)
    if not bounds:
        raise ValueError(f"prefix={args.prefix!r}: no registered key starts with it")
    if args.json:
        rows = [{"key": b.key, "kind": b.kind, "mode": b.mode, "status": b.status.value, "title": b.title,
                 "source": b.provenance.short()} for b in bounds]
        print(json.dumps(rows, indent=2))
        return 0
    width = max(len(b.key) for b in bounds)
    for b in bounds:
        cites = "; ".join(c.short() for c in b.provenance.citations) or (
            "from " + ", ".join(b.provenance.derived_from) if b.provenance.derived_from else "(no source cited)")
        print(f"{b.key:<{width}}  {b.status.value:<13}  {cites}")
    from ..provenance import Status

    print(f"\n{len(bounds)} registered; status: {' / '.join(s.value for s in Status)}")
    return 0
