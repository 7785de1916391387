"""The numbers a network bound needs: per-layer spectra and norms, and data statistics.

This is the interface between the network loaders (``schattheory.networks``) and the bound families
(``schattheory.bounds``): loaders produce :class:`NetworkStats`, bounds consume it. Everything is float64 and
products over layers are taken in log space by the consumers.

>>> import numpy as np
>>> lay = LayerStats.from_matrix("fc1", np.diag([3.0, 4.0]))
>>> (lay.spectral, lay.frobenius, lay.nuclear, lay.rank)
(4.0, 5.0, 7.0, 2)
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import stable
from .errors import InputError

__all__ = ["LayerStats", "DataStats", "NetworkStats"]


@dataclass(frozen=True)
class LayerStats:
    """One weight layer in torch orientation (out, in).

    ``sigma``: singular values of the layer's linear operator (for a convolution, of the whole operator), descending.
    ``norm21``: ||A^T||_{2,1} = sum over output units of the l2 norm of their incoming weights (Bartlett et al.).
    ``multiplicity``: W_l of Theorem 3.6, the number of spatial positions (1 for dense layers).
    ``out_features``/``in_features``: U_l and d_{l-1} (for a conv layer: output channels and patch dimension).
    """

    name: str
    shape: tuple
    sigma: np.ndarray
    norm21: float
    multiplicity: int = 1
    out_features: int = 0
    in_features: int = 0
    dtype: str = "float64"
    rank_shape: tuple = ()

    def __post_init__(self):
        sig = stable.as_spectrum(np.asarray(self.sigma, dtype=np.float64), f"{self.name}.sigma")
        object.__setattr__(self, "sigma", sig)
        if not self.out_features:
            object.__setattr__(self, "out_features", int(self.shape[0]))
        if not self.in_features:
            object.__setattr__(self, "in_features", int(np.prod(self.shape[1:])))
        if not self.rank_shape:
            object.__setattr__(self, "rank_shape", (self.out_features, self.in_features))
        if sig[0] == 0:
            raise InputError(self.name, "all-zero weights", "a layer with zero spectral norm makes every bound 0/0")

    @classmethod
    def from_matrix(cls, name: str, A, sigma=None, multiplicity: int = 1) -> "LayerStats":
        from .errors import check_matrix
        from .matrix import singular_values

        arr = check_matrix(A, name)
        sig = singular_values(arr) if sigma is None else sigma
        norm21 = float(np.sum(np.linalg.norm(arr.astype(np.float64), axis=1)))
        return cls(name, tuple(arr.shape), sig, norm21, multiplicity, dtype=str(arr.dtype))

    @property
    def spectral(self) -> float:
        return float(self.sigma[0])

    @property
    def frobenius(self) -> float:
        return stable.schatten_norm(self.sigma, 2)

    @property
    def nuclear(self) -> float:
        return stable.schatten_norm(self.sigma, 1)

    @property
    def rank(self) -> int:
        return stable.numerical_rank(self.sigma, self.rank_shape, np.dtype(self.dtype))

    def schatten(self, p) -> float:
        return stable.schatten_norm(self.sigma, p)

    def rank_proxy(self, p) -> float:
        return stable.rank_proxy(self.sigma, p, self.rank_shape)

    @property
    def stable_rank(self) -> float:
        return stable.stable_rank(self.sigma)

    @property
    def effective_rank(self) -> float:
        return stable.effective_rank(self.sigma)


@dataclass(frozen=True)
class DataStats:
    """n samples, B = max input l2 norm, ||X||_F, the margin gamma used and the fraction of points below it."""

    n: int
    input_norm: float
    data_frobenius: float
    margin: float
    margin_loss: float = 0.0
    num_classes: int = 2
    margin_rule: str = "given"

    def __post_init__(self):
        if int(self.n) < 1:
            raise InputError("n", self.n, "must be a positive number of samples")
        for name in ("input_norm", "data_frobenius"):
            v = getattr(self, name)
            if not (np.isfinite(v) and v > 0):
                raise InputError(name, v, "must be finite and > 0")
        if not np.isfinite(self.margin) or self.margin <= 0:
            raise InputError("margin", self.margin, "must be > 0 (a zero or negative margin makes margin bounds void)")


@dataclass(frozen=True)
class NetworkStats:
    layers: tuple
    data: DataStats | None = None
    source: str = ""
    extras: dict = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self):
        object.__setattr__(self, "layers", tuple(self.layers))
        if not self.layers:
            raise InputError("layers", 0, "a network needs at least one weight layer")

    @property
    def depth(self) -> int:
        return len(self.layers)

    @property
    def widths(self) -> list:
        """w_0 (input dimension of layer 1), w_1, ..., w_L (output of the last layer)."""
        return [self.layers[0].in_features] + [lay.out_features for lay in self.layers]

    def log_spectral_product(self) -> float:
        return stable.log_prod([lay.spectral for lay in self.layers])
