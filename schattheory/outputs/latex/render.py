r"""LaTeX for one Bound or derivation: formulas, theorem environments, proof skeletons and BibTeX entries.

Everything prints through the active notation (:mod:`schattheory.foundation.notation`), so switching notation changes
every output.

- :func:`formula`, :func:`inline`, :func:`display`: the statement ``lhs \leq expr`` (or any SymPy expression);
- :func:`theorem`: a ``theorem``/``lemma``/``proposition``/``definition`` environment with the symbols' domains,
  the assumptions, the statement, ``\cite[locator]{key}`` and the provenance status in words;
- :func:`proof`: the proof skeleton replayed from a derivation's recorded steps (or the source, when none);
- :func:`bibtex_entry`, :func:`bib_item`: a Citation as a BibTeX entry or a ``thebibliography`` item.

>>> from schattheory.core.registry import get
>>> inline(get("schatten.monotonicity"))
'$\\left\\|A\\right\\|_{S_{q}} \\leq \\left\\|A\\right\\|_{S_{p}}$'
>>> print(theorem(get("schatten.monotonicity")))   # doctest: +ELLIPSIS
\begin{lemma}[{\cite[Ch.~IV (unitarily invariant
norms)]{bhatia1997}}]\label{lem:schatten.monotonicity}\emergencystretch=3em
Let $A \in \mathbb{R}^{m \times d}$ and $p$, $q > 0$. Assume $p \leq q$. Then
\begin{equation*}
\left\|A\right\|_{S_{q}} \leq \left\|A\right\|_{S_{p}}.
\end{equation*}
\emph{Provenance} (classical): classical result, from the cited source. Registry key:
\texttt{schatten.\allowbreak{}monotonicity}.
\end{lemma}

Reference: theorem environments of the ``amsthm`` package (American Mathematical Society, *Using the amsthm
Package*, v2.20, Sec. 2); BibTeX entry types of Patashnik, *BibTeXing* (1988), Sec. 3.1.
"""

from __future__ import annotations

import re

import sympy as sp

from schattheory.core.bound import Bound
from schattheory.foundation.errors import InputError
from schattheory.foundation.notation import Notation, current, use
from schattheory.foundation.tex_text import breakable_key, cite_command, escape, escape_text
from schattheory.outputs.latex.layout import Layout, fit, fit_many, letters_for, tex_width

__all__ = [
    "formula",
    "inline",
    "display",
    "theorem",
    "statements",
    "proof",
    "statement_block",
    "statement_layout",
    "step_uses",
    "environment",
    "label",
    "provenance_text",
    "bibtex_entry",
    "bib_item",
    "citations_of",
    "ENVIRONMENTS",
    "REL_TEX",
]

#: Bound.kind -> amsthm environment
ENVIRONMENTS = {"bound": "theorem", "lemma": "lemma", "identity": "proposition", "definition": "definition"}
_LABEL_PREFIX = {"theorem": "thm", "lemma": "lem", "proposition": "prop", "definition": "def"}
REL_TEX = {"<=": r"\leq", "==": "=", ">=": r"\geq", "<": "<"}
#: inline formulas wider than this (points) are displayed instead
INLINE_BUDGET_PT = 220.0


def _notation(notation):
    return notation if notation is not None else current()


def formula(obj, *, notation: Notation | None = None) -> str:
    """LaTeX of a Bound's statement, a SymPy expression or relational (no math delimiters)."""
    with use(_notation(notation)) as n:
        if isinstance(obj, Bound):
            return obj.latex()
        if hasattr(obj, "latex") and callable(obj.latex) and not isinstance(obj, sp.Basic):
            return obj.latex()
        return n.latex(obj)


def inline(obj, *, notation: Notation | None = None) -> str:
    """``$...$`` around :func:`formula`."""
    return f"${formula(obj, notation=notation)}$"


def _lhs_prefix(bound: Bound, n: Notation) -> str:
    """``lhs \\leq `` as :meth:`Bound.latex` writes it (empty when there is no left-hand side)."""
    rel = REL_TEX[bound.relation]
    if isinstance(bound.lhs, sp.Basic):
        return f"{n.latex(bound.lhs)} {rel} "
    return f"{bound.lhs} {rel} " if bound.lhs else ""


