"""Booktabs tables built from computed rows: sample complexity, claims audit, per-network results."""

import math

import pytest
import sympy as sp

from schattheory.foundation.errors import InputError
from schattheory.foundation.notation import use
from schattheory.foundation.symbols import L, W, r
from schattheory.foundation.tex_text import breakable_key, escape_breakable
from schattheory.outputs.latex import tables


def _exponent(expr, x):
    """Growth exponent of expr in x, by an independent route: lim log(expr)/log(x) as x -> oo (others = 3)."""
    others = {s: 3 for s in expr.free_symbols if s != x}
    return sp.limit(sp.log(expr.subs(others)) / sp.log(x), x, sp.oo)


def _row(key, label, expr, low_rank):
    growth = {s: _exponent(expr, s) for s in (W, L, r)}
    return {
        "key": key,
        "label": label,
        "sample_complexity": expr,
        "growth": growth,
        "exploits_low_rank": low_rank,
        "depth_exponent": growth[L],
    }


ROWS = [
    _row("demo.rank_sparse", "Rank-sparse, p -> 0", 2 * W * r * L**2, True),
    _row("demo.param_count", "Parameter counting", W**2 * L**2, False),
    _row("demo.product", "Frobenius product", 2**L * W, False),
]


def test_exponents_in_the_rows_are_computed_not_typed():
    assert ROWS[0]["growth"] == {W: 1, L: 2, r: 1}
    assert ROWS[1]["growth"] == {W: 2, L: 2, r: 0}
    assert ROWS[2]["growth"][L] is sp.oo


def test_sample_complexity_table_rows():
    tex = tables.sample_complexity_table(ROWS)
    lines = [ln for ln in tex.splitlines() if ln.endswith(r"\\") and "caption" not in ln]
    assert lines[0].startswith("Bound & Sample complexity & $W$ & $L$ & $r$ & Low rank & Depth")
    assert lines[1] == lines[0]  # the head repeats on continuation pages (longtable)
    lines = lines[1:]
    assert lines[1] == (
        r"Rank-sparse, p -$>$ 0 & $\widetilde{O}\left(2 L^{2} W r\right)$ & $1$ & $2$ & $1$ & "
        r"yes & $L^{2}$ \\"
    )
    assert lines[2] == (
        r"Parameter counting & $\widetilde{O}\left(L^{2} W^{2}\right)$ & $2$ & $2$ & $0$ & no & "
        r"$L^{2}$ \\"
    )
    assert r"$\infty$ & $0$ & no & exp. \\" in lines[3]
    assert "where" not in tex  # every expression fits its column
    assert tex.count("\\toprule") == 2 and tex.count("\\midrule") == 2 and tex.count("\\bottomrule") == 1
    assert "|" not in tex.split("\\begin{longtable}")[1].split("\n")[0]  # booktabs: no vertical rules


def test_too_wide_sample_complexities_are_named_and_defined_below():
    wide = sp.Add(*[sp.Symbol(f"x_{i}", positive=True) ** 2 for i in range(30)]) * W * L**2
    row = {
        "key": "demo.wide",
        "label": "wide",
        "sample_complexity": wide,
        "growth": {"W": 1, "L": 2, "r": 0},
        "exploits_low_rank": False,
        "depth_exponent": 2,
    }
    tex = tables.sample_complexity_table([row, ROWS[0], dict(row, key="demo.again")])
    assert tex.count(r"$\widetilde{O}\left(Z_{1}\right)$") == 2  # the same expression, named once
    notes = tex.split("where", 1)[1]
    assert "Z_{1} = " in notes and notes.count("Z_{1} = ") == 1 and r"\end{longtable}" in tex.split("where")[0]
    assert notes.count("&= ") == 1  # the wide sum is named once and broken over lines, not term by term


def test_exponential_growth_objects_print_as_exp():
    class Exponential:  # what the asymptotic engine reports for r**L: a rate, not a polynomial exponent
        rate = sp.log(r)

    row = dict(ROWS[2], growth={"W": 0, "L": Exponential(), "r": L}, depth_exponent=Exponential())
    assert r"& $0$ & exp. & $L$ & no & exp. \\" in tables.sample_complexity_table([row])


def test_sample_complexity_table_follows_the_notation():
    with use(width="h", depth="D", Otilde=r"\tilde{\mathcal{O}}"):
        tex = tables.sample_complexity_table(ROWS[:1])
    assert r"$h$ & $D$ & $r$" in tex and r"\tilde{\mathcal{O}}\left(2 D^{2} h r\right)" in tex and "$D^{2}$" in tex


