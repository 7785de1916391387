r"""Running pdflatex (and BibTeX) safely, and reading what went wrong from the log.

:func:`compile_tex` copies a ``.tex`` file (and the files beside it) into a private temporary directory and runs
``pdflatex -interaction=nonstopmode -halt-on-error -file-line-error -no-shell-escape`` there, with BibTeX when
the document asks for it, as many times as the log says cross-references changed (at most ``max_runs``).
:func:`parse_log` turns the log into errors, undefined references and citations, multiply-defined labels and
overfull boxes with their size in points, so tests can fail on any of them.

>>> log = '''./doc.tex:12: Undefined control sequence.
... l.12 \\foo
... LaTeX Warning: Reference `thm:x' on page 1 undefined on input line 3.
... Overfull \\hbox (12.5pt too wide) in paragraph at lines 7--9
... '''
>>> report = parse_log(log)
>>> report.errors[0].message, report.undefined_references, report.overfull[0].points
('Undefined control sequence.', ['thm:x'], 12.5)
>>> report.problems(overfull_threshold=5.0)[1]
'undefined reference thm:x'

Reference: the log messages are those of LaTeX2e (``ltoutput.dtx``, ``ltxref.dtx``) and TeX (Knuth, *The TeXbook*,
Ch. 27, "Recovery from errors"); ``max_print_line`` is a texmf.cnf variable (TeX Live, ``kpathsea`` manual).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from schattheory.foundation.errors import InputError, SchattheoryError

__all__ = [
    "LatexError",
    "LogError",
    "Overfull",
    "LogReport",
    "CompileResult",
    "parse_log",
    "compile_tex",
    "compile_in",
    "pdflatex_available",
    "pdftotext",
    "DEFAULT_OVERFULL_PT",
    "APT_PACKAGES",
]

#: overfull boxes up to this many points are tolerated by default (the tests' threshold)
DEFAULT_OVERFULL_PT = 5.0
#: the Debian packages the compile needs (pdflatex, the LaTeX packages the preamble loads, pdftotext)
APT_PACKAGES = ("texlive-latex-base", "texlive-latex-recommended", "poppler-utils")

_RERUN = re.compile(
    r"Rerun to get|Label\(s\) may have changed|Table widths have changed|"
    r"There were undefined references|Rerun LaTeX"
)


class LatexError(SchattheoryError):
    """pdflatex or BibTeX failed, or the log shows a problem the caller refuses; ``.report`` has the details."""

    def __init__(self, message: str, report: "LogReport | None" = None, log: str = ""):
        super().__init__(message)
        self.report = report
        self.log = log


@dataclass(frozen=True)
class LogError:
    message: str
    file: str = ""
    line: int | None = None
    context: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.line is not None else ""
        ctx = f" [{self.context}]" if self.context else ""
        return f"{where}{self.message}{ctx}"


@dataclass(frozen=True)
class Overfull:
    box: str  # "hbox" or "vbox"
    points: float
    where: str

    def __str__(self) -> str:
        return f"overfull \\{self.box} ({self.points}pt) {self.where}".strip()


@dataclass
class LogReport:
    """What a pdflatex log (and BibTeX's .blg) says."""

    errors: list = field(default_factory=list)
    undefined_references: list = field(default_factory=list)
    undefined_citations: list = field(default_factory=list)
    multiply_defined: list = field(default_factory=list)
    overfull: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    bibtex_problems: list = field(default_factory=list)
    needs_rerun: bool = False

    def problems(self, overfull_threshold: float | None = DEFAULT_OVERFULL_PT) -> list[str]:
        """Everything that should fail a build: errors, undefined references/citations, duplicate labels,
        BibTeX errors and overfull boxes wider than ``overfull_threshold`` points (None: ignore boxes)."""
        out = [f"error {e}" for e in self.errors]
        out += [f"undefined reference {r}" for r in self.undefined_references]
        out += [f"undefined citation {c}" for c in self.undefined_citations]
        out += [f"multiply defined label {m}" for m in self.multiply_defined]
        out += [f"bibtex {b}" for b in self.bibtex_problems]
        if overfull_threshold is not None:
            out += [str(o) for o in self.overfull if o.points > overfull_threshold]
        return out


@dataclass
class CompileResult:
    pdf: Path | None
    report: LogReport
    runs: int
    log: str
    bibtex_runs: int = 0

    @property
    def ok(self) -> bool:
        return self.pdf is not None and not self.report.problems(None)


def parse_log(log: str, blg: str = "") -> LogReport:
    """Errors, undefined references and citations, duplicate labels and overfull boxes in a pdflatex log."""
    rep = LogReport()
    lines = log.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"^(.*?\.(?:tex|sty|cls|bbl|aux|def|cfg|clo)):(\d+): (.*)$", line)
        if (m or line.startswith("! ")) and "==> Fatal error occurred" not in line:
            message = m.group(3) if m else line[2:]
            context = ""
            for follow in lines[i + 1 : i + 8]:
                if re.match(r"^l\.\d+ ", follow):
                    context = follow.strip()
                    break
            err = LogError(message.strip(), m.group(1) if m else "", int(m.group(2)) if m else None, context)
            if err not in rep.errors:
                rep.errors.append(err)
        for m in re.finditer(r"Reference `([^']*)' on page \S+ undefined", line):
            _add(rep.undefined_references, m.group(1))
        for m in re.finditer(r"Citation `([^']*)' on page \S+ undefined", line):
            _add(rep.undefined_citations, m.group(1))
        for m in re.finditer(r"Citation `([^']*)' undefined", line):
            _add(rep.undefined_citations, m.group(1))
        m = re.search(r"Label `([^']*)' multiply defined", line)
        if m:
            _add(rep.multiply_defined, m.group(1))
        m = re.match(r"^Overfull \\([hv]box) \(([\d.]+)pt too (?:wide|high)\)\s*(.*)$", line)
        if m:
            rep.overfull.append(Overfull(m.group(1), float(m.group(2)), m.group(3).strip()))
        m = re.match(r"^(?:LaTeX|Package \w+) Warning: (.*)$", line)
        if m:
            rep.warnings.append(m.group(1).strip())
        if _RERUN.search(line):
            rep.needs_rerun = True
    for line in blg.splitlines():
        if re.match(r"^(Warning--|I couldn't open|I found no|Illegal|Repeated entry|.*---line \d+ of file)", line):
            _add(rep.bibtex_problems, line.strip())
    return rep


