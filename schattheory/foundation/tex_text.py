r"""Plain text into LaTeX that pdflatex (OT1 fonts, UTF-8 input) typesets without error.

Titles, claim texts, locators and evidence are plain text, often with ASCII or Unicode mathematics in them
("O~(W r L^2)", "p→0", "‖A‖"). :func:`escape` escapes TeX's special characters and maps the Unicode symbols that
LaTeX's UTF-8 input does not know to math-mode equivalents, so nothing in them can break a document.

>>> escape("O~(W r L^2) & 50% of #1_a")
'O\\textasciitilde{}(W r L\\textasciicircum{}2) \\& 50\\% of \\#1\\_a'
>>> escape("p→0, σ ≤ ‖A‖")
'p$\\to$0, $\\sigma$ $\\leq$ $\\|$A$\\|$'
>>> escape("a<b|c")
'a$<$b$|$c'

Reference: the special characters are those of Lamport, *LaTeX: A Document Preparation System* (1994), Sec. 2.2.1.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "escape",
    "escape_text",
    "escape_breakable",
    "breakable_key",
    "cite_command",
    "cite_keys",
    "text_mode_problems",
]

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"$\$$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "<": "$<$",
    ">": "$>$",
    "|": "$|$",
}

# Unicode that LaTeX's utf8 input leaves undefined: mathematical symbols in math mode, typography as text
_UNICODE = {
    "→": r"\to",
    "←": r"\leftarrow",
    "⇒": r"\Rightarrow",
    "⇔": r"\Leftrightarrow",
    "↦": r"\mapsto",
    "≤": r"\leq",
    "≥": r"\geq",
    "≠": r"\neq",
    "≈": r"\approx",
    "≍": r"\asymp",
    "≲": r"\lesssim",
    "≳": r"\gtrsim",
    "∼": r"\sim",
    "∞": r"\infty",
    "√": r"\surd",
    "∑": r"\sum",
    "∏": r"\prod",
    "∫": r"\int",
    "∈": r"\in",
    "∉": r"\notin",
    "⊂": r"\subset",
    "⊆": r"\subseteq",
    "∘": r"\circ",
    "·": r"\cdot",
    "×": r"\times",
    "±": r"\pm",
    "∓": r"\mp",
    "‖": r"\|",
    "ℓ": r"\ell",
    "∂": r"\partial",
    "∇": r"\nabla",
    "∀": r"\forall",
    "∃": r"\exists",
    "⌈": r"\lceil",
    "⌉": r"\rceil",
    "⌊": r"\lfloor",
    "⌋": r"\rfloor",
    "⟨": r"\langle",
    "⟩": r"\rangle",
    "Õ": r"\widetilde{O}",
    "ℝ": r"\mathbb{R}",
    "ℕ": r"\mathbb{N}",
    "⁺": r"^{+}",
    "⁻": r"^{-}",
    "²": r"^{2}",
    "³": r"^{3}",
    "¹": r"^{1}",
    "⁰": r"^{0}",
    "½": r"\tfrac{1}{2}",
    "₀": r"_{0}",
    "₁": r"_{1}",
    "₂": r"_{2}",
    "−": "-",
    "ϵ": r"\epsilon",
    "ε": r"\varepsilon",
    "φ": r"\varphi",
}
_TEXT_UNICODE = {
    "–": "--",
    "—": "---",
    "‘": "`",
    "’": "'",
    "“": "``",
    "”": "''",
    "…": r"\dots{}",
    "\u00a0": " ",
    "\u00ad": r"\-",
    # Latin-1 letters and guillemets that OT1 fonts lack (they need T1)
    "«": "``",
    "»": "''",
    "Ð": "D",
    "Þ": "Th",
    "ð": "d",
    "þ": "th",
}
# (\S, \P, \pounds and a text-mode \$ come from TS1 too: math-mode versions use the Type 1 math fonts)
_LATIN1_SYMBOLS = {
    "°": r"$^{\circ}$",
    "µ": r"$\mu$",
    "§": r"$\S$",
    "¶": r"$\P$",
    "¬": r"$\neg$",
    "÷": r"$\div$",
    "¼": r"$\tfrac{1}{4}$",
    "¾": r"$\tfrac{3}{4}$",
    "¡": "!`",
    "¿": "?`",
    "©": "(c)",
    "®": "(R)",
    "£": r"$\mathsterling$",
}
# accented Latin-1 letters: LaTeX's utf8 input typesets them in OT1 with Type 1 fonts (checked by compiling each;
# Latin-1 symbols would need the TS1 encoding, whose fonts are bitmaps here, so they are mapped above)
_LATIN1_OK = {c for c in range(0xC0, 0x100) if chr(c).isalpha()} - {0xD0, 0xDE, 0xF0, 0xFE}


def _unicode(ch: str) -> str:
    if ch in _TEXT_UNICODE:
        return _TEXT_UNICODE[ch]
    if ch in _UNICODE:
        return f"${_UNICODE[ch]}$"
    if ch in _LATIN1_SYMBOLS:
        return _LATIN1_SYMBOLS[ch]
    if ord(ch) in _LATIN1_OK:  # accented Latin letters: LaTeX's utf8 input handles them in OT1
        return ch
    name = unicodedata.name(ch, "")
    greek = re.fullmatch(r"GREEK (SMALL|CAPITAL) LETTER ([A-Z]+)", name)
    if greek:
        word = greek.group(2).lower()
        word = {"lamda": "lambda"}.get(word, word)
        if greek.group(1) == "CAPITAL":
            word = word.capitalize()
            if word not in {"Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"}:
                return unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode() or "?"
        if word == "omicron":
            return "o"
        return f"$\\{word}$"
    decomposed = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
    return escape(decomposed) if decomposed else f"[U+{ord(ch):04X}]"


#: ASCII relations written with two characters: typeset as the relation, not as "<" followed by "="
_PAIRS = {"<=>": r"$\Leftrightarrow$", "<=": r"$\leq$", ">=": r"$\geq$", "!=": r"$\neq$"}


def escape(text) -> str:
    r"""Plain text -> LaTeX text (special characters escaped, Unicode mathematics put in math mode).

    >>> escape("eps <= R <=> R >= eps")
    'eps $\\leq$ R $\\Leftrightarrow$ R $\\geq$ eps'
    """
    out = []
    text = str(text)
    skip = 0
    for i, ch in enumerate(text):
        if skip:
            skip -= 1
            continue
        pair = next((t for t in _PAIRS if text.startswith(t, i)), None)  # longest first: "<=>" before "<="
        if pair:
            out.append(_PAIRS[pair])
            skip = len(pair) - 1
        elif ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        elif ord(ch) < 128:
            out.append(ch)
        else:
            out.append(_unicode(ch))
    return "".join(out)


def escape_breakable(text) -> str:
    r""":func:`escape`, with line-break points after ``_ ^ / ( ) , =`` so ASCII mathematics can wrap in a narrow
    table column.

    >>> escape_breakable("(sum_i s^p)^(1/p)") == (
    ...     "(\\allowbreak{}sum\\_\\allowbreak{}i s\\textasciicircum{}\\allowbreak{}p)"
    ...     "\\allowbreak{}\\textasciicircum{}\\allowbreak{}(\\allowbreak{}1/\\allowbreak{}p)\\allowbreak{}")
    True
    """
    out = escape(text)
    out = re.sub(r"(\\_|\\textasciicircum\{\}|[/(),=])(?!\$)", r"\1\\allowbreak{}", out)
    return out


def breakable_key(key: str) -> str:
    r"""A registry key in ``\texttt`` with line-break points after dots and underscores.

    >>> breakable_key("ledent2025.main_fc")
    '\\texttt{ledent2025.\\allowbreak{}main\\_\\allowbreak{}fc}'
    """
    body = escape(key)
    body = body.replace(".", r".\allowbreak{}").replace(r"\_", r"\_\allowbreak{}").replace("-", r"-\allowbreak{}")
    return r"\texttt{" + body + "}"


def cite_command(citation) -> str:
    r"""``\cite[locator]{key}`` for a :class:`~schattheory.foundation.provenance.Citation` (tie after "Lemma", "Thm",
    ...).

    >>> from schattheory.foundation.provenance import cite
    >>> cite_command(cite("candes_plan2011", "Lemma 3.1"))
    '\\cite[Lemma~3.1]{candes_plan2011}'
    >>> cite_command(cite("candes_plan2011", "Lemma 3.1 [R]"))
    '\\cite[Lemma~3.1 \\lbrack{}R\\rbrack{}]{candes_plan2011}'
    """
    locator = escape(citation.locator).strip()
    locator = re.sub(r"^([A-Za-z.]+) (?=\S)", r"\1~", locator)
    # a bracket would end the optional argument (braces do not protect it through hyperref's \cite)
    locator = locator.replace("[", r"\lbrack{}").replace("]", r"\rbrack{}")
    return rf"\cite[{locator}]{{{citation.key}}}" if locator else rf"\cite{{{citation.key}}}"


def escape_text(text) -> str:
    r"""Text that may contain mathematics between ``$...$``: the math is kept as written, the rest escaped by
    :func:`escape`. ``\$`` is a literal dollar; an unpaired ``$`` makes the whole text literal.

    >>> escape_text("Schatten-$q$ bound & 50%")
    'Schatten-$q$ bound \\& 50\\%'
    >>> escape_text("costs \\$5, not $x")
    'costs $\\$$5, not $\\$$x'
    """
    text = str(text)
    parts = re.split(r"(?<!\\)\$", text)
    if len(parts) % 2 == 0 or any(not parts[i].strip() for i in range(1, len(parts), 2)):
        return escape(text.replace("\\$", "$"))
    out = []
    for i, part in enumerate(parts):
        out.append(f"${part}$" if i % 2 else escape(part.replace("\\$", "$")))
    return "".join(out)


_CITE = re.compile(r"\\cite[tp]?\*?(?:\[(?:[^\]{}]|\{[^{}]*\})*\]){0,2}\{([^}]*)\}")


def cite_keys(tex: str) -> list[str]:
    r"""Every key of every ``\cite`` in ``tex``, in order of first use.

    >>> cite_keys(r"see \cite[Thm~1]{a2020, b2021} and \cite{a2020}")
    ['a2020', 'b2021']
    """
    out: list[str] = []
    for group in _CITE.findall(tex):
        for key in group.split(","):
            key = key.strip()
            if key and key not in out:
                out.append(key)
    return out


# math regions and arguments whose characters are not typeset as text
_MATH_ENVS = r"equation\*?|align\*?|multline\*?|gather\*?|displaymath|math|eqnarray\*?"
_NOT_TEXT = re.compile(
    r"\\\$|\$\$.*?\$\$|\$(?:\\.|[^$\\])*\$|\\\(.*?\\\)|\\\[.*?\\\]"
    rf"|\\begin\{{({_MATH_ENVS})\}}.*?\\end\{{\1\}}"
    r"|\\begin\{(?:tabular|longtable|array)\}\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}"  # column specs: >{...}
    r"|\\(?:label|ref|eqref|cite[tp]?|url|href|usepackage|documentclass|input|bibliography|bibliographystyle)"
    r"(?:\[[^\]]*\])*\{[^}]*\}"
    r"|\\[^A-Za-z\n]"  # control symbols: \| \% \{ ...
    r"|%[^\n]*",
    re.S,
)
# characters that the OT1 text fonts print as something else: < as an inverted exclamation mark, > as an inverted
# question mark, | as an em dash, " as a closing double quote
_WRONG_IN_TEXT = {
    "<": "an inverted exclamation mark",
    ">": "an inverted question mark",
    "|": "an em dash",
    '"': "a closing double quote",
}


def text_mode_problems(tex: str) -> list[str]:
    r"""Characters in text mode (outside math, labels, citations and column specs) that pdflatex would print as
    another glyph: the signs of unescaped text, e.g. ``<=`` printed as an inverted exclamation mark.

    >>> text_mode_problems(r"Bound $x \le y$ (because a <= b).")
    ["line 1: '<' in text prints as an inverted exclamation mark: ...(because a <= b)...."]
    >>> text_mode_problems(r"\begin{tabular}{>{\raggedright}p{2cm}} a \\ \end{tabular} $a<b$")
    []
    """
    out = []
    start = tex.find("\\begin{document}")
    offset = tex.count("\n", 0, start) if start >= 0 else 0  # the preamble defines macros: not text
    body = tex[start:] if start >= 0 else tex
    for lineno, line in enumerate(
        _NOT_TEXT.sub(lambda m: "\n" * m.group(0).count("\n"), body).splitlines(), offset + 1
    ):
        for ch, glyph in _WRONG_IN_TEXT.items():
            i = line.find(ch)
            if i >= 0:
                out.append(f"line {lineno}: {ch!r} in text prints as {glyph}: ...{line[max(0, i - 12) : i + 12]}...")
    return out
