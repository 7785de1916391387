r"""Data statistics for the bounds: n, B = max_i ||x_i||_2, ||X||_F, and margins from a forward pass.

``--data FILE.npz`` holds ``X`` (n x d; images are flattened) and ``y`` (n integer labels). The network is applied
layer by layer while its spectra are computed (one layer in memory): h <- h W^T + b, with ReLU between layers and
none after the last. The margin of example i with logits z is z_{y_i} - max_{j != y_i} z_j (for one output unit and
labels in {0, 1} or {-1, 1}: s_i z_i with s_i = +-1). The pass also records B_{l-1,A}, the largest l2 norm of the
activation entering each layer (the input for the first), which the loss-augmented bound uses (Ledent et al. 2025,
Theorem 3.7, as transcribed in SOURCES.md [P4.2]).

The margin gamma the bounds use is always explicit: a value (``--margin G``) or a rule (``--margin-percentile Q``:
the Q-th percentile of the training margins), and the fraction of training points with margin <= gamma (the
empirical margin loss of the bounds' first term) is reported. A zero or negative gamma is refused: a network with
training errors has a negative minimum margin, and a margin bound at gamma <= 0 is void.

>>> import numpy as np
>>> choose_margin(np.array([-1.0, 0.5, 1.0, 2.0]), margin=0.75)
(0.75, 'given', 0.5)
>>> choose_margin(np.array([-1.0, 0.5, 1.0, 2.0]), percentile=10)
Traceback (most recent call last):
...
schattheory.foundation.errors.InputError: margin-percentile=10: the 10th percentile of the training margins is -0.55 <=
0
(25% of the points have margin <= 0); choose a larger percentile or give --margin
"""

from __future__ import annotations

import math
import os
import zipfile

import numpy as np

from schattheory.foundation.errors import InputError, check_positive
from schattheory.foundation.netstats import DataStats

__all__ = ["load_data", "ForwardPass", "choose_margin", "DataSummary", "given_data_stats"]


def load_data(path):
    """(X float64 (n, d), y int64 (n,)) from an ``.npz`` with arrays ``X`` and ``y``."""
    label = os.fspath(path)
    if not os.path.isfile(label):
        raise InputError("data", label, "no such file")
    if os.path.getsize(label) == 0:
        raise InputError("data", label, "is an empty file (0 bytes)")
    try:
        with np.load(label, allow_pickle=False) as npz:
            missing = [k for k in ("X", "y") if k not in npz.files]
            if missing:
                raise InputError(
                    "data",
                    label,
                    f"must hold arrays 'X' (n x d) and 'y' (labels); missing {missing} (found {npz.files})",
                )
            X, y = npz["X"], npz["y"]
    except InputError:
        raise
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise InputError("data", label, f"is not a readable .npz file ({type(exc).__name__}: {exc})") from None
    if X.ndim < 2 or X.shape[0] == 0:
        raise InputError("data", label, f"X has shape {X.shape}: need n >= 1 rows of features")
    if not np.issubdtype(X.dtype, np.number) or np.iscomplexobj(X):
        raise InputError("data", label, f"X has dtype {X.dtype}: need real numbers")
    X = X.reshape(X.shape[0], -1).astype(np.float64, copy=False)
    if not np.all(np.isfinite(X)):
        raise InputError("data", label, "X contains NaN or inf entries")
    y = np.asarray(y).reshape(-1)
    if y.shape[0] != X.shape[0]:
        raise InputError("data", label, f"y has {y.shape[0]} labels for {X.shape[0]} rows of X")
    if not (np.issubdtype(y.dtype, np.number) and np.all(np.isfinite(y)) and np.all(y == np.round(y))):
        raise InputError("data", label, "y must hold integer class labels")
    return X, y.astype(np.int64)


class ForwardPass:
    """Applies the layers to X one at a time (as :meth:`NetworkSpectra.from_model` streams them)."""

    def __init__(self, X, y, depth: int, label: str = "data"):
        self.h, self.y, self.depth, self.label = X, y, depth, label
        self.done = 0
        #: B_{l-1,A}: max over training points of the l2 norm of the activation entering layer l (the input for l=1)
        self.activation_norms = []

    def check_plan(self, plan):
        first = plan.layers[0]
        if any(lay.kind == "conv" for lay in plan.layers):
            raise InputError(
                "data",
                self.label,
                "a forward pass through convolutional layers is not supported "
                "(padding, stride and pooling are not in the weight file); give --n, --input-norm and "
                "--margin instead",
            )
        if self.h.shape[1] != first.shape[1]:
            raise InputError(
                "data",
                self.label,
                f"X has {self.h.shape[1]} features but the first layer {first.name!r} takes {first.shape[1]} inputs",
            )
        k = plan.layers[-1].shape[0]
        lo, hi = int(self.y.min()), int(self.y.max())
        if k == 1:
            if not set(np.unique(self.y)) <= {-1, 0, 1}:
                raise InputError(
                    "data",
                    self.label,
                    f"labels range over [{lo}, {hi}] but the network has one "
                    "output: binary labels must be 0/1 or -1/+1",
                )
        elif lo < 0 or hi >= k:
            raise InputError(
                "data",
                self.label,
                f"labels range over [{lo}, {hi}] but the last layer "
                f"{plan.layers[-1].name!r} has {k} outputs (classes 0..{k - 1})",
            )

    def __call__(self, raw, index):
        self.activation_norms.append(float(np.sqrt(np.einsum("ij,ij->i", self.h, self.h).max())))
        W = raw.weight.astype(np.float64, copy=False)
        h = self.h @ W.T
        if raw.bias is not None:
            h += raw.bias
        if index < self.depth - 1:
            np.maximum(h, 0, out=h)
        self.h = h
        self.done = index + 1

    def margins(self) -> np.ndarray:
        if self.done != self.depth:
            raise RuntimeError("the forward pass has not seen every layer")
        z = self.h
        if z.shape[1] == 1:
            s = np.where(self.y == 0, -1.0, self.y.astype(np.float64))
            return s * z[:, 0]
        idx = np.arange(z.shape[0])
        true = z[idx, self.y]
        other = z.copy()
        other[idx, self.y] = -np.inf
        return true - other.max(axis=1)


