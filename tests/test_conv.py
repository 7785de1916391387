"""Conv spectra: the FFT method against the dense unrolled operator, built independently with scipy.signal."""

import numpy as np
import pytest
import scipy.signal
from hypothesis import given
from hypothesis import strategies as st

from schattheory.foundation.errors import InputError
from schattheory.networks.conv import conv_singular_values, output_size, parse_input_size
from schattheory.networks.spectra import NetworkSpectra


def dense_operator(K, h, w, padding="circular", stride=1):
    """The matrix of torch-style cross-correlation, column by column from basis inputs (scipy.signal)."""
    co, ci, kh, kw = K.shape
    cols = []
    for c in range(ci):
        for i in range(h):
            for j in range(w):
                x = np.zeros((h, w))
                x[i, j] = 1.0
                outs = []
                for o in range(co):
                    if padding == "circular":
                        # wrap-pad by the kernel extent and correlate 'valid':
                        # output (u, v) reads x[(u+a) % h, (v+b) % w]
                        xp = np.pad(x, ((0, kh - 1), (0, kw - 1)), mode="wrap")
                        y = scipy.signal.correlate2d(xp, K[o, c], mode="valid")
                    else:
                        pad = {"same": (kh // 2, kw // 2), "valid": (0, 0)}.get(padding, (padding, padding))
                        y = scipy.signal.correlate2d(np.pad(x, ((pad[0],) * 2, (pad[1],) * 2)), K[o, c], mode="valid")
                    outs.append(y[::stride, ::stride].ravel())
                cols.append(np.concatenate(outs))
    # column index (c, i, j); each column holds all output channels
    return np.array(cols).T


def _svals(M):
    return np.linalg.svd(M, compute_uv=False)


@given(
    co=st.integers(1, 3),
    ci=st.integers(1, 3),
    kh=st.integers(1, 3),
    kw=st.integers(1, 3),
    h=st.integers(3, 6),
    w=st.integers(3, 6),
    seed=st.integers(0, 10**6),
)
def test_circular_padding_is_exact(co, ci, kh, kw, h, w, seed):
    K = np.random.default_rng(seed).standard_normal((co, ci, kh, kw))
    ref = _svals(dense_operator(K, h, w))
    res = conv_singular_values(K, (h, w), "circular")
    assert res.exact and res.sigma.size == ref.size == min(co, ci) * h * w
    np.testing.assert_allclose(res.sigma, ref, rtol=1e-10, atol=1e-12 * ref[0])
    assert res.operator_shape == (co * h * w, ci * h * w)


@pytest.mark.parametrize("padding", ["same", "valid", 2])
@pytest.mark.parametrize("stride", [1, 2])
def test_other_paddings_are_upper_bounds_with_a_measured_gap(padding, stride):
    """sigma_i(zero-padded / strided operator) <= sigma_i(circular operator on the padded grid), for every i."""
    rng = np.random.default_rng(3)
    K = rng.standard_normal((3, 2, 3, 3))
    h, w = 7, 6
    M = dense_operator(K, h, w, padding, stride)
    ref = _svals(M)
    res = conv_singular_values(K, (h, w), padding, stride, exact_limit=0)
    assert not res.exact and "upper bound" in res.note
    assert M.shape == res.operator_shape
    assert res.sigma.size >= ref.size
    assert np.all(ref <= res.sigma[: ref.size] * (1 + 1e-12))
    for p in (0.5, 1.0, 2.0):  # hence every Schatten quasi-norm is bounded above too
        assert np.sum(ref**p) <= np.sum(res.sigma**p) * (1 + 1e-12)


def test_same_padding_gap_shrinks_as_the_input_grows():
    """The documented approximation: spectral norm of 'same' zero padding vs the circular bound, relative gap."""
    K = np.random.default_rng(5).standard_normal((2, 2, 3, 3))
    gaps, nuc_gaps, circ_nuc = [], [], []
    for n in (4, 8, 14):
        ref = _svals(dense_operator(K, n, n, "same"))
        bound = conv_singular_values(K, (n, n), "same", exact_limit=0).sigma
        circ = conv_singular_values(K, (n, n), "circular").sigma
        assert ref[0] <= bound[0] * (1 + 1e-12)
        gaps.append((bound[0] - ref[0]) / ref[0])
        nuc_gaps.append((bound.sum() - ref.sum()) / ref.sum())
        circ_nuc.append(abs(circ.sum() - ref.sum()) / ref.sum())
    # the numbers quoted in the conv module docstring
    np.testing.assert_allclose(gaps, [0.184, 0.0505, 0.0211], rtol=0.02)
    np.testing.assert_allclose(nuc_gaps, [1.836, 0.754, 0.396], rtol=0.02)
    np.testing.assert_allclose(circ_nuc, [0.233, 0.124, 0.0685], rtol=0.02)


def test_identity_kernel_and_orthogonal_mixing():
    K = np.zeros((2, 2, 3, 3))
    K[:, :, 1, 1] = [[0.0, 2.0], [2.0, 0.0]]  # a channel swap times 2: every singular value is 2
    res = conv_singular_values(K, (5, 4))
    np.testing.assert_allclose(res.sigma, np.full(40, 2.0), rtol=1e-14)


def test_network_spectra_uses_operator_spectra_for_conv_layers():
    rng = np.random.default_rng(0)
    K = rng.standard_normal((4, 3, 3, 3)).astype(np.float32)
    net = NetworkSpectra.from_model({"conv.weight": K}, input_size="5x5", padding="circular")
    lay = net.layers[0]
    ref = _svals(dense_operator(K.astype(np.float64), 5, 5))
    np.testing.assert_allclose(lay.sigma, ref, rtol=1e-9)
    assert lay.multiplicity == 25 and lay.out_features == 4 and lay.in_features == 27
    dense = dense_operator(K.astype(np.float64), 5, 5)
    np.testing.assert_allclose(lay.norm21, np.linalg.norm(dense, axis=1).sum(), rtol=1e-9)  # ||op^T||_{2,1}
    filt = net.extras["filter_sigma"]["conv.weight"]
    np.testing.assert_allclose(filt, _svals(K.reshape(4, -1).astype(np.float64)), rtol=1e-12)
    # without an input size: the filter matrix, and a note saying so
    plain = NetworkSpectra.from_model({"conv.weight": K})
    assert plain.layers[0].shape == (4, 27) and "filter matrix" in plain.notes[0]


def test_large_channel_counts_are_batched():
    """Many channels: the frequency batches are bounded; result matches an unbatched decomposition."""
    from schattheory.networks import conv

    K = np.random.default_rng(1).standard_normal((16, 8, 3, 3))
    full = conv.conv_singular_values(K, (6, 6)).sigma
    old = conv._BATCH_BYTES
    try:
        conv._BATCH_BYTES = 16 * 16 * 8 * 3  # 3 frequencies per batch
        batched = conv.conv_singular_values(K, (6, 6)).sigma
    finally:
        conv._BATCH_BYTES = old
    np.testing.assert_allclose(batched, full, rtol=1e-13)


def test_input_checks():
    assert parse_input_size("32x16") == (32, 16) and parse_input_size((4, 5)) == (4, 5)
    assert output_size((1, 1, 3, 3), (8, 8), "valid") == (6, 6)
    for bad in ("3y", "0x4", "1x2x3", None):
        with pytest.raises(InputError):
            parse_input_size(bad)
    with pytest.raises(InputError, match="smaller than the 5x5 kernel"):
        conv_singular_values(np.ones((1, 1, 5, 5)), (3, 3))
    with pytest.raises(InputError, match="padding"):
        conv_singular_values(np.ones((1, 1, 3, 3)), (4, 4), "reflect")
    with pytest.raises(InputError, match="stride"):
        conv_singular_values(np.ones((1, 1, 3, 3)), (4, 4), stride=0)