def _block(lines: list, defs: list, *, label: str | None = None, punct: str = "") -> str:
    """A display of ``lines`` (``equation`` or ``multline``) and its "where" list (``align*``)."""
    star = "" if label else "*"
    lab = f"\\label{{{label}}}" if label else ""
    env = ("multline" if len(lines) > 1 else "equation") + star
    out = f"\\begin{{{env}}}{lab}\n" + " \\\\\n".join(lines) + ("," if defs else punct) + f"\n\\end{{{env}}}"
    if defs:
        rows = []
        for k, (name, dlines) in enumerate(defs):
            body = [f"{name} &= {dlines[0]}"] + [f"&\\quad {line}" for line in dlines[1:]]
            body[-1] += punct if k == len(defs) - 1 else ","
            rows.append(" \\\\\n".join(body))
        out += "\nwhere\n\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"
    return out


def display(
    obj, *, label: str | None = None, notation: Notation | None = None, punct: str = "", letter: str | None = None
) -> str:
    r"""A displayed statement whose lines fit the page: ``equation`` (``multline`` when it breaks between terms or
    factors), followed by "where" and an ``align*`` list when large subexpressions had to be named
    (:mod:`schattheory.outputs.latex.layout`, names ``T_1, T_2, ...`` or ``letter``). Unlabelled displays are
    starred."""
    with use(_notation(notation)) as n:
        if isinstance(obj, Bound):
            lay = fit(obj.expr, head=_lhs_prefix(obj, n), notation=n, letter=letter)
        elif isinstance(obj, sp.Basic):
            lay = fit(obj, notation=n, letter=letter)
        else:
            lay = Layout([formula(obj, notation=n)])
    return _block(lay.lines, lay.defs, label=label, punct=punct)


def environment(bound: Bound) -> str:
    """The amsthm environment a Bound is stated in (by its kind)."""
    return ENVIRONMENTS[bound.kind]


def label(key: str, env: str = "theorem") -> str:
    r"""A ``\label`` name for a registry key: ``lem:schatten.monotonicity``."""
    safe = re.sub(r"[^A-Za-z0-9.:_-]", "-", key)
    return f"{_LABEL_PREFIX.get(env, 'eq')}:{safe}"


# ---- the domains of the symbols ("Let p, q > 0") ------------------------------------------------------------
def _domains(bound: Bound, n: Notation) -> str:
    mats = sorted(bound.matrices(), key=str)
    scalars = sorted(bound.free_symbols() | {s for s in bound.params if isinstance(s, sp.Symbol)}, key=str)
    groups: dict[str, list[str]] = {}
    for s in sorted(scalars, key=lambda x: n.latex(x)):
        if s.is_integer and s.is_positive:
            kind = r"\in \{1, 2, \dots\}"
        elif s.is_integer and s.is_nonnegative:
            kind = r"\in \{0, 1, \dots\}"
        elif s.is_integer:
            kind = r"\in \mathbb{Z}"
        elif s.is_positive:
            kind = "> 0"
        elif s.is_nonnegative:
            kind = r"\geq 0"
        elif s.is_real:
            kind = r"\in \mathbb{R}"
        else:
            continue
        groups.setdefault(kind, []).append(n.latex(s))
    parts = [f"${n.latex(M)} \\in \\mathbb{{R}}^{{{n.latex(M.shape[0])} \\times {n.latex(M.shape[1])}}}$" for M in mats]
    order = ["> 0", r"\geq 0", r"\in \{1, 2, \dots\}", r"\in \{0, 1, \dots\}", r"\in \mathbb{Z}", r"\in \mathbb{R}"]
    # one math group per symbol: TeX does not break a formula after a comma
    parts += [
        ", ".join(f"${x}$" for x in groups[k][:-1]) + (", " if len(groups[k]) > 1 else "") + f"${groups[k][-1]} {k}$"
        for k in order
        if k in groups
    ]
    if not parts:
        return ""
    return "Let " + (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]) + "."


def _assumptions(bound: Bound, n: Notation) -> str:
    if not bound.assumptions:
        return ""
    items = [f"${n.latex(a)}$" for a in bound.assumptions]
    joined = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    return f"Assume {joined}."


def _title_text(bound: Bound) -> str:
    """The title when it is prose; titles written in ASCII mathematics are left to the displayed statement."""
    title = bound.title.strip()
    prose = re.sub(r"(?<!\\)\$[^$]*\$", "", title)  # $...$ is mathematics, kept as written
    if not title or re.search(r"[_^|<>*/\\]|\bsum\b|\bsigma\b", prose):
        return ""
    return escape_text(title)