def _add(lst, item):
    if item not in lst:
        lst.append(item)


def pdflatex_available() -> bool:
    """Whether ``pdflatex`` is on the PATH."""
    return shutil.which("pdflatex") is not None


def _env() -> dict:
    env = dict(os.environ)
    # unwrapped log lines (parseable), writes confined to the working directory, no interaction with a terminal
    env.update(
        {
            "max_print_line": "10000",
            "error_line": "254",
            "half_error_line": "238",
            "openout_any": "p",
            "SOURCE_DATE_EPOCH": env.get("SOURCE_DATE_EPOCH", "1767225600"),
            "FORCE_SOURCE_DATE": "1",
        }
    )
    return env


def _run(cmd, cwd, timeout):
    try:
        return subprocess.run(
            cmd,
            cwd=cwd,
            env=_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise LatexError(f"{cmd[0]} did not finish within {timeout} s on {cmd[-1]}") from None
    except FileNotFoundError:
        raise LatexError(f"{cmd[0]} is not on the PATH; install {' '.join(APT_PACKAGES)}") from None


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def compile_in(
    directory,
    name: str,
    *,
    max_runs: int = 5,
    timeout: float = 120.0,
    bibtex: str = "auto",
    overfull_threshold: float | None = None,
    strict: bool = True,
    progress=None,
) -> CompileResult:
    """Compile ``directory/name.tex`` in place; raise :class:`LatexError` on a LaTeX or BibTeX error, and when
    ``strict`` also on undefined references or citations, duplicate labels, BibTeX warnings and overfull boxes
    wider than ``overfull_threshold`` points (None: boxes are only reported). ``progress``: a callable taking a
    one-line message, called before each pdflatex or BibTeX run (each takes a second or more)."""
    directory = Path(directory)
    if not (directory / f"{name}.tex").is_file():
        raise InputError("tex", str(directory / f"{name}.tex"), "no such file")
    if bibtex not in ("auto", "never", "always"):
        raise InputError("bibtex", bibtex, "must be 'auto', 'never' or 'always'")
    cmd = [
        "pdflatex",
        "-interaction=nonstopmode",
        "-halt-on-error",
        "-file-line-error",
        "-no-shell-escape",
        f"{name}.tex",
    ]
    runs = bib_runs = 0
    log = blg = ""
    say = progress or (lambda message: None)
    while True:
        say(f"pdflatex run {runs + 1} on {name}.tex")
        proc = _run(cmd, directory, timeout)
        runs += 1
        log = _read(directory / f"{name}.log")
        report = parse_log(log, blg)
        if proc.returncode != 0 or report.errors:
            first = "; ".join(str(e) for e in report.errors[:3]) or proc.stdout.decode("utf-8", "replace")[-400:]
            raise LatexError(f"pdflatex failed on {name}.tex: {first}", report, log)
        aux = _read(directory / f"{name}.aux")
        wants_bib = "\\bibdata" in aux and bibtex != "never" or bibtex == "always"
        if wants_bib and bib_runs == 0:
            say(f"bibtex on {name}.aux")
            bproc = _run(["bibtex", name], directory, timeout)
            bib_runs += 1
            blg = _read(directory / f"{name}.blg")
            if bproc.returncode >= 2:
                raise LatexError(f"bibtex failed on {name}.aux: {blg.strip()[-400:]}", parse_log(log, blg), log)
            continue
        if not report.needs_rerun or runs >= max_runs:
            break
    report = parse_log(log, blg)
    pdf = directory / f"{name}.pdf"
    result = CompileResult(pdf if pdf.exists() else None, report, runs, log, bib_runs)
    if result.pdf is None:
        raise LatexError(f"pdflatex wrote no PDF for {name}.tex", report, log)
    refused = report.problems(overfull_threshold) if strict else []
    if refused:
        raise LatexError(f"{name}.tex compiled with problems: {'; '.join(refused[:5])}", report, log)
    return result


def compile_tex(
    tex_path,
    *,
    output_pdf=None,
    max_runs: int = 5,
    timeout: float = 120.0,
    bibtex: str = "auto",
    overfull_threshold: float | None = None,
    strict: bool = True,
) -> CompileResult:
    """Compile a ``.tex`` file in a private temporary copy of its directory (the source tree stays clean).

    ``output_pdf``: where to put the PDF (written atomically); the result's ``pdf`` then points there, else the
    PDF is discarded with the temporary directory and ``pdf`` is None after return (the report stays).
    """
    tex_path = Path(tex_path)
    if tex_path.suffix != ".tex" or not tex_path.is_file():
        raise InputError("tex_path", str(tex_path), "must be an existing .tex file")
    with tempfile.TemporaryDirectory(prefix="schattheory-tex-") as tmp:
        work = Path(tmp) / "src"
        shutil.copytree(
            tex_path.parent,
            work,
            ignore=shutil.ignore_patterns(
                "*.aux", "*.log", "*.pdf", "*.out", "*.toc", "*.bbl", "*.blg", "__pycache__", ".git"
            ),
        )
        result = compile_in(
            work,
            tex_path.stem,
            max_runs=max_runs,
            timeout=timeout,
            bibtex=bibtex,
            overfull_threshold=overfull_threshold,
            strict=strict,
        )
        if output_pdf is not None:
            output_pdf = Path(output_pdf)
            tmp_pdf = output_pdf.with_name(f".{output_pdf.name}.tmp")
            shutil.copyfile(result.pdf, tmp_pdf)
            os.replace(tmp_pdf, output_pdf)
            result.pdf = output_pdf
        else:
            result.pdf = None
    return result


def pdftotext(pdf, *, raw: bool = False) -> str:
    """The text of a PDF, for checking what a compiled document says: ``-layout`` (as it looks) or ``raw``
    (content-stream order: a table cell's lines stay together)."""
    if shutil.which("pdftotext") is None:
        raise LatexError("pdftotext is not on the PATH; install poppler-utils")
    proc = subprocess.run(
        ["pdftotext", "-raw" if raw else "-layout", "-enc", "UTF-8", str(pdf), "-"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )
    if proc.returncode != 0:
        raise LatexError(f"pdftotext failed on {pdf}: {proc.stderr.decode('utf-8', 'replace').strip()}")
    return proc.stdout.decode("utf-8", "replace")
