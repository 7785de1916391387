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

from schattheory.foundation.errors import InputError
from schattheory.numerics import stable

__all__ = ["LayerStats", "DataStats", "NetworkStats"]


@dataclass(frozen=True)
class LayerStats:
    """One weight layer in torch orientation (out, in).

    ``sigma``: singular values of the layer's linear operator (for a convolution, of the whole operator), descending.
    ``norm21``: ||A^T||_{2,1} = sum over output units of the l2 norm of their incoming weights (Bartlett et al.).
    ``multiplicity``: W_l of Theorem 3.6, the number of spatial positions (1 for dense layers).
    ``out_features``/``in_features``: U_l and d_{l-1} (for a conv layer: output channels and patch dimension).
    ``stored_dtype``: the precision the weights were stored in (defaults to ``dtype``, the precision of the
    decomposition). The numerical noise floor is :attr:`noise_floor` = max(m, n) eps sigma_1, the backward-error
    scale of an SVD, with eps the machine epsilon of the decomposition's precision or of the stored one, whichever
    is coarser, but never coarser than float32's: no decomposition runs in a half precision (bf16/fp16/fp8 values
    are decoded exactly into float32 or wider), and the stored numbers are the network's exact weights. Taking the
    stored precision up to float32 makes the rank the same whether a float32 file is decomposed in float32 or
    float64. Singular values at or below the floor are not resolved, so :attr:`rank` and :meth:`rank_proxy` ignore
    them (and r(p) <= rank holds for every p > 0); the floor stays below sigma_1 for every side under 8 million.
    Norms use every singular value.
    ``ref_norm21``/``ref_frobenius``: ||(A - M)^T||_{2,1} and ||A - M||_F for a reference (initial) layer M, when one
    was given (``None`` otherwise).
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
    stored_dtype: str = ""
    ref_norm21: float | None = None
    ref_frobenius: float | None = None

    def __post_init__(self):
        sig = stable.as_spectrum(np.asarray(self.sigma, dtype=np.float64), f"{self.name}.sigma")
        object.__setattr__(self, "sigma", sig)
        if not self.out_features:
            object.__setattr__(self, "out_features", int(self.shape[0]))
        if not self.in_features:
            object.__setattr__(self, "in_features", int(np.prod(self.shape[1:])))
        if not self.rank_shape:
            object.__setattr__(self, "rank_shape", (self.out_features, self.in_features))
        if not self.stored_dtype:
            object.__setattr__(self, "stored_dtype", str(self.dtype))
        if sig[0] == 0:
            raise InputError(self.name, "all-zero weights", "a layer with zero spectral norm makes every bound 0/0")

    @classmethod
    def from_matrix(cls, name: str, A, sigma=None, multiplicity: int = 1) -> "LayerStats":
        from schattheory.foundation.errors import check_matrix
        from schattheory.numerics.matrix import singular_values

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
    def noise_floor(self) -> float:
        """max(m, n) * eps * sigma_1, eps the coarser of the computation precision and the stored one capped at
        float32's (a half precision is never the precision of a decomposition)."""
        eps = max(_eps(self.dtype), min(_eps(self.stored_dtype), _EPS32))
        return float(self.sigma[0]) * max(self.rank_shape) * eps

    @property
    def resolved(self) -> np.ndarray:
        """The singular values above :attr:`noise_floor` (descending; sigma_1 always among them)."""
        return self.sigma[self.sigma > self.noise_floor]

    @property
    def rank(self) -> int:
        """Number of singular values above the noise floor (independent of the computation precision)."""
        return int(self.resolved.size)

    def schatten(self, p) -> float:
        return stable.schatten_norm(self.sigma, p)

    def rank_proxy(self, p) -> float:
        """r(p) = sum_i (sigma_i / sigma_1)^p over the resolved singular values: in [1, rank]; p = 0 gives rank."""
        if float(p) == 0:
            return self.rank
        return stable.rank_proxy(self.resolved, p)

    @property
    def stable_rank(self) -> float:
        return stable.stable_rank(self.sigma)

    @property
    def effective_rank(self) -> float:
        return stable.effective_rank(self.sigma)


_EPS32 = float(np.finfo(np.float32).eps)


def _eps(dtype) -> float:
    name = str(dtype).replace("torch.", "")
    if name == "bfloat16":
        return 2.0**-8
    try:
        return float(np.finfo(np.dtype(name)).eps)
    except TypeError:
        return float(np.finfo(np.float64).eps)


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
