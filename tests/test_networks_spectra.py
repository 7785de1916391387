"""NetworkSpectra: statistics from stored spectra against independent NumPy computations; precision; Gram path."""

import functools
import math

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given
from hypothesis import strategies as st

from schattheory.foundation.errors import InputError
from schattheory.networks.spectra import GRAM_RELIABLE, NetworkSpectra, singular_values
from schattheory.networks.synthetic import synthetic_network


def _layers(seed=0):
    rng = np.random.default_rng(seed)
    return [
        rng.standard_normal((7, 5)),
        rng.standard_normal((4, 7)) @ np.diag([1, 1, 1e-3, 0, 0, 2, 3.0]),
        rng.standard_normal((3, 4)),
    ]


@given(seed=st.integers(0, 10**6), p=st.sampled_from([0.1, 0.5, 1.0, 1.5, 2.0, 3.0]))
def test_statistics_match_numpy(seed, p):
    arrays = _layers(seed)
    net = NetworkSpectra.from_model(arrays)
    for i, A in enumerate(arrays):
        s = np.linalg.svd(A, compute_uv=False)
        assert net.spectral[i] == pytest.approx(np.linalg.norm(A, 2), rel=1e-12)
        assert net.frobenius[i] == pytest.approx(np.linalg.norm(A, "fro"), rel=1e-12)
        assert net.nuclear[i] == pytest.approx(np.linalg.norm(A, "nuc"), rel=1e-12)
        assert net.rank[i] == np.linalg.matrix_rank(A)
        assert net.stable_rank[i] == pytest.approx(np.linalg.norm(A, "fro") ** 2 / np.linalg.norm(A, 2) ** 2, rel=1e-12)
        assert net.norm21[i] == pytest.approx(sum(np.linalg.norm(row) for row in A), rel=1e-12)
        pos = s[s > 0]
        assert net.rank_proxy(p)[i] == pytest.approx(np.sum((pos / pos[0]) ** p), rel=1e-12)
        assert net.schatten(p)[i] == pytest.approx(np.sum(pos**p) ** (1 / p), rel=1e-12)
        assert net.log10_schatten(p)[i] == pytest.approx(math.log10(np.sum(pos**p) ** (1 / p)), rel=1e-12, abs=1e-14)
        q = pos / pos.sum()
        assert net.effective_rank[i] == pytest.approx(math.exp(-np.sum(q * np.log(q))), rel=1e-12)


def test_float32_is_decomposed_in_float32_unless_asked():
    A = np.random.default_rng(1).standard_normal((60, 40)).astype(np.float32)
    s32 = scipy.linalg.svdvals(A)
    s64 = scipy.linalg.svdvals(A.astype(np.float64))
    net32 = NetworkSpectra.from_model([A])
    net64 = NetworkSpectra.from_model([A], dtype="float64")
    np.testing.assert_allclose(net32.layers[0].sigma, s32, rtol=1e-6)  # the float32 LAPACK result...
    assert np.max(np.abs(net32.layers[0].sigma - s64) / s64) > 1e-9  # ...which is not the float64 one
    np.testing.assert_allclose(net64.layers[0].sigma, s64, rtol=1e-13)
    assert net32.info[0]["compute_dtype"] == "float32" and net64.info[0]["compute_dtype"] == "float64"


def test_extreme_magnitudes_do_not_overflow():
    for scale in (1e-300, 1e-150, 1e150, 1e300):
        A = np.diag([3.0, 2.0, 1.0]) * scale
        for method in ("svd", "gram"):
            s = singular_values(A, method)
            np.testing.assert_allclose(s / scale, [3, 2, 1], rtol=1e-12)


def test_zero_layer_and_bad_method():
    with pytest.raises(InputError, match="all-zero"):
        NetworkSpectra.from_model([np.zeros((3, 3))])
    with pytest.raises(InputError, match="method"):
        NetworkSpectra.from_model([np.eye(3)], method="eig")


