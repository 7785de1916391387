"""Markdown pieces: tables and number formats shared by the report's sections.

>>> print(table(["a", "||A||_F"], [[1, 2.5]]))
| a | \\|\\|A\\|\\|_F |
|---|---|
| 1 | 2.5 |
>>> fmt(123456.789), fmt(0.000123), fmt(None)
('1.23e+05', '0.000123', 'n/a')
"""

from __future__ import annotations

import math

__all__ = ["table", "fmt", "render"]


def fmt(x, digits: int = 3) -> str:
    """A number in at most ``digits`` significant digits; None and NaN as n/a."""
    if x is None:
        return "n/a"
    if isinstance(x, bool) or isinstance(x, int):
        return str(x)
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if math.isnan(v):
        return "n/a"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:.{digits}g}"


def _cell(x) -> str:
    text = x if isinstance(x, str) else fmt(x)
    return text.replace("|", "\\|").replace("\n", " ")


def table(header, rows) -> str:
    lines = ["| " + " | ".join(_cell(str(h)) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def render(title: str, intro: str, sections) -> str:
    """The whole report: title, introduction, a contents list saying which sections are unavailable, then each."""
    out = [f"# {title}", "", intro.strip(), "", "## Contents", ""]
    for s in sections:
        note = "" if s.available else " (unavailable: see the section)"
        out.append(f"- [{s.title}](#{s.key}){note}")
    out.append("")
    for s in sections:
        out += [f'<a id="{s.key}"></a>', "", f"## {s.title}", "", s.body().rstrip(), ""]
        for fname, caption in s.figures:
            out += [f"![{caption}]({fname})", "", f"*{caption}*", ""]
    return "\n".join(out).rstrip() + "\n"