def test_rows_as_objects_and_missing_fields():
    class Row:
        key, label, sample_complexity = "demo.x", "x", W * L
        growth, exploits_low_rank, depth_exponent = {"W": 1, "L": 1, "r": 0}, False, 1

    assert r"& $1$ & $1$ & $0$ & no & $L$ \\" in tables.sample_complexity_table([Row()])
    with pytest.raises(InputError, match="has no field 'sample_complexity'"):
        tables.sample_complexity_table([{"key": "demo.y"}])
    with pytest.raises(InputError, match="at least one"):
        tables.sample_complexity_table([])


class Claim:
    def __init__(self, id, text, verdict, checked_against, convention=""):
        self.id, self.text, self.verdict = id, text, verdict
        self.checked_against, self.convention = checked_against, convention


CLAIMS = [
    Claim(
        "C04",
        "Main bound, p->0: sample complexity O~(W r L^2).",
        "holds",
        ["ledent2025.fc_dominant"],
        "square W x W layers",
    ),
    Claim("C06", "Main bound, p->oo: O~(W^2 L) & 100% classical", "fails", "ledent2025.fc_dominant"),
]


def test_claims_table():
    tex = tables.claims_table(CLAIMS)
    assert "\\begin{longtable}" in tex and tex.count("\\toprule") == 2  # first head and continued head
    assert (
        r"C04 & "
        + escape_breakable(CLAIMS[0].text)
        + " & holds & "
        + breakable_key("ledent2025.fc_dominant")
        + r" & square W x W layers \\"
    ) in tex
    assert escape_breakable("O~(W^2 L) & 100% classical") + r" & \textbf{fails}" in tex


def test_network_results_table_formats_from_log10_and_marks_the_smallest():
    results = [
        {"key": "ledent2025.fc_dominant", "mode": "dominant", "p": 0.5, "value": None, "log10_value": 456.0916},
        {"key": "bartlett2017.dominant", "mode": "dominant", "p": None, "value": 31.6, "log10_value": math.log10(31.6)},
        {
            "key": "ledent2025.fc_explicit",
            "mode": "explicit",
            "p": [0.5, 1.0],
            "value": 2.0e9,
            "log10_value": math.log10(2.0e9),
        },
    ]
    tex = tables.network_results_table(results, network="mlp-3")
    assert r"$1.23 \times 10^{456}$ & $456.092$ \\" in tex
    assert r"\textbf{" + breakable_key("bartlett2017.dominant") + "}" in tex and r"$\mathbf{31.6}$" in tex
    assert r"per layer: 0.5, 1" in tex and r"$\mathbf{2.00 \times 10^{9}}$" in tex
    assert r"\label{tab:net-mlp-3}" in tex


@pytest.mark.parametrize(
    "value, log10, expected",
    [
        (None, 456.0915, r"$1.23 \times 10^{456}$"),
        (1234.5, None, r"$1.23 \times 10^{3}$"),
        (None, -7.5, r"$3.16 \times 10^{-8}$"),
        (31.6, None, "$31.6$"),
        (0.0, None, "$0$"),
        (None, None, "--"),
        (float("inf"), None, r"$\infty$"),
        (None, 2.0, "$100$"),
    ],
)
def test_format_number(value, log10, expected):
    assert tables.format_number(value, log10) == expected


def test_network_results_from_an_evaluation_object_with_optimised_p():
    class Evaluation:  # what schattheory.networks.evaluate returns: rows in .bounds
        bounds = [
            {
                "key": "ledent2025.fc",
                "family": "ledent2025.fc",
                "mode": "dominant",
                "p": [0.25, 0.5, 1.0],
                "p_rule": "optimised per layer",
                "value": 12.5,
                "log10_value": math.log10(12.5),
            },
            {
                "key": "ledent2025.fc",
                "family": "ledent2025.fc",
                "mode": "dominant",
                "p": 0.5,
                "p_rule": "fixed",
                "value": 20.0,
                "log10_value": math.log10(20.0),
            },
        ]

    tex = tables.network_results_table(Evaluation(), network="digits")
    assert r"opt.: 0.25, 0.5, 1" in tex and r"$\mathbf{12.5}$" in tex and "& $0.5$ & $20$ &" in tex


def test_claims_table_caption_names_every_verdict():
    from schattheory.analysis.claims import VERDICTS

    assert tables.VERDICTS is VERDICTS  # one vocabulary, the audit's
    tex = tables.claims_table(CLAIMS + [Claim("C14", "Beats the baselines", "not-universal", "counting.dominant")])
    caption = tex[tex.index(r"\caption{") :]
    caption = caption[: caption.index(r"\label")]
    for verdict in VERDICTS:
        assert verdict.replace("-", " ").replace("holds up to constant", "holds up to a constant").replace(
            "depends on convention", "depends on a convention"
        ) in " ".join(caption.split()), verdict
    assert "C14 & Beats the baselines & not-universal & " in tex
