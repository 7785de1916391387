"""`schattheory list`: every registered key with its provenance status and citation."""

from __future__ import annotations

import json


def add_parser(sub):
    p = sub.add_parser("list", help="list registered lemmas and bounds")
    p.add_argument("prefix", nargs="?", default="", help="only keys starting with this")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=run)


def run(args) -> int:
    from schattheory.core.registry import entries

    # metadata from the registry's manifest: no statement is built (see schattheory.foundation.manifest)
    bounds = entries(args.prefix)
    if not bounds:
        raise ValueError(f"prefix={args.prefix!r}: no registered key starts with it")
    if args.json:
        rows = [{k: b[k] for k in ("key", "kind", "mode", "status", "title", "source")} for b in bounds]
        print(json.dumps(rows, indent=2))
        return 0
    width = max(len(b["key"]) for b in bounds)
    for b in bounds:
        cites = "; ".join(b["citations"]) or (
            "from " + ", ".join(b["derived_from"]) if b["derived_from"] else "(no source cited)"
        )
        print(f"{b['key']:<{width}}  {b['status']:<13}  {cites}")
    from schattheory.foundation.provenance import Status

    print(f"\n{len(bounds)} registered; status: {' / '.join(s.value for s in Status)}")
    return 0