def _cites(citations) -> str:
    return ", ".join(cite_command(c) for c in citations)


def _refs(keys, known) -> str:
    out = []
    for k in keys:
        if known is not None and k in known:
            out.append(f"{known[k][0].capitalize()}~\\ref{{{known[k][1]}}} ({breakable_key(k)})")
        else:
            out.append(breakable_key(k))
    return ", ".join(out)


def provenance_text(bound: Bound, known=None, *, in_header: bool = True) -> str:
    """The provenance in words: status, what it means, citations with locators, derivation sources, note."""
    prov = bound.provenance
    text = f"\\emph{{Provenance}} ({prov.status.value}): {escape(prov.describe())}"
    if prov.citations and not in_header:
        text += f"; {_cites(prov.citations)}"
    if prov.derived_from:
        text += f"; derived from {_refs(prov.derived_from, known)}"
    text += "."
    if prov.note:
        text += " " + escape(prov.note.rstrip(".")) + "."
    if bound.mode:
        text += {
            "dominant": " Dominant form: constants and logarithmic factors are dropped.",
            "explicit": " Explicit form: every constant, logarithm and confidence term is kept.",
        }[bound.mode]
    return text


#: the itemize label, from the math fonts: the default \textbullet comes from the TS1 encoding (a bitmap font here)
_BULLET = r"\item[$\bullet$]"


def _limits_text(bound: Bound, n: Notation, letters) -> str:
    """The declared limits: short ones inline, long ones displayed (with their own names for subexpressions)."""
    if not bound.limits:
        return ""
    items = []
    verdicts = bound.limit_checks()  # a declared limit is printed as a fact only once it is verified
    for k, (lim, letter) in enumerate(zip(bound.limits, letters)):
        punct = "." if k == len(bound.limits) - 1 else ";"
        arrow = f"{n.latex(lim.symbol)} \\to {n.latex(lim.point)}" + ("^{+}" if lim.point == 0 else "")
        if not verdicts[k].ok:
            items.append(
                f"{_BULLET} as ${arrow}$: a declared value that is NOT verified "
                f"({escape(verdicts[k].evidence[:160])}){punct}"
            )
            continue
        quantity = escape(lim.quantity) + "; " + escape(verdicts[k].describe())
        value = n.latex(lim.value)
        if lim.of is None and tex_width(value) <= INLINE_BUDGET_PT:
            items.append(f"{_BULLET} as ${arrow}$, the right-hand side tends to ${value}$ ({quantity}){punct}")
            continue
        parts = ([("", lim.of)] if lim.of is not None else []) + [
            ("\\longrightarrow " if lim.of is not None else "", lim.value)
        ]
        lines, defs, _, _ = fit_many(parts, notation=n, letter=letter)
        what = "" if lim.of is not None else " the right-hand side tends to"
        items.append(
            f"{_BULLET} as ${arrow}$ ({quantity}),{what}\n" + _block([x for ls in lines for x in ls], defs, punct=punct)
        )
    return "Declared limits:\n\\begin{itemize}\n" + "\n".join(items) + "\n\\end{itemize}"


def _letters(bound: Bound, n: Notation) -> list[str]:
    """Letters for the names in the statement's display and in each declared limit's (all distinct)."""
    exprs = [bound.expr] + [x for lim in bound.limits for x in (lim.value, lim.of) if x is not None]
    return letters_for(sp.Tuple(*exprs), n, 1 + len(bound.limits))


def statement_layout(bound: Bound, *, notation: Notation | None = None) -> Layout:
    """How the statement is laid out in its environment (lines and named subexpressions)."""
    with use(_notation(notation)) as n:
        return fit(bound.expr, head=_lhs_prefix(bound, n), notation=n, letter=_letters(bound, n)[0])


def statement_block(bound: Bound, *, notation: Notation | None = None, known=None) -> str:
    """The body of the environment: domains, assumptions, the displayed statement and its provenance."""
    with use(_notation(notation)) as n:
        letters = _letters(bound, n)
        lead = " ".join(
            x
            for x in (_title_text(bound) and _title_text(bound) + ".", _domains(bound, n), _assumptions(bound, n))
            if x
        )
        verb = "Then" if bound.kind != "definition" else "We write"
        head = f"{lead} {verb}" if lead else verb
        body = [
            head,
            display(bound, notation=n, punct=".", letter=letters[0]),
            provenance_text(bound, known) + f" Registry key: {breakable_key(bound.key)}.",
        ]
        limits = _limits_text(bound, n, letters[1:])
        if limits:
            body.append(limits)
    return "\n".join(body)


