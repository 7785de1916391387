r"""A statement as plain text: what ``schattheory show KEY`` prints and the registry's manifest stores.

It lives in the statement core (not with the command) because the registry, which derives a manifest at run time
when the shipped one is stale, must store the same text the command prints.
"""

from __future__ import annotations

import re

__all__ = ["plain", "text_lines"]

_GREEK = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta kappa lambda mu nu xi pi rho sigma tau phi "
    "varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega ell"
).split()
_WORDS = {
    r"\le": "<=",
    r"\leq": "<=",
    r"\ge": ">=",
    r"\geq": ">=",
    r"\cdots": "...",
    r"\ldots": "...",
    r"\cdot": "*",
    r"\star": "*",
    r"\|": "||",
    r"\,": " ",
    r"\ ": " ",
    r"\;": " ",
    r"\in": " in ",
    r"\Pr": "Pr",
    r"\ln": "ln",
    r"\log": "log",
    r"\min": "min",
    r"\max": "max",
    r"\sum": "sum",
    r"\left": "",
    r"\right": "",
    r"\infty": "oo",
}


def plain(tex: str) -> str:
    r"""A LaTeX fragment (a left-hand side) written in plain ASCII.

    >>> plain(r"\Pr[\text{error}] - \hat R_\gamma")
    'Pr[error] - R^_gamma'
    >>> plain(r"\ln\mathcal{N}(\mathcal{F}_\ell,\varepsilon)\ \text{(dominant, logs dropped)}")
    'ln N(F_l,epsilon) (dominant, logs dropped)'
    """
    out = tex
    for word in sorted(_WORDS, key=len, reverse=True):
        spaced = _WORDS[word] + "\0" if word[-1].isalpha() and _WORDS[word] else _WORDS[word]
        out = re.sub(re.escape(word) + (r"(?![A-Za-z])" if word[-1].isalpha() else ""), spaced, out)
    out = re.sub(r"\\(?:text|mathrm|operatorname|mathbb|mathcal|mathfrak|mathbf|mathit)\s*\{([^{}]*)\}", r"\1", out)
    out = re.sub(r"\\(?:hat|widehat)\s*\{([^{}]*)\}", r"\1^", out)
    out = re.sub(r"\\(?:hat|widehat)\s+([A-Za-z])", r"\1^", out)
    out = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"(\1)/(\2)", out)
    out = re.sub(
        r"\\(" + "|".join(_GREEK) + r")(?![A-Za-z])",
        lambda m: {"ell": "l", "varepsilon": "epsilon", "varphi": "phi"}.get(m.group(1), m.group(1)),
        out,
    )
    out = re.sub(r"\\[A-Za-z]+", "", out)  # any other command: dropped rather than printed as LaTeX
    for _ in range(3):  # scripts: x_{i+1} -> x_(i+1), x^{p} -> x^p
        out = re.sub(
            r"([_^])\{([^{}]*)\}",
            lambda m: m.group(1) + (m.group(2) if len(m.group(2).strip()) == 1 else f"({m.group(2).strip()})"),
            out,
        )
    out = out.replace("{", "").replace("}", "").replace("\\", "")
    out = re.sub(r"\0(?=[A-Za-z0-9])", " ", out).replace("\0", "")  # a space only where a word follows
    return re.sub(r"  +", " ", out).strip()


def text_lines(b) -> list:
    """The plain-text description of a Bound: what ``show KEY`` prints, and what the registry's manifest stores so
    that ``show`` answers without building the statement (the shipped manifest and one derived at run time alike)."""
    import sympy as sp

    out = [f"{b.key}: {b.title}", f"  status      {b.status.value} ({b.provenance.describe()})"]
    out += [f"  source      {c.short()}" for c in b.provenance.citations]
    if b.provenance.derived_from:
        out.append(f"  derived     from {', '.join(b.provenance.derived_from)}")
    lhs = sp.sstr(b.lhs) if isinstance(b.lhs, sp.Basic) else (plain(b.lhs) if b.lhs else "value")
    out.append(f"  statement   {lhs} {b.relation} {sp.sstr(b.expr)}")
    out.append(f"  params      {', '.join(map(str, b.params))}")
    if b.mode:
        out.append(f"  mode        {b.mode}")
    out += [f"  assumes     {sp.sstr(a)}" for a in b.assumptions]
    # a declared limit is shown with its verdict (schattheory.core.limit_check), never as an unchecked fact
    out += [f"  limit       {v.limit.describe()} [{v.describe()}]" for v in b.limit_checks()]
    if b.provenance.note:
        out.append(f"  note        {b.provenance.note}")
    if b.notes:
        out.append(f"  notes       {b.notes}")
    return out
