"""proofs/: every step checked (identities exactly, inequalities symbolically or by a seeded 50-digit search),
statements current, keys registered and covered (tests/test_latex_compile.py compiles every proof.tex)."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "proofs"))
import proofkit  # noqa: E402

from schattheory.core import registry  # noqa: E402

FOLDERS = proofkit.folders()
STEPS = [(f, i) for f in FOLDERS for i, _ in enumerate(proofkit.load_steps(f).STEPS)]
MODULE_STEPS = {f.name: proofkit.load_steps(f).STEPS for f in FOLDERS}


def test_folders_are_complete():
    assert len(FOLDERS) >= 12
    for f in FOLDERS:
        for name in ("statement.tex", "proof.tex", "steps.py"):
            assert (f / name).exists(), f / name
        text = (f / "proof.tex").read_text(encoding="utf-8")
        assert r"\input{statement}" in text and r"\begin{document}" in text


@pytest.mark.parametrize("folder,idx", STEPS, ids=[f"{f.name}-{i}" for f, i in STEPS])
def test_step(folder, idx):
    step = MODULE_STEPS[folder.name][idx]
    res = proofkit.check_step(step, max_examples=40)
    assert res.ok, f"{res.step} [{res.method}]: {res.detail}"
    if res.kind == "identity":
        assert res.method == "symbolic"


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_statement_is_current_and_keys_registered(folder):
    keys = proofkit.load_steps(folder).KEYS
    assert keys and all(k in registry.keys() for k in keys)
    assert proofkit.statement_is_current(folder), f"run python3 proofs/proofkit.py --write to regenerate {folder.name}"


def test_every_issue3_lemma_has_a_proof_folder():
    covered = {k for f in FOLDERS for k in proofkit.load_steps(f).KEYS}
    prefixes = ("covering.", "maurey.", "balancing.", "network_cover.", "derived.")
    dudley = {k for k in registry.keys("dudley.") if not k.startswith("dudley.example")}
    missing = {k for k in registry.keys() if k.startswith(prefixes)} - covered
    assert not missing and dudley <= covered, sorted(missing | (dudley - covered))


def test_statement_rendering_reflects_the_registry(tmp_path):
    text = proofkit.render_statement(["covering.mixed_layer"])
    assert "(derived)" in text and text.startswith(proofkit.HEADER)


# every proof.tex (and statement.tex) is compiled by tests/test_latex_compile.py::test_every_proof_in_proofs_compiles
