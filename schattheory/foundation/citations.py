"""The works the toolkit cites (:class:`Citation`, :func:`cite`). Locators are added where a formula is registered.

:mod:`schattheory.foundation.provenance` re-exports these; this module imports nothing of the package's own.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace

__all__ = ["Citation", "cite", "CITATIONS"]


@dataclass(frozen=True)
class Citation:
    key: str
    authors: tuple[str, ...]
    year: int
    title: str
    venue: str
    locator: str = ""
    arxiv: str | None = None
    doi: str | None = None
    url: str | None = None
    entry_type: str = "article"

    def at(self, locator: str) -> "Citation":
        """The same work with another locator ("Lemma 3.2", "eq. (1.2)")."""
        return replace(self, locator=locator)

    def author_text(self) -> str:
        # "{...}" is BibTeX's corporate author: kept whole
        last = [
            a.strip("{}") if a.startswith("{") else (a.split(",")[0] if "," in a else a.split()[-1])
            for a in self.authors
        ]
        if len(last) == 1:
            return last[0]
        if len(last) == 2:
            return f"{last[0]} and {last[1]}"
        return f"{last[0]} et al."

    def short(self) -> str:
        base = f"{self.author_text()} ({self.year})"
        return f"{base}, {self.locator}" if self.locator else base

    def bibtex(self) -> str:
        fields = {
            "author": " and ".join(self.authors),
            "title": "{" + self.title + "}",
            "year": str(self.year),
        }
        venue_field = {"article": "journal", "inproceedings": "booktitle"}.get(self.entry_type, "howpublished")
        fields[venue_field] = self.venue
        if self.arxiv:
            fields["eprint"] = self.arxiv
            fields["archivePrefix"] = "arXiv"
        if self.doi:
            fields["doi"] = self.doi
        if self.url:
            fields["url"] = self.url
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items())
        return f"@{self.entry_type}{{{self.key},\n{body}\n}}"


_ALL = [
    Citation(
        "ledent2025",
        ("Antoine Ledent", "Rodrigo Alves", "Yunwen Lei"),
        2025,
        "Generalization Bounds for Rank-sparse Neural Networks",
        "Advances in Neural Information Processing Systems (NeurIPS)",
        arxiv="2510.21945",
        url="https://arxiv.org/abs/2510.21945",
        entry_type="inproceedings",
    ),
    Citation(
        "ledent_alves2024",
        ("Antoine Ledent", "Rodrigo Alves"),
        2024,
        "Generalization Analysis of Deep Non-linear Matrix Completion",
        "International Conference on Machine Learning (ICML), PMLR 235",
        entry_type="inproceedings",
    ),
    Citation(
        "ledent2021",
        ("Antoine Ledent", "Waleed Mustafa", "Yunwen Lei", "Marius Kloft"),
        2021,
        "Norm-based generalisation bounds for multi-class convolutional neural networks",
        "AAAI Conference on Artificial Intelligence",
        arxiv="1905.12430",
        entry_type="inproceedings",
    ),
    Citation(
        "bartlett2017",
        ("Peter L. Bartlett", "Dylan J. Foster", "Matus Telgarsky"),
        2017,
        "Spectrally-normalized margin bounds for neural networks",
        "Advances in Neural Information Processing Systems (NeurIPS)",
        arxiv="1706.08498",
        entry_type="inproceedings",
    ),
    Citation(
        "neyshabur2018",
        ("Behnam Neyshabur", "Srinadh Bhojanapalli", "Nathan Srebro"),
        2018,
        "A PAC-Bayesian approach to spectrally-normalized margin bounds for neural networks",
        "International Conference on Learning Representations (ICLR)",
        arxiv="1707.09564",
        entry_type="inproceedings",
    ),
    Citation(
        "golowich2018",
        ("Noah Golowich", "Alexander Rakhlin", "Ohad Shamir"),
        2018,
        "Size-independent sample complexity of neural networks",
        "Conference on Learning Theory (COLT)",
        arxiv="1712.06541",
        entry_type="inproceedings",
    ),
    Citation(
        "arora2018",
        ("Sanjeev Arora", "Rong Ge", "Behnam Neyshabur", "Yi Zhang"),
        2018,
        "Stronger generalization bounds for deep nets via a compression approach",
        "International Conference on Machine Learning (ICML)",
        arxiv="1802.05296",
        entry_type="inproceedings",
    ),
    Citation(
        "bartlett2019vc",
        ("Peter L. Bartlett", "Nick Harvey", "Christopher Liaw", "Abbas Mehrabian"),
        2019,
        "Nearly-tight VC-dimension and pseudodimension bounds for piecewise linear neural networks",
        "Journal of Machine Learning Research 20(63)",
        arxiv="1703.02930",
        url="https://jmlr.org/papers/v20/17-612.html",
    ),
    Citation(
        "graf2022",
        ("Florian Graf", "Sebastian Zeng", "Bastian Rieck", "Marc Niethammer", "Roland Kwitt"),
        2022,
        "On Measuring Excess Capacity in Neural Networks",
        "Advances in Neural Information Processing Systems (NeurIPS)",
        entry_type="inproceedings",
    ),
    Citation(
        "long_sedghi2020",
        ("Philip M. Long", "Hanie Sedghi"),
        2020,
        "Generalization bounds for deep convolutional neural networks",
        "International Conference on Learning Representations (ICLR)",
        entry_type="inproceedings",
    ),
    Citation(
        "pinto2024",
        ("Andrea Pinto", "Akshay Rangamani", "Tomaso Poggio"),
        2024,
        "On Generalization Bounds for Neural Networks with Low Rank Layers",
        "arXiv preprint",
        arxiv="2411.13733",
        entry_type="misc",
    ),
    Citation(
        "candes_plan2011",
        ("Emmanuel J. Candès", "Yaniv Plan"),
        2011,
        "Tight oracle inequalities for low-rank matrix recovery from a minimal number of noisy random measurements",
        "IEEE Transactions on Information Theory 57(4)",
    ),
    Citation(
        "hinrichs2017",
        ("Aicke Hinrichs", "Joscha Prochno", "Jan Vybíral"),
        2017,
        "Entropy numbers of embeddings of Schatten classes",
        "Journal of Functional Analysis 273",
        arxiv="1612.08105",
    ),
    Citation(
        "foucart_rauhut2013",
        ("Simon Foucart", "Holger Rauhut"),
        2013,
        "A Mathematical Introduction to Compressive Sensing",
        "Birkhäuser",
        entry_type="book",
    ),
    Citation(
        "mohri2018",
        ("Mehryar Mohri", "Afshin Rostamizadeh", "Ameet Talwalkar"),
        2018,
        "Foundations of Machine Learning (2nd ed.)",
        "MIT Press",
        entry_type="book",
    ),
    Citation(
        "shalevshwartz2014",
        ("Shai Shalev-Shwartz", "Shai Ben-David"),
        2014,
        "Understanding Machine Learning: From Theory to Algorithms",
        "Cambridge University Press",
        entry_type="book",
    ),
    Citation("natarajan1989", ("Balas K. Natarajan",), 1989, "On learning sets and functions", "Machine Learning 4"),
    Citation(
        "mcallester2003", ("David McAllester",), 2003, "PAC-Bayesian stochastic model selection", "Machine Learning 51"
    ),
    Citation(
        "seeger2002",
        ("Matthias Seeger",),
        2002,
        "PAC-Bayesian generalisation error bounds for Gaussian process classification",
        "Journal of Machine Learning Research 3",
    ),
    Citation(
        "maurer2004",
        ("Andreas Maurer",),
        2004,
        "A note on the PAC-Bayesian theorem",
        "arXiv preprint",
        arxiv="cs/0411099",
        entry_type="misc",
    ),
    Citation("bhatia1997", ("Rajendra Bhatia",), 1997, "Matrix Analysis", "Springer", entry_type="book"),
    Citation(
        "dai2021",
        ("Zhen Dai", "Mina Karzand", "Nathan Srebro"),
        2021,
        "Representation costs of linear neural networks: analysis and design",
        "Advances in Neural Information Processing Systems (NeurIPS)",
        entry_type="inproceedings",
    ),
    Citation(
        "srebro2004",
        ("Nathan Srebro", "Jason Rennie", "Tommi Jaakkola"),
        2004,
        "Maximum-margin matrix factorization",
        "Advances in Neural Information Processing Systems (NIPS)",
        entry_type="inproceedings",
    ),
    Citation(
        "pisier1981",
        ("Gilles Pisier",),
        1981,
        "Remarques sur un résultat non publié de B. Maurey",
        "Séminaire d'Analyse Fonctionnelle",
    ),
    Citation(
        "zhang2002",
        ("Tong Zhang",),
        2002,
        "Covering number bounds of certain regularized linear function classes",
        "Journal of Machine Learning Research 2",
    ),
    Citation(
        "dudley1967",
        ("Richard M. Dudley",),
        1967,
        "The sizes of compact subsets of Hilbert space and continuity of Gaussian processes",
        "Journal of Functional Analysis 1",
    ),
    Citation(
        "vershynin2018",
        ("Roman Vershynin",),
        2018,
        "High-Dimensional Probability",
        "Cambridge University Press",
        entry_type="book",
    ),
    Citation(
        "sedghi2019",
        ("Hanie Sedghi", "Vineet Gupta", "Philip M. Long"),
        2019,
        "The singular values of convolutional layers",
        "International Conference on Learning Representations (ICLR)",
        entry_type="inproceedings",
    ),
    Citation(
        "roy_vetterli2007",
        ("Olivier Roy", "Martin Vetterli"),
        2007,
        "The effective rank: a measure of effective dimensionality",
        "European Signal Processing Conference",
        entry_type="inproceedings",
    ),
    Citation("mccarthy1967", ("Charles A. McCarthy",), 1967, "c_p", "Israel Journal of Mathematics 5"),
    Citation(
        "schattheory",
        ("{The schattheory developers}",),
        2026,
        "schattheory: derivations in this toolkit",
        "software",
        entry_type="misc",
    ),
]

CITATIONS: dict[str, Citation] = {c.key: c for c in _ALL}


def cite(key: str, locator: str = "") -> Citation:
    """A citation of a known work, at a locator."""
    try:
        c = CITATIONS[key]
    except KeyError:
        close = difflib.get_close_matches(key, CITATIONS, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"unknown citation key {key!r}{hint}") from None
    return c.at(locator) if locator else c
