"""Deep networks: 1000 layers with spectral norm 3 (product 3^1000 ~ 1e477, beyond float64) without overflow."""

import json
import math

import mpmath
import numpy as np
import pytest

from schattheory.networks.evaluate import evaluate
from schattheory.networks.spectra import NetworkSpectra
from schattheory.networks.synthetic import layer_spectrum, synthetic_network

DEPTH, WIDTH = 1000, 4


@pytest.fixture(scope="module")
def deep():
    return synthetic_network(DEPTH, WIDTH, spectral=3.0, decay=1.0, seed=11)


def test_generator_spectra_are_as_prescribed(deep):
    for A in deep[::97]:
        np.testing.assert_allclose(np.linalg.svd(A, compute_uv=False), layer_spectrum(WIDTH, 3.0, 1.0), rtol=1e-13)


def test_deep_spectra_do_not_overflow(deep):
    net = NetworkSpectra.from_model(deep)
    assert len(net) == DEPTH
    np.testing.assert_allclose(net.spectral, 3.0, rtol=1e-13)
    # log10 prod of spectral norms against 50-digit mpmath on the computed sigma_1 values
    with mpmath.workdps(50):
        ref = mpmath.fsum(mpmath.log10(mpmath.mpf(float(s))) for s in net.spectral)
    assert net.log10_spectral_product() == pytest.approx(float(ref), rel=1e-13)
    assert net.log10_spectral_product() == pytest.approx(DEPTH * math.log10(3), rel=1e-12)
    with np.errstate(over="ignore"):
        assert np.prod(net.spectral) == math.inf  # the naive product really overflows
    stats = net.to_netstats()
    assert stats.log_spectral_product() / math.log(10) == pytest.approx(DEPTH * math.log10(3), rel=1e-12)


def test_deep_evaluation_json_is_finite(deep):
    ev = evaluate(deep, n=10**5, input_norm=1.0, margin=1.0, ps=(0.5, 1.0))
    doc = json.loads(ev.to_json())  # allow_nan=False: no inf/NaN anywhere
    assert doc["log10_spectral_product"] == pytest.approx(DEPTH * math.log10(3), rel=1e-12)
    assert len(doc["layers"]) == DEPTH
    for b in doc["bounds"]:
        assert math.isfinite(b["log10_value"])