def choose_margin(margins, margin=None, percentile=None):
    """(gamma, rule, margin_loss): gamma given or the ``percentile``-th training margin; refused if <= 0."""
    m = np.asarray(margins, dtype=np.float64)
    if margin is not None and percentile is not None:
        raise InputError("margin", margin, "give either --margin or --margin-percentile, not both")
    if margin is not None:
        try:
            g = float(margin)
        except (TypeError, ValueError):
            raise InputError("margin", margin, "must be a number") from None
        if not math.isfinite(g) or g <= 0:
            raise InputError("margin", margin, "must be > 0: a zero or negative margin makes every margin bound void")
        rule = "given"
    elif percentile is not None:
        q = check_positive(percentile, "margin-percentile")
        if q >= 100:
            raise InputError("margin-percentile", percentile, "must lie in (0, 100)")
        g = float(np.percentile(m, q))
        if g <= 0:
            frac = float(np.mean(m <= 0))
            raise InputError(
                "margin-percentile",
                percentile,
                f"the {q:g}th percentile of the training margins is "
                f"{g:.3g} <= 0 ({frac:.0%} of the points have margin <= 0); choose a larger percentile "
                "or give --margin",
            )
        rule = f"percentile {q:g}"
    else:
        qs = np.percentile(m, [0, 10, 50, 100])
        raise InputError(
            "margin",
            None,
            "--data needs an explicit margin: give --margin G or --margin-percentile Q "
            f"(training margins: min {qs[0]:.3g}, 10% {qs[1]:.3g}, median {qs[2]:.3g}, max {qs[3]:.3g})",
        )
    return g, rule, float(np.mean(m <= g))


class DataSummary(dict):
    """What the report says about the data (a dict, JSON-ready); ``stats`` is the DataStats the bounds use."""

    stats: DataStats


def data_summary(X, margins, gamma, rule, loss, num_classes, source) -> DataSummary:
    norms = np.linalg.norm(X, axis=1)
    stats = DataStats(
        n=int(X.shape[0]),
        input_norm=float(norms.max()),
        data_frobenius=float(np.linalg.norm(X)),
        margin=gamma,
        margin_loss=loss,
        num_classes=max(2, num_classes),
        margin_rule=rule,
    )
    qs = np.percentile(margins, [0, 10, 50, 90, 100])
    out = DataSummary(
        source=source,
        n=stats.n,
        d=int(X.shape[1]),
        input_norm=stats.input_norm,
        data_frobenius=stats.data_frobenius,
        margin=gamma,
        margin_rule=rule,
        margin_loss=loss,
        train_accuracy=float(np.mean(margins > 0)),
        num_classes=stats.num_classes,
        margin_quantiles=dict(zip(["min", "p10", "median", "p90", "max"], map(float, qs))),
    )
    out.stats = stats
    return out


def given_data_stats(n, input_norm, margin, data_frobenius=None, num_classes=2) -> DataSummary:
    """DataStats from ``--n --input-norm --margin`` (no data file); ||X||_F defaults to sqrt(n) B, an upper bound."""
    given = {"n": n, "input-norm": input_norm, "margin": margin}
    missing = [k for k, v in given.items() if v is None]
    if missing:
        raise InputError(
            missing[0],
            None,
            "without --data, give all of --n, --input-norm and --margin "
            f"(missing: {', '.join('--' + k for k in missing)})",
        )
    try:
        n_int = int(n)
    except (TypeError, ValueError):
        raise InputError("n", n, "must be a positive integer") from None
    if n_int != n or n_int < 1:
        raise InputError("n", n, "must be a positive integer")
    B = check_positive(input_norm, "input-norm")
    choose_margin([1.0], margin=margin)  # the same refusal of gamma <= 0 as with data
    frob_rule = "given"
    if data_frobenius is None:
        data_frobenius, frob_rule = math.sqrt(n_int) * B, "sqrt(n) * B (upper bound; no data file)"
    XF = check_positive(data_frobenius, "data-frobenius")
    stats = DataStats(
        n=n_int,
        input_norm=B,
        data_frobenius=XF,
        margin=float(margin),
        margin_loss=0.0,
        num_classes=max(2, int(num_classes)),
        margin_rule="given (no data: margin loss not computed)",
    )
    out = DataSummary(
        source=None,
        n=n_int,
        d=None,
        input_norm=B,
        data_frobenius=XF,
        data_frobenius_rule=frob_rule,
        margin=float(margin),
        margin_rule="given",
        margin_loss=None,
        train_accuracy=None,
        num_classes=stats.num_classes,
    )
    out.stats = stats
    return out