@functools.lru_cache(maxsize=None)
def _decaying(m, n, low, seed=0):
    """float32 m x n with log-spaced singular values 1 .. low (orthonormal factors by reduced QR)."""
    rng = np.random.default_rng(seed)
    k = min(m, n)
    U, V = np.linalg.qr(rng.standard_normal((m, k)))[0], np.linalg.qr(rng.standard_normal((n, k)))[0]
    return ((U * np.logspace(0, np.log10(low), k)) @ V.T).astype(np.float32)


@pytest.mark.parametrize("shape", [(256, 1024), (1024, 256)])
def test_gram_error_model_on_resolved_values(shape):
    """Relative error of sigma_i by the Gram path <= 11 eps (sigma_1/sigma_i)^2 above the reliability threshold."""
    A = _decaying(*shape, 1e-5)
    ref = scipy.linalg.svdvals(A.astype(np.float64))
    g = singular_values(A, "gram")
    eps = float(np.finfo(np.float32).eps)
    resolved = ref > GRAM_RELIABLE * math.sqrt(eps) * ref[0]
    rel = np.abs(g - ref) / ref
    assert np.all(rel[resolved] <= 11 * eps * (ref[0] / ref[resolved]) ** 2)
    assert np.max(rel[~resolved]) > 0.05  # below the threshold: really lost
    assert np.max(np.abs(singular_values(A, "svd") - ref) / ref) < 1e-3  # SVD keeps them


def test_gram_rank_proxy_loss_is_measured_and_warned_about():
    """The figures quoted in the spectra docstring (256 x 1024 here: the same regime, faster)."""
    A = _decaying(256, 1024, 1e-5)
    ref = scipy.linalg.svdvals(A.astype(np.float64))
    net = NetworkSpectra.from_model([A], method="gram")
    svd = NetworkSpectra.from_model([A])

    def rp(sig, p):
        return np.sum((sig / sig[0]) ** p)

    ref = ref[ref > 1024 * float(np.finfo(np.float32).eps) * ref[0]]  # the noise floor of float32 storage
    errs = {p: abs(net.rank_proxy(p)[0] - rp(ref, p)) / rp(ref, p) for p in (0.1, 0.5, 1, 2)}
    assert 0.02 < errs[0.1] < 0.06 and 1e-3 < errs[0.5] < 6e-3 and errs[1] < 2e-4 and errs[2] < 1e-6, errs
    assert all(abs(svd.rank_proxy(p)[0] - rp(ref, p)) / rp(ref, p) < 1e-6 for p in (0.1, 0.5, 1, 2))
    warns = net.gram_warnings([0.1, 2.0])
    assert len(warns) == 1 and "p = 0.1" in warns[0] and "--method svd" in warns[0]
    assert net.gram_warnings([2.0]) == []  # large p: nothing to warn about
    well = NetworkSpectra.from_model([_decaying(256, 1024, 1e-2)], method="gram")
    assert well.info[0]["gram_unresolved"] == 0 and well.gram_warnings([0.1]) == []
    assert svd.gram_warnings([0.1]) == []


def test_gram_matches_svd_on_well_conditioned_layers():
    for A in synthetic_network(3, 64, decay=0.5, dtype=np.float32):
        np.testing.assert_allclose(singular_values(A, "gram"), singular_values(A, "svd"), rtol=2e-5)


def test_table_and_dataframe():
    net = NetworkSpectra.from_model(_layers())
    rows = net.layer_rows([0.5, 2])
    assert [r["name"] for r in rows] == ["layer0", "layer1", "layer2"]
    assert set(rows[0]["rank_proxy"]) == {"0.5", "2"}
    assert rows[0]["rank_proxy"]["2"] == pytest.approx(rows[0]["stable_rank"], rel=1e-12)
    pd = pytest.importorskip("pandas")
    df = net.to_dataframe([0.5, 2])
    assert isinstance(df, pd.DataFrame) and list(df.index) == ["layer0", "layer1", "layer2"]
    assert {"spectral", "stable_rank", "rank", "rank_proxy_0.5", "schatten_2"} <= set(df.columns)


def test_input_size_per_layer_must_name_conv_layers():
    with pytest.raises(InputError, match="not a selected conv layer"):
        NetworkSpectra.from_model({"fc.weight": np.eye(3)}, input_size={"fc.weight": (4, 4)})
