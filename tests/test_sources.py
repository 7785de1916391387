"""Every source the code cites can be opened: SOURCES.md describes each tag it is cited by, and nothing points at
notes that are not in the repository."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (ROOT / "schattheory" / "SOURCES.md").read_text(encoding="utf-8")
FILES = [
    f
    for pattern in (
        "schattheory/**/*.py",
        "tests/*.py",
        "proofs/**/*.tex",
        "proofs/**/*.py",
        "notebooks/*.ipynb",
        "README.md",
        "examples/*.py",
    )
    for f in ROOT.glob(pattern)
    if f.name != "test_sources.py"
]


def test_no_reference_to_notes_outside_the_repository():
    outside = re.compile(r"paper-notes|classical-notes|soundness-notes|seed-paper|\bclaims\.md\b")
    hits = [f"{f.relative_to(ROOT)}: {m.group(0)}" for f in FILES for m in outside.finditer(f.read_text("utf-8"))]
    assert hits == []


def test_every_cited_tag_is_described():
    described = set(re.findall(r"\*\*\[([A-Za-z0-9.]+)\]", SOURCES))
    cited = {tag for f in FILES for tag in re.findall(r"SOURCES\.md \[([A-Za-z0-9.]+)\]", f.read_text("utf-8"))}
    cited |= {
        tag
        for f in FILES
        for tag in re.findall(r"SOURCES\.md \[[A-Za-z0-9.]+\], \[([A-Za-z0-9.]+)\]", f.read_text("utf-8"))
    }
    assert cited, "the code cites SOURCES.md"
    assert cited - described - {"D"} == set()  # [D]: derived here (SOURCES.md says so)
