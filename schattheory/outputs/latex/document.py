r"""Standalone documents: a ``.tex`` whose preamble needs only Debian's texlive-latex-base and
texlive-latex-recommended, a ``refs.bib``, and the PDF when pdflatex is on the PATH.

:func:`build_document` assembles the LaTeX; :func:`write_document` writes it atomically (everything is produced in
a temporary directory beside the destination, compiled there, and only then moved into place, so a failure leaves
no half-written output).

- ``build_document()`` (no keys): the paper document: the main theorem with its proof skeleton, the lemmas it rests
  on, the sample-complexity comparison table and the claims-audit table;
- ``build_document(keys=[...])``: the given registered statements and the lemmas they rest on.

The bibliography is a ``thebibliography`` block generated from the same Citations as ``refs.bib`` (it needs no
BibTeX run and works offline); ``bibliography="bibtex"`` uses ``refs.bib`` with ``plain.bst`` instead.

>>> doc = build_document(keys=["schatten.monotonicity"])
>>> "\\begin{lemma}" in doc.tex and "@book{bhatia1997," in doc.bib
True
>>> sorted(doc.packages())
['amsmath', 'amssymb', 'amsthm', 'array', 'booktabs', 'geometry', 'hyperref', 'longtable']

Reference: LaTeX packages by Debian package: ``amsmath``, ``amsthm``, ``array``, ``longtable``, ``geometry``,
``hyperref`` in texlive-latex-base, ``amssymb`` in texlive-base (a dependency of it), ``booktabs`` in
texlive-latex-recommended (Debian 12 ``dpkg -S``).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from schattheory.foundation.errors import InputError
from schattheory.foundation.notation import Notation, current, use
from schattheory.foundation.tex_text import cite_keys, escape, escape_text, text_mode_problems
from schattheory.outputs.latex.render import bib_item, bibtex_entry, citations_of, environment, label, proof, theorem

__all__ = [
    "Document",
    "WrittenDocument",
    "build_document",
    "write_document",
    "PACKAGES",
    "lemma_closure",
    "resolve_keys",
    "standalone",
    "compile_file",
]

#: package -> options; every one ships in texlive-latex-base / -recommended (or texlive-base, which base needs)
PACKAGES = {
    "geometry": "margin=1in",
    "amsmath": "",
    "amssymb": "",
    "amsthm": "",
    "array": "",
    "booktabs": "",
    "longtable": "",
    "hyperref": "hidelinks",
}


@dataclass
class Document:
    """A generated document: LaTeX source, BibTeX database and what it contains."""

    name: str
    tex: str
    bib: str
    bibliography: str
    keys: list = field(default_factory=list)

    def problems(self) -> list[str]:
        """What would print wrongly: characters in text mode that the fonts print as another glyph."""
        return text_mode_problems(self.tex)

    def packages(self) -> set:
        """The LaTeX packages the source loads (for checking the preamble's requirements)."""
        found = set()
        for opts in re.findall(r"\\usepackage(?:\[[^\]]*\])?\{([^}]*)\}", self.tex):
            found |= {x.strip() for x in opts.split(",")}
        return found


@dataclass
class WrittenDocument:
    tex: Path
    bib: Path
    pdf: Path | None
    compile_result: object = None
    warnings: list = field(default_factory=list)


def resolve_keys(keys) -> list[str]:
    """Registry keys from exact keys or prefixes ending in ``.`` or ``*``; unknown keys list close matches."""
    from schattheory.core import registry

    out: list[str] = []
    for k in keys:
        if k.endswith("*") or k.endswith("."):
            found = registry.keys(k.rstrip("*"))
            if not found:
                raise InputError("--keys", k, "no registered key starts with it")
        else:
            found = [registry.get(k).key]
        out += [x for x in found if x not in out]
    if not out:
        raise InputError("--keys", keys, "give at least one registry key")
    return out


def _step_keys(bound) -> list[str]:
    """Registry keys that a derivation's recorded steps rest on."""
    from schattheory.outputs.latex.render import step_uses

    deriv = getattr(bound, "derivation", None)
    return [k for step in (getattr(deriv, "steps", ()) or ()) for k in step_uses(step)]


def lemma_closure(bounds) -> list:
    """The registered statements the given Bounds rest on (``derived_from`` and derivation steps), recursively."""
    from schattheory.core import registry

    seen = {b.key for b in bounds}
    order = []
    todo = [k for b in bounds for k in list(b.provenance.derived_from) + _step_keys(b)]
    while todo:
        k = todo.pop(0)
        if k in seen:
            continue
        seen.add(k)
        try:
            dep = registry.get(k)
        except KeyError:
            continue  # a derivation may name an unregistered intermediate; it is printed as a key, not a \ref
        order.append(dep)
        todo += list(dep.provenance.derived_from) + _step_keys(dep)
    return order


def _preamble(n: Notation, title: str) -> str:
    pkgs = "\n".join(rf"\usepackage[{o}]{{{p}}}" if o else rf"\usepackage{{{p}}}" for p, o in PACKAGES.items())
    macros = "\n".join(n.preamble())
    return rf"""\documentclass[11pt]{{article}}
{pkgs}
\setlength{{\emergencystretch}}{{3em}}
\renewcommand{{\labelitemi}}{{$\bullet$}}
% let a large table float stay near its section instead of waiting for a page of its own
\renewcommand{{\topfraction}}{{0.9}}
\renewcommand{{\textfraction}}{{0.07}}
\renewcommand{{\floatpagefraction}}{{0.8}}
\theoremstyle{{plain}}
\newtheorem{{theorem}}{{Theorem}}
\newtheorem{{lemma}}{{Lemma}}
\newtheorem{{proposition}}{{Proposition}}
\theoremstyle{{definition}}
\newtheorem{{definition}}{{Definition}}
% notation (schattheory.foundation.notation): change a macro here or switch it with `schattheory latex --notation`
{macros}
\title{{{title}}}
\author{{Generated by schattheory {_version()}}}
\date{{}}
"""


def _version() -> str:
    from schattheory import __version__

    return __version__


def _legend() -> str:
    from schattheory.foundation.provenance import Status

    items = "\n".join(rf"\item[{s.value}] {escape(s.describe())}." for s in Status)
    return (
        "Every statement below is stated from the toolkit's registry and carries its provenance status:\n"
        rf"\begin{{description}}"
        "\n"
        f"{items}\n"
        r"\end{description}"
        "\n"
        "Nothing marked transcribed or reconstructed is presented as the paper's own text."
    )


def _notation_sentence(n: Notation) -> str:
    from schattheory.foundation.symbols import A, p
    from schattheory.numerics.schatten import SchattenNorm

    roles = [
        ("width", "width"),
        ("depth", "depth"),
        ("rank", "rank"),
        ("samples", "number of samples"),
        ("margin", "margin"),
    ]
    parts = ", ".join(f"${n.letter(r)}$ the {w}" for r, w in roles)
    return (
        f"Notation: {parts}; ${n.latex(SchattenNorm(A, p))}$ is the Schatten-$p$ quasi-norm "
        rf"$\big(\sum_i \sigma_i(A)^p\big)^{{1/p}}$ and ${n.macro('Otilde')}$ hides polylogarithmic factors."
    )


def _statements(bounds, known, n, with_proofs=True) -> str:
    out = []
    for b in bounds:
        out.append(theorem(b, notation=n, known=known))
        if with_proofs and b.derivation is not None:
            out.append(proof(b, notation=n, known=known))
    return "\n\n".join(out)


def _bibliography(cits, style: str) -> str:
    if style == "bibtex":
        return "\\bibliographystyle{plain}\n\\bibliography{refs}"
    items = "\n".join(bib_item(c) for c in sorted(cits, key=lambda c: (c.author_text(), c.year, c.key)))
    return f"\\begin{{thebibliography}}{{99}}\n{items}\n\\end{{thebibliography}}"


def build_document(
    keys=None,
    *,
    notation: Notation | None = None,
    name: str = "schattheory",
    bibliography: str = "inline",
    title: str | None = None,
    main=None,
    sample_rows=None,
    claim_results=None,
    network_results=None,
    macros: bool = True,
    sections=(),
    citations=(),
) -> Document:
    """The LaTeX document (see the module docstring). ``main``, ``sample_rows``, ``claim_results``: override the
    computed parts (default: computed by the toolkit; with ``keys``, a table is included when its rows are given);
    ``network_results``: {network name: results} for per-network tables; ``macros``: write ``\\schatten{A}{p}``
    etc. (defined in the preamble) or expanded LaTeX; ``sections``: (heading, LaTeX) pairs of one's own, placed
    after the toolkit's; ``citations``: Citations one's own text cites. ``title`` and headings are text in which
    ``$...$`` is mathematics.

    The bibliography holds every work cited anywhere in the document (statements, tables, ``sections``); a
    ``\\cite`` key that is neither the toolkit's, nor cited by a registered statement, nor in ``citations`` is an
    error naming it."""
    from schattheory.core import registry
    from schattheory.outputs.latex import tables

    if bibliography not in ("inline", "bibtex"):
        raise InputError("bibliography", bibliography, "must be 'inline' or 'bibtex'")
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
        raise InputError("name", name, "use letters, digits, '-' and '_' only (it names the .tex file)")
    base = notation if notation is not None else current()
    extra = _own_sections(sections)
    with use(base.switch(use_macros=macros)) as n:
        sections = []
        if keys:
            primary = [registry.get(k) for k in resolve_keys(keys)]
            lemmas = lemma_closure(primary)
            title = title or "Statements from the schattheory registry"
        else:
            from schattheory.outputs.latex.sources import main_theorem

            primary = [main if main is not None else main_theorem()]
            lemmas = lemma_closure(primary)
            title = title or "Generalization bounds for rank-sparse neural networks: statements, comparison, audit"
        everything = primary + lemmas
        known = {b.key: (environment(b), label(b.key, environment(b))) for b in everything}
        head = "Main theorem" if not keys else "Statements"
        sections.append(rf"\section{{{head}}}" "\n" + _statements(primary, known, n))
        if lemmas:
            sections.append(r"\section{Lemmas these statements rest on}" "\n" + _statements(lemmas, known, n))
        if not keys or sample_rows is not None:
            sections.append(
                r"\section{Comparison of sample complexities}"
                "\n" + tables.sample_complexity_table(sample_rows, notation=n)
            )
        if not keys or claim_results is not None:
            sections.append(r"\section{Audit of the claims about the paper}" "\n" + tables.claims_table(claim_results))
        for net, results in (network_results or {}).items():
            sections.append(
                rf"\section{{Bounds on {escape(net)}}}" "\n" + tables.network_results_table(results, network=net)
            )
        sections += extra
        cits = _resolve_citations(citations_of(everything), sections, citations)
        body = "\n\n".join(sections)
        tex = (
            _preamble(n, escape_text(title))
            + "\\begin{document}\n\\maketitle\n\n"
            + _legend()
            + "\n\n"
            + _notation_sentence(n)
            + "\n\n"
            + body
            + "\n\n"
            + _bibliography(cits, bibliography)
            + "\n\n\\end{document}\n"
        )
        bib = "\n\n".join(bibtex_entry(c) for c in cits) + "\n"
    return Document(name=name, tex=tex, bib=bib, bibliography=bibliography, keys=[b.key for b in everything])


def _own_sections(sections) -> list[str]:
    """(heading, LaTeX) pairs -> ``\\section`` blocks (headings: text with ``$...$`` math)."""
    out = []
    for i, item in enumerate(sections or ()):
        if not (isinstance(item, (tuple, list)) and len(item) == 2 and all(isinstance(x, str) for x in item)):
            raise InputError(f"sections[{i}]", repr(item)[:60], "must be a (heading, LaTeX) pair of strings")
        out.append(rf"\section{{{escape_text(item[0])}}}" "\n" + item[1].strip())
    return out


def known_citations(extra=()) -> dict:
    """Every work a document may cite: ``extra`` (Citations), those of registered statements (one's own
    included) and the toolkit's list."""
    from schattheory.core import registry
    from schattheory.foundation.citations import CITATIONS
    from schattheory.foundation.provenance import Citation

    out = dict(CITATIONS)
    for b in registry.all_bounds():
        for c in b.provenance.citations:
            out.setdefault(c.key, c.at(""))
    for c in extra or ():
        if not isinstance(c, Citation):
            raise InputError("citations", repr(c)[:60], "must be Citation objects (schattheory.Citation)")
        out[c.key] = c.at("")
    return out


def _resolve_citations(cits, texts, extra=(), strict: bool = True):
    """``cits`` plus every work ``\\cite``d in ``texts``; a key no known work has is an error naming it (left to
    the compile's undefined-citation check when not ``strict``)."""
    known = None
    have = {c.key for c in cits}
    out = list(cits)
    for key in cite_keys("\n".join(texts)):
        if key in have:
            continue
        known = known if known is not None else known_citations(extra)
        if key not in known and not strict:
            continue
        if key not in known:
            raise InputError(
                "\\cite",
                key,
                "is not a known work: pass citations=[Citation(...)] or cite it in a registered statement's provenance",
            )
        out.append(known[key])
        have.add(key)
    return out


def standalone(body: str, *, title: str = "", notation: Notation | None = None, citations=()) -> str:
    """A complete document around a LaTeX fragment (same preamble, notation macros and offline bibliography
    of the works it ``\\cite``s: the toolkit's, registered statements' and ``citations``), e.g. for a proof
    written as a fragment. ``title``: text with ``$...$`` math. A key of no known work is left to the compile,
    which reports it as an undefined citation."""
    with use((notation if notation is not None else current()).switch(use_macros=True)) as n:
        cits = _resolve_citations([], [body], citations, strict=False)
        bib = _bibliography(cits, "inline") if cits else ""
        head = "\\maketitle\n" if title else ""
        return (
            _preamble(n, escape_text(title))
            + "\\begin{document}\n"
            + head
            + body.strip()
            + "\n\n"
            + bib
            + "\n\\end{document}\n"
        )


def compile_file(path, *, overfull_threshold: float | None = None, output_pdf=None):
    """Compile a ``.tex`` file the same way as the generated documents: a standalone file as it is, a fragment
    (no ``\\documentclass``) inside :func:`standalone`. The source tree is left untouched; the PDF is kept only at
    ``output_pdf`` when given."""
    from schattheory.outputs.latex.compile import compile_tex

    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if "\\documentclass" in text:
        return compile_tex(path, overfull_threshold=overfull_threshold, output_pdf=output_pdf)
    with tempfile.TemporaryDirectory(prefix="schattheory-fragment-") as tmp:
        wrapped = Path(tmp) / f"{path.stem}.tex"
        wrapped.write_text(standalone(text), encoding="utf-8")
        for f in path.parent.iterdir():  # files the fragment may \input
            if f.is_file() and f.name != path.name and f.suffix in (".tex", ".bib", ".sty", ".png", ".pdf"):
                shutil.copyfile(f, Path(tmp) / f.name)
        return compile_tex(wrapped, overfull_threshold=overfull_threshold, output_pdf=output_pdf)


def _misprinted_glyphs(pdf: Path) -> list[str]:
    """Glyphs in the PDF's text that the OT1 fonts print for unescaped ``<`` and ``>`` (when pdftotext exists)."""
    from schattheory.outputs.latex.compile import pdftotext

    if not pdf.exists() or shutil.which("pdftotext") is None:
        return []
    text = pdftotext(pdf, raw=True)
    out = []
    for glyph, source in (("¡", "<"), ("¿", ">")):
        i = text.find(glyph)
        if i >= 0:
            out.append(
                f"the PDF shows {glyph!r} (an unescaped {source!r} in text): ...{text[max(0, i - 30) : i + 30]}..."
            )
    return out


def write_document(
    doc: Document,
    out_dir,
    *,
    compile: bool | None = None,
    overfull_threshold: float | None = None,
    max_runs: int = 5,
    force: bool = False,
    progress=None,
) -> WrittenDocument:
    """Write ``NAME.tex``, ``refs.bib`` and (when compiled) ``NAME.pdf`` into ``out_dir``, atomically.

    ``compile``: None compiles when pdflatex is on the PATH. A LaTeX error, an undefined reference or citation, or
    (when ``overfull_threshold`` is given) an overfull box wider than that many points raises
    :class:`~schattheory.outputs.latex.compile.LatexError` and leaves ``out_dir`` as it was. ``out_dir`` is refused
    when it is a non-empty directory the toolkit did not write, unless ``force`` (then the files are added to it and
    nothing else there is touched); see :mod:`schattheory.foundation.output`. ``progress``: a callable taking a one-line
    message.
    ``warnings`` lists overfull boxes and anything that would print wrongly (text-mode ``<``, ``>``, ``|``, ``"``,
    and the glyphs they become in the PDF).
    """
    from schattheory.foundation.output import check_output_dir, staged_output
    from schattheory.outputs.latex.compile import LatexError, compile_in, pdflatex_available

    check_output_dir(out_dir, force=force)
    if compile is None:
        compile = pdflatex_available()
    elif compile and not pdflatex_available():
        raise LatexError(
            "pdflatex is not on the PATH (install texlive-latex-base texlive-latex-recommended); "
            "use --no-compile to write the .tex only"
        )
    out = Path(os.path.expanduser(os.fspath(out_dir)))
    result, warnings = None, []
    with staged_output(out_dir, force=force, command="schattheory latex") as tmp:
        (tmp / f"{doc.name}.tex").write_text(doc.tex, encoding="utf-8")
        (tmp / "refs.bib").write_text(doc.bib, encoding="utf-8")
        if compile:
            result = compile_in(
                tmp,
                doc.name,
                max_runs=max_runs,
                bibtex="always" if doc.bibliography == "bibtex" else "never",
                overfull_threshold=overfull_threshold,
                progress=progress,
            )
            warnings = [str(o) for o in result.report.overfull]
            warnings += _misprinted_glyphs(tmp / f"{doc.name}.pdf")
        warnings = [f"text that would print wrongly: {x}" for x in text_mode_problems(doc.tex)] + warnings
        for f in tmp.iterdir():
            if f.name not in {f"{doc.name}.tex", "refs.bib", f"{doc.name}.pdf"}:
                f.unlink()
    pdf = out / f"{doc.name}.pdf"
    if result is not None:
        result.pdf = pdf
    # with --force into a foreign folder a PDF there may be the user's (or stale): name it only when compiled now
    return WrittenDocument(
        out / f"{doc.name}.tex", out / "refs.bib", pdf if result is not None else None, result, warnings
    )
