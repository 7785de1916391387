r"""Biases folded into the weights by homogeneous coordinates: the operators whose norms the bounds use.

A ReLU network with biases, f(x) = A_L relu(... relu(A_1 x + b_1) ...) + b_L, is the bias-free network of the
augmented layers

.. math:: \tilde A_l = \begin{pmatrix} A_l & b_l \\ 0 & 1 \end{pmatrix} \ (l < L), \qquad
          \tilde A_L = \begin{pmatrix} A_L & b_L \end{pmatrix},

applied to the augmented input (x, 1): the constant coordinate stays 1 through every layer because relu(1) = 1 (any
activation with sigma(1) = 1 and sigma(0) = 0 keeps it). The **last layer gets no extra row**: its output is the
logits, and a constant extra output would be one more "class" entering max_{j != y} f_j, which would change the
margin; without the row the augmented network computes exactly f. More generally the row is needed only up to the
last layer that adds a constant: layers after it are kept as they are. The inputs then have norm
sqrt(B^2 + 1) (and ||X||_F becomes sqrt(||X||_F^2 + n)); every bound is evaluated on these operators, so it is a
bound for the network that was trained, biases included.

Parameter counts read off the folded layers ((U_l + 1)(d_{l-1} + 1) for a layer that passes the constant on) include
the fixed carry row: an overcount by d_{l-1} + 1 per such layer, which only raises the counting and VC bounds.

Convolutions carry the constant as one more channel, equal to 1 at every position, with one kernel tap (the one
that reads each output position's own input position) holding the bias; the first layer's input then has norm
sqrt(B^2 + h w) for an h x w input. A dense layer after a convolution reads that channel as a block of q = h' w'
ones: its bias is spread as b / q over the block (the same function, and a block of spectral norm ||b|| / sqrt(q)).

Reference: the standard homogeneous-coordinate reduction (e.g. Neyshabur, Tomioka, Srebro 2015, Section 2; the
"bias as an extra input fixed to 1" of Bartlett et al. 2017, Section 1.1 remark on biases).

>>> import numpy as np
>>> fold_dense(np.eye(2), np.array([3.0, 4.0]), takes_one=True, gives_one=True).tolist()
[[1.0, 0.0, 3.0], [0.0, 1.0, 4.0], [0.0, 0.0, 1.0]]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from schattheory.foundation.errors import InputError

__all__ = [
    "LayerFold",
    "HomogeneousPlan",
    "homogeneous_plan",
    "fold_dense",
    "fold_conv",
    "augment_data_stats",
    "BIAS_FREE_LABEL",
]

BIAS_FREE_LABEL = "bias-free network"


@dataclass(frozen=True)
class LayerFold:
    """How one layer is augmented: it reads the constant (``takes_one``; in a block of ``q`` equal coordinates, or
    as a conv channel), and passes it on (``gives_one``)."""

    takes_one: bool = False
    gives_one: bool = False
    q: int = 1

    def label(self) -> str:
        """How the layer's operator is formed, as the per-layer output says (``as stored`` when not augmented)."""
        if not self.takes_one:
            return "as stored"
        return ("[[W, b], [0, 1]]" if self.gives_one else "[W, b]") + (
            f" (constant read as a block of {self.q})" if self.q > 1 else ""
        )


@dataclass(frozen=True)
class HomogeneousPlan:
    folds: tuple
    biases: str  # "folded" (homogeneous coordinates), "none in the file", or "dropped (--no-biases)"
    first_conv: bool = False

    @property
    def augmented(self) -> bool:
        return any(f.takes_one for f in self.folds)

    def input_extra(self, input_size=None):
        """Squared norm the constant adds to every input: 1 (dense first layer), h w (conv first layer), 0."""
        if not self.augmented:
            return 0
        if not self.first_conv:
            return 1
        if input_size is None:
            return None
        return int(input_size[0]) * int(input_size[1])

    def describe(self) -> str:
        if self.biases == "folded":
            last = max(i for i, f in enumerate(self.folds) if f.takes_one) + 1  # 1-based
            depth = len(self.folds)
            head = (
                "biases folded by homogeneous coordinates: input augmented with a constant 1 (input norm "
                "sqrt(B^2 + 1)" + (", or sqrt(B^2 + h w) for a conv input" if self.first_conv else "") + ")"
            )
            mid = f", layers 1..{last - 1} as [[W, b], [0, 1]]" if last > 1 else ""
            tail = (
                f", layer {last} as [W, b] without the extra row (its outputs are the logits: a constant extra "
                "output would enter max_(j != y) f_j and change the margin)"
                if last == depth
                else f", layer {last} as [W, b] (the last that adds a constant), layers {last + 1}..{depth} as stored"
            )
            return head + mid + tail
        if self.biases == "none in the file":
            return "no biases in the file: the layers are evaluated as stored"
        return (
            f"{BIAS_FREE_LABEL}: biases (and BatchNorm shifts) dropped on request (--no-biases); every number, "
            "the margin included, is for the network without them"
        )