def theorem(
    bound: Bound,
    *,
    env: str | None = None,
    notation: Notation | None = None,
    known=None,
    with_label: bool = True,
    cite_style: str = "cite",
) -> str:
    r"""The Bound as a ``theorem``/``lemma``/``proposition``/``definition`` environment.

    ``known`` maps registry keys in the same document to (environment, label) so derivation sources become
    ``\ref``s. ``cite_style="text"`` writes the sources as text ("Bhatia (1997), Ch. IV") instead of ``\cite``,
    for a document without a bibliography.
    """
    if not isinstance(bound, Bound):
        raise InputError("bound", bound, "theorem() renders a Bound")
    if cite_style not in ("cite", "text"):
        raise InputError("cite_style", cite_style, "must be 'cite' or 'text'")
    env = env or environment(bound)
    if cite_style == "text":
        cites = "; ".join(escape(c.short()) for c in bound.provenance.citations)
    else:
        cites = _cites(bound.provenance.citations)
    opt = f"[{{{cites}}}]" if cites else ""  # braces: the \cite's own [locator] would end the option
    lab = f"\\label{{{label(bound.key, env)}}}" if with_label else ""
    # emergency stretch (local to the environment): long keys and symbol lists break instead of overflowing
    return (
        f"\\begin{{{env}}}{opt}{lab}\\emergencystretch=3em\n"
        f"{statement_block(bound, notation=notation, known=known)}\n\\end{{{env}}}"
    )


def statements(
    keys,
    *,
    env: str | None = None,
    notation: Notation | None = None,
    cite_style: str = "cite",
    text_width_pt: float | None = None,
) -> str:
    r"""The registered statements ``keys`` as environments, one after the other (e.g. a proof's statement file:
    ``statements(keys, env="lemma", cite_style="text", text_width_pt=360)`` needs only amsmath, amssymb and amsthm
    with a ``lemma`` environment; long formulas are laid out for that ``\textwidth``, default 1in margins)."""
    from schattheory.core import registry
    from schattheory.outputs.latex.layout import TEXT_WIDTH_PT, page

    with page(text_width_pt or TEXT_WIDTH_PT):
        return "\n\n".join(theorem(registry.get(k), env=env, notation=notation, cite_style=cite_style) for k in keys)


# ---- proofs --------------------------------------------------------------------------------------------------
def _steps(obj):
    deriv = obj.derivation if isinstance(obj, Bound) else obj
    if deriv is None:
        return None
    steps = getattr(deriv, "steps", None)
    if steps is None:
        raise InputError("derivation", deriv, "has no recorded steps (expected a .steps sequence)")
    return list(steps)


def step_uses(step) -> list[str]:
    """Registry keys a recorded step rests on (``uses()``, or ``lemma``/``key`` fields)."""
    uses = step.uses() if callable(getattr(step, "uses", None)) else ()
    out = [k for k in uses if isinstance(k, str)]
    for attr in ("lemma", "key"):
        val = getattr(step, attr, None)
        if isinstance(val, str) and val not in out:
            out.append(val)
    return out


_STEP_REL = {"<=": r"\leq", "==": "=", "~": r"\asymp", ">=": r"\geq", "<": "<"}


def _step_tex(step, n: Notation, known=None, punct: str = ".") -> str:
    """One recorded step: what it does (its LaTeX label, status and note) and what it gives, displayed.

    Steps of :mod:`schattheory.core.derivation` have ``latex_label()``, ``note``, ``status``, ``relation`` and
    ``result``; any other step object is printed from its ``latex()`` line or, failing that, ``describe()``.
    """
    label = step.latex_label() if callable(getattr(step, "latex_label", None)) else None
    result = getattr(step, "result", None)
    if label is None:
        if callable(getattr(step, "latex", None)):
            return step.latex().strip() + punct
        text = step.describe() if callable(getattr(step, "describe", None)) else str(step)
        return escape(text).rstrip(".") + punct
    parts = [label]
    status = getattr(step, "status", None)
    if status:
        parts.append(rf"\textbf{{[{escape(status)}]}}")
    note = getattr(step, "note", "")
    text = " ".join(parts) + (": " + escape(note) if note else "")
    refs = [k for k in step_uses(step) if known is not None and k in known]
    if refs:
        text += " (" + ", ".join(f"{known[k][0].capitalize()}~\\ref{{{known[k][1]}}}" for k in refs) + ")"
    if result is None:
        return text + punct
    rel = _STEP_REL.get(getattr(step, "relation", "<="), r"\leq")
    lay = fit(sp.sympify(result), head=rf"\ldots {rel} ", notation=n)
    return text + "; hence\n" + _block(lay.lines, lay.defs, punct=punct)


