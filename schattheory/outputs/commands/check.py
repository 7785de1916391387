"""`schattheory check [KEY ...|--all] [--json]`: attack statements with the falsifier (schattheory.analysis.falsifier).

Each statement is refuted (a counterexample confirmed at 50 digits, or a wrong declared limit), survives the
attack (nothing found within the budget: evidence, not proof) or is unchecked (its left side is text; the reason
is given). Progress goes to stderr, the result to stdout (``--json``: one object with every verdict). Exit status
1 when anything is refuted, 2 on bad input.
"""

from __future__ import annotations

import json
import sys
import time

from schattheory.foundation.errors import InputError

#: seconds of search per statement (``--budget``); tuned so that ``check --all`` stays within minutes
DEFAULT_BUDGET = 5.0


def add_parser(sub):
    p = sub.add_parser(
        "check",
        help="attack registered statements with the falsifier",
        description="Search for counterexamples: adversarial points for computable statements, "
        "proven packing/volume lower bounds for covering numbers, exact and Monte-Carlo "
        "values for Rademacher complexities of linear classes; declared limits verified.",
    )
    p.add_argument("keys", nargs="*", metavar="KEY", help="statements to check (or a prefix ending in '.')")
    p.add_argument("--all", action="store_true", help="every registered statement")
    p.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    p.add_argument(
        "--budget",
        default=str(DEFAULT_BUDGET),
        metavar="SECONDS",
        help=f"search time per statement (default {DEFAULT_BUDGET})",
    )
    p.add_argument("--seed", default="0", metavar="N", help="random seed (default 0)")
    p.set_defaults(run=run)


def _number(name, text, kind):
    try:
        value = kind(text)
    except (TypeError, ValueError):
        raise InputError(name, text, f"must be {'an integer' if kind is int else 'a number'}") from None
    if kind is float and not (value > 0 and value < 3600):
        raise InputError(name, text, "must be a number of seconds in (0, 3600)")
    if kind is int and value < 0:
        raise InputError(name, text, "must be a non-negative integer")
    return value


def _selected(args) -> list:
    from schattheory.core.registry import get, keys

    if args.all and args.keys:
        raise InputError("--all", "with keys", "give either KEY ... or --all")
    if not args.all and not args.keys:
        raise InputError("KEY", "none", "name statements to check, or --all")
    if args.all:
        return keys()
    out = []
    for key in args.keys:
        if key.endswith(".") and keys(key):
            out += keys(key)
        else:
            get(key)  # an unknown key: KeyError with the close matches
            out.append(key)
    return list(dict.fromkeys(out))


def run(args) -> int:
    from schattheory.analysis.falsifier import attack
    from schattheory.core.registry import get

    budget = _number("--budget", args.budget, float)
    seed = _number("--seed", args.seed, int)
    selected = _selected(args)
    verdicts = []
    t0 = time.monotonic()
    tty = sys.stderr.isatty()
    for i, key in enumerate(selected, 1):
        line = f"check [{i}/{len(selected)}] {key}"
        print(("\r\033[K" if tty else "") + line, end="" if tty else "\n", file=sys.stderr, flush=True)
        verdicts.append(attack(get(key), budget, seed))
    if tty:
        print("\r\033[K", end="", file=sys.stderr)
    counts = {o: sum(v.outcome == o for v in verdicts) for o in ("refuted", "survived", "unchecked")}
    elapsed = time.monotonic() - t0
    if args.json:
        print(
            json.dumps(
                {
                    "budget_s": budget,
                    "seed": seed,
                    "seconds": round(elapsed, 2),
                    "counts": counts,
                    "verdicts": [v.as_dict() for v in verdicts],
                },
                indent=2,
            )
        )
    else:
        width = max(len(v.key) for v in verdicts)
        for v in verdicts:
            extra = v.reason if v.outcome == "unchecked" else f"{v.kind}, {v.points} points, {v.seconds:.1f}s"
            print(f"{v.key:<{width}}  {v.outcome:<9}  {extra}")
            if v.counterexample is not None:
                print("    " + str(v.counterexample).replace("\n", "\n    "))
        print(
            f"\n{counts['refuted']} refuted, {counts['survived']} survived the attack, {counts['unchecked']} "
            f"unchecked ({elapsed:.0f}s). 'survived' is evidence, not proof; see README 'What check means'."
        )
    return 1 if counts["refuted"] else 0
