"""The derivation package's layout: the public import path stays, the modules import no cycle back to the lemma
modules they serve, and the LaTeX of steps goes through the one escaper."""

import ast
import pathlib

import sympy as sp

import schattheory

PKG = pathlib.Path(schattheory.__file__).parent


def _imports(path: pathlib.Path) -> set:
    """Absolute module names imported anywhere in the file (function-level imports included)."""
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts[:-1] if rel.parts[-1] == "__init__" else rel.parts)
    here = parts if path.name == "__init__.py" else parts[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = here[: len(here) - (node.level - 1)] if node.level else []
            mod = ".".join(base + ([node.module] if node.module else []))
            out.add(mod)
            out |= {f"{mod}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
    return out


PUBLIC = (
    "AllocateScales Apply CauchySchwarz Choose Coefficient Derivation DerivationError DropConstants "
    "FactorOut Relax Start Step Substitute SumOverLayers UnionBound UseLemma derive derived_bound "
    "layer_function monomial per_layer split_constant"
).split()


def test_public_names_and_the_lemma_steps_in_their_layer():
    from schattheory.core import derivation
    from schattheory.lemmas import steps

    missing = [name for name in PUBLIC if getattr(derivation, name, None) is None]
    assert missing == []
    assert issubclass(steps.DudleyStep, derivation.Step) and issubclass(steps.OptimiseRank, derivation.Step)
    assert callable(derivation.derive)
    # the core does not hand out the lemma layer's steps (an arrow up, by name)
    assert not hasattr(derivation, "DudleyStep") and not hasattr(derivation, "OptimiseRank")


def test_derivation_modules_import_no_lemma_and_no_latex_layer():
    files = sorted((PKG / "core" / "derivation").glob("*.py"))
    assert len(files) >= 4
    for f in files:
        up = {m for m in _imports(f) if m.startswith(("schattheory.lemmas", "schattheory.outputs"))}
        assert not up, f"{f.name} imports {up} (the engine sits below the lemmas and the LaTeX layer)"
    assert "schattheory.lemmas.dudley" not in _imports(PKG / "lemmas" / "dudley_integral.py")


def test_citations_import_nothing_of_the_package():
    own = {m for m in _imports(PKG / "foundation" / "citations.py") if m.startswith("schattheory")}
    assert not own, own


def test_step_text_escaped_by_the_one_escaper():
    from schattheory.core.derivation import Relax
    from schattheory.foundation.tex_text import escape

    x = sp.Symbol("x", positive=True)
    step = Relax(old=x, new=x + 1, because="x <= x + 1 \\ σ")
    text = step.latex()
    assert escape("x <= x + 1 \\ σ") in text
    assert r"x $\leq$ x + 1" in text and r"\textbackslash{}" in text and r"$\sigma$" in text and "\\{\\}" not in text
