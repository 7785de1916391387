"""The margin rule of the report and the digits study, and the activation norms of a ReLU network.

Margins are f_y(x) - max_{j != y} f_j(x) on the training data. The margin gamma that the bounds use is never the
minimum (negative as soon as the network makes a training error); it is chosen by the rule of the paper's
experiments as transcribed (SOURCES.md [P5], Appendix D.3): the largest gamma whose margin loss (fraction of
training points with margin <= gamma) exceeds the training error by at most ``drop`` (1 percentage point).

>>> import numpy as np
>>> marg = np.array([-1.0, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0])
>>> g, loss = margin_for_accuracy_drop(marg, drop=0.1)   # 1 error in 10; 2 points may lie at or below gamma
>>> 0.5 < g < 1.0, loss
(True, 0.2)
"""

from __future__ import annotations

import math

import numpy as np

from schattheory.foundation.errors import InputError

__all__ = ["ACCURACY_DROP", "RULE_TEXT", "margin_for_accuracy_drop", "activation_norms"]

ACCURACY_DROP = 0.01
RULE_TEXT = (
    "largest gamma with margin loss <= training error + {drop:g} (setup of the paper's Appendix D.3, transcribed)"
)


def margin_for_accuracy_drop(margins, train_error=None, drop: float = ACCURACY_DROP):
    """(gamma, margin loss): the largest gamma > 0 with mean(margins <= gamma) <= train_error + drop.

    ``train_error`` defaults to the fraction of negative margins.
    """
    srt = np.sort(np.asarray(margins, dtype=np.float64).ravel())
    if srt.size == 0 or not np.all(np.isfinite(srt)):
        raise InputError("margins", f"{srt.size} values", "need at least one finite training margin")
    if train_error is None:
        train_error = float(np.mean(srt < 0))
    if not srt[-1] > 0:
        raise InputError("margins", f"max {srt[-1]:.3g}", "no training point has a positive margin")
    allowed = int(math.floor((train_error + drop) * srt.size + 1e-9))  # points allowed at or below gamma
    k = min(allowed, srt.size - 1)
    nxt = srt[k] if srt[k] > 0 else srt[srt > 0][0]
    gamma = float(nxt) * (1 - 1e-12)  # just below the first margin that must stay above gamma
    return gamma, float(np.mean(srt <= gamma))


def activation_norms(weights, biases, X) -> list:
    """B_{l-1,A} = max_i ||h_{l-1}(x_i)||_2 for l = 1..L: the largest activation norm entering each layer
    (h_0 = x; ReLU between layers), the data-dependent quantity of the loss-augmented bound (Theorem 3.7)."""
    out = []
    h = np.asarray(X, dtype=np.float64)
    for i, (W, b) in enumerate(zip(weights, biases)):
        out.append(float(np.max(np.linalg.norm(h, axis=1))))
        h = h @ np.asarray(W, dtype=np.float64).T
        if b is not None:
            h = h + b
        if i < len(weights) - 1:
            h = np.maximum(h, 0.0)
    return out