def proof(obj, *, notation: Notation | None = None, known=None) -> str:
    """The proof skeleton from the recorded derivation steps; for an underived Bound, where the proof is found."""
    with use(_notation(notation)) as n:
        steps = _steps(obj)
        if steps is None:
            if not isinstance(obj, Bound):
                raise InputError("obj", obj, "proof() needs a Bound or a derivation with steps")
            cites = _cites(obj.provenance.citations)
            where = f"See {cites}" if cites else "No proof is recorded here"
            if obj.provenance.derived_from:
                where += f"; it rests on {_refs(obj.provenance.derived_from, known)}"
            return (
                f"\\begin{{proof}}[Source]\n{where}. No derivation is recorded for it in the toolkit.\n\\end{{proof}}"
            )
        if not steps:
            raise InputError("derivation", obj, "records no steps")
        items = "\n".join("\\item " + _step_tex(s, n, known) for s in steps)
    return (
        "\\begin{proof}[Proof skeleton, replayed from the recorded derivation]\n"
        f"The statement is obtained by these {len(steps)} recorded steps.\n"
        f"\\begin{{enumerate}}\n{items}\n\\end{{enumerate}}\n\\end{{proof}}"
    )


# ---- citations -----------------------------------------------------------------------------------------------
def citations_of(bounds) -> list:
    """The distinct works (locators dropped) cited by ``bounds``, in order of first appearance."""
    seen: dict = {}
    for b in bounds:
        for c in b.provenance.citations:
            seen.setdefault(c.key, c.at("") if c.locator else c)
    return list(seen.values())


def bibtex_entry(citation) -> str:
    r"""A BibTeX entry for a Citation, with LaTeX special characters escaped (what ``refs.bib`` holds).

    >>> from schattheory.foundation.provenance import cite
    >>> print(bibtex_entry(cite("mccarthy1967")))
    @article{mccarthy1967,
      author = {Charles A. McCarthy},
      title = {{$c_p$}},
      journal = {Israel Journal of Mathematics 5},
      year = {1967}
    }
    """
    title = _MATH_TITLES.get(citation.title, escape(citation.title))
    fields = [("author", " and ".join(escape(a) for a in citation.authors)), ("title", "{" + title + "}")]
    venue = escape(citation.venue)
    kind = citation.entry_type
    fields.append(
        {"article": ("journal", venue), "inproceedings": ("booktitle", venue), "book": ("publisher", venue)}.get(
            kind, ("howpublished", venue)
        )
    )
    fields.append(("year", str(citation.year)))
    if citation.arxiv:
        fields += [("eprint", citation.arxiv), ("archivePrefix", "arXiv")]
    if citation.doi:
        fields.append(("doi", citation.doi))
    if citation.url:
        fields.append(("url", citation.url))
    if kind == "misc" and citation.arxiv:
        fields.append(("note", f"arXiv:{citation.arxiv}"))
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
    return f"@{kind}{{{citation.key},\n{body}\n}}"


#: titles that are mathematics, typeset as such
_MATH_TITLES = {"c_p": "$c_p$"}


def _names(authors) -> str:
    names = [escape(a) for a in authors]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def bib_item(citation) -> str:
    r"""A ``\bibitem`` for a ``thebibliography`` block (the offline bibliography: no BibTeX run needed)."""
    title = _MATH_TITLES.get(citation.title, escape(citation.title))
    tail = f", arXiv:{escape(citation.arxiv)}" if citation.arxiv else ""
    if citation.doi:
        tail += f", doi:{escape(citation.doi)}"
    venue = escape(citation.venue)
    where = f"\\emph{{{venue}}}" if citation.entry_type in ("article", "inproceedings") else venue
    return f"\\bibitem{{{citation.key}}} {_names(citation.authors)}. {title}. {where}, {citation.year}{tail}."
