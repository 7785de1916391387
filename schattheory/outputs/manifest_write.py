"""Regenerate the registry manifest: ``python -m schattheory.outputs.manifest_write`` (see
:mod:`schattheory.foundation.manifest`).

Run it in a fresh process after adding, removing or changing a registered statement; ``--check`` exits 1 when the
shipped manifest's entries differ from a fresh build (what tests/test_registry_manifest.py asserts).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from schattheory.core import proof_cache, registry
from schattheory.core.statement_text import text_lines
from schattheory.foundation import manifest


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m schattheory.outputs.manifest_write", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--check", action="store_true", help="compare with the shipped manifest, write nothing")
    parser.add_argument("--stdout", action="store_true", help="print the manifest instead of writing it")
    args = parser.parse_args(argv)
    with proof_cache.off():  # every claim proved afresh, so that every outcome is recorded
        data = registry.build_manifest(lambda b: {"show": "\n".join(text_lines(b))})
    text = json.dumps(data, indent=1, sort_keys=True) + "\n"
    path = os.path.join(manifest.PACKAGE_DIR, "data", manifest.SHIPPED)
    if args.check:
        with open(path) as fh:
            shipped = json.load(fh)
        same = all(shipped.get(k) == data[k] for k in ("entries", "modules", "network_families"))
        print(
            "the shipped manifest matches the registry"
            if same
            else "the shipped manifest is out of date: run python -m schattheory.outputs.manifest_write",
            file=sys.stderr,
        )
        return 0 if same else 1
    if args.stdout:
        sys.stdout.write(text)
        return 0
    with open(path, "w") as fh:
        fh.write(text)
    proof_cache.write(proof_cache.recorded())
    print(
        f"wrote {len(data['entries'])} entries to {path} and {len(proof_cache.recorded())} verdicts to "
        f"{proof_cache.FILE}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
