"""`schattheory claims [--json | --markdown] [--ids C01 ...]`: the claims audit with verdicts and evidence.

The audit takes several seconds: one progress line per claim goes to stderr, so that stdout holds only the result
(with --json, only the JSON).
"""

from __future__ import annotations

import json
import sys


def add_parser(sub):
    p = sub.add_parser("claims", help="audit the claims C01..C14 about the paper against the encoded bounds")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="every result with its evidence, as JSON on stdout")
    fmt.add_argument("--markdown", action="store_true", help="the audit table in Markdown")
    p.add_argument("--compact", action="store_true", help="with --markdown: id, claim, verdict and why only")
    p.add_argument("--ids", nargs="+", metavar="ID", help="only these claims (e.g. C04 C06)")
    p.add_argument("--timeout", type=float, default=20.0, help="time budget per symbolic limit, seconds")
    p.set_defaults(run=run)


def _progress(done: int, total: int, result) -> None:
    print(f"[{done}/{total}] {result.id} {result.verdict} ({result.seconds:.1f} s)", file=sys.stderr, flush=True)


def run(args) -> int:
    from schattheory.analysis.claims import audit, markdown_table, text_listing
    from schattheory.foundation.errors import InputError

    if args.timeout <= 0:
        raise InputError("--timeout", args.timeout, "must be > 0 seconds")
    if args.compact and not args.markdown:
        raise InputError("--compact", True, "only applies with --markdown")
    results = audit(args.ids, timeout=args.timeout, progress=_progress)
    if args.json:
        print(json.dumps([r.to_dict() for r in results], indent=2))
    elif args.markdown:
        print(markdown_table(results, compact=args.compact))
    else:
        print(text_listing(results))
    return 0