def homogeneous_plan(plan, biases: bool = True) -> HomogeneousPlan:
    """Which layers take and pass on the constant coordinate (up to the last layer that adds a constant)."""
    layers = plan.layers
    has = [lay.has_bias for lay in layers]
    if not biases:
        return HomogeneousPlan(
            tuple(LayerFold() for _ in layers),
            "dropped (--no-biases)" if any(has) else "none in the file",
            layers[0].kind == "conv",
        )
    if not any(has):
        return HomogeneousPlan(tuple(LayerFold() for _ in layers), "none in the file", layers[0].kind == "conv")
    last = max(i for i, h in enumerate(has) if h)
    folds = []
    for i, lay in enumerate(layers):
        if i > last:
            folds.append(LayerFold())
            continue
        q = 1
        if i > 0:
            prev = layers[i - 1]
            if prev.kind == "conv" and lay.kind == "dense":
                q = lay.shape[1] // prev.shape[0]  # positions of the conv output, flattened channel-major
            elif prev.kind == "dense" and lay.kind == "conv":
                raise InputError(
                    "biases",
                    lay.name,
                    "a convolution after a dense layer cannot read the folded "
                    "constant (it would need one per position); use --no-biases to evaluate the "
                    f"{BIAS_FREE_LABEL}",
                )
        folds.append(LayerFold(True, i < last, q))
    return HomogeneousPlan(tuple(folds), "folded", layers[0].kind == "conv")


def fold_dense(W, b, *, takes_one: bool, gives_one: bool, q: int = 1) -> np.ndarray:
    """[[W, b 1_q^T / q], [0, 1_q^T / q]] (rows and columns as the fold asks); in W's dtype."""
    W = np.asarray(W)
    if not takes_one:
        return W
    m, n = W.shape
    col = (
        np.zeros((m, q), dtype=W.dtype)
        if b is None
        else np.repeat((np.asarray(b, dtype=np.float64) / q).astype(W.dtype)[:, None], q, axis=1)
    )
    out = np.hstack([W, col])
    if gives_one:
        row = np.concatenate([np.zeros(n, dtype=W.dtype), np.full(q, 1.0 / q, dtype=W.dtype)])
        out = np.vstack([out, row[None, :]])
    return out


def fold_conv(K, b, *, takes_one: bool, gives_one: bool, tap=None) -> np.ndarray:
    """The kernel with one more input channel (the constant; the bias at ``tap``) and, if it passes the constant on,
    one more output channel copying it."""
    K = np.asarray(K)
    if not takes_one:
        return K
    c_out, c_in, kh, kw = K.shape
    a, c = tap if tap is not None else (kh // 2, kw // 2)
    out = np.zeros((c_out + int(gives_one), c_in + 1, kh, kw), dtype=K.dtype)
    out[:c_out, :c_in] = K
    if b is not None:
        out[:c_out, c_in, a, c] = np.asarray(b, dtype=K.dtype)
    if gives_one:
        out[c_out, c_in, a, c] = 1
    return out


def bias_tap(kernel_shape, pad) -> tuple:
    """The tap that reads, for every output position, an input position inside the image (not the zero padding):
    (P_h, P_w), valid when 2 P <= k - 1 (the "same" and "valid" cases)."""
    kh, kw = kernel_shape[2:]
    ph, pw = pad
    if 2 * ph > kh - 1 or 2 * pw > kw - 1:
        raise InputError(
            "padding",
            pad,
            f"a {kh}x{kw} kernel with zero padding {pad} has output positions that "
            "read only padding; the bias cannot be folded as a constant channel (use --no-biases)",
        )
    return (ph, pw)


def augment_data_stats(data, extra, activation_norms=None, takes=()):
    """DataStats (and B_{l-1,A}) of the augmented inputs: B -> sqrt(B^2 + e), ||X||_F -> sqrt(||X||_F^2 + n e)."""
    from dataclasses import replace

    if not extra:
        return data, activation_norms
    new = replace(
        data,
        input_norm=float(np.hypot(data.input_norm, np.sqrt(extra))),
        data_frobenius=float(np.sqrt(data.data_frobenius**2 + data.n * extra)),
    )
    if activation_norms is not None:
        # the activation entering layer l carries the constant 1 when layer l reads it (the first: the input's e)
        activation_norms = [
            float(np.hypot(a, np.sqrt(extra if i == 0 else 1.0))) if t else float(a)
            for i, (a, t) in enumerate(zip(activation_norms, takes))
        ]
    return new, activation_norms
