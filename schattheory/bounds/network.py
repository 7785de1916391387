r"""Every registered network bound evaluated on a :class:`~schattheory.foundation.netstats.NetworkStats`, in log space.

The numbers come from the registered expressions: each family's per-layer terms and outer expression
(:mod:`schattheory.bounds.family`) are rewritten as ``log(expr)`` in the logarithms of their inputs
(:mod:`schattheory.bounds.logspace`) and lambdified once by :mod:`schattheory.numerics.backends`. Layers are combined by
log-sum-exp (sums), sums of logs (products) or maxima, so a 1000-layer network with spectral norms 3 gives a finite
``log10_value`` (its ``value`` is then ``None``: it does not fit a float64).

Network quantities: per layer s_l (spectral norm), ||A_l||_F, ||A_l^T||_{2,1}, U_l = out_features,
d_{l-1} = in_features, W_l = multiplicity, rank, r_l(p) = sum_i (sigma_i / s_l)^p; globals N = data.n,
B = data.input_norm, gamma = data.margin, ||X||_F = data.data_frobenius, L = depth, h = the largest of all
in_features and out_features, P = prod_l s_l, X = B P / gamma, G = number of p values paid for (1 for a p fixed in
advance, the grid size for :func:`optimise_ledent_p`), delta.

>>> import numpy as np
>>> from schattheory.foundation.netstats import LayerStats, NetworkStats, DataStats
>>> lay = LayerStats.from_matrix("fc", np.diag([2.0, 1.0]))
>>> net = NetworkStats((lay,), DataStats(n=100, input_norm=1.0, data_frobenius=10.0, margin=1.0))
>>> v = evaluate_network(net, "ledent2025", p=2.0)   # sqrt(L/N * X * sqrt(r(2) * (2 + 2)))
>>> round(v.value, 10) == round(float(np.sqrt(2.0 * np.sqrt(1.25 * 4) / 100)), 10)
True
>>> v.key, v.mode
('ledent2025.fc.dominant', 'dominant')

Reference: the registered keys ``ledent2025.*``, ``bartlett2017.*``, ``neyshabur2018.*``, ``golowich2018.*``,
``counting.*``, ``vc.*``, ``pinto2024.*`` (see their modules for sources and locators).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import sympy as sp

from schattheory.foundation.errors import InputError
from schattheory.foundation.netstats import NetworkStats

if TYPE_CHECKING:
    from schattheory.bounds.family import NetworkForm

__all__ = [
    "NetworkBoundValue",
    "network_families",
    "p_families",
    "evaluate_network",
    "ledent_layer_terms_log10",
    "optimise_p",
    "optimise_ledent_p",
    "default_p_grid",
    "rank_proxy_grid",
    "register_network_form",
    "network_form",
    "REFERENCE_FAMILIES",
    "MARGIN_OPERATOR",
]

_LN10 = math.log(10.0)
_LEDENT = ("ledent2025", "ledent2025.wl_width", "ledent2025.loss_augmented")
_BUILTIN = (
    "ledent2025",
    "ledent2025.wl_width",
    "ledent2025.loss_augmented",
    "bartlett2017",
    "neyshabur2018",
    "golowich2018",
    "counting",
    "vc",
    "pinto2024",
)
#: families added by users (:func:`register_network_form`): family -> {mode: NetworkForm}
_USER: dict = {}

#: families whose theorem measures some norms from reference matrices M_l fixed before seeing the data (initial
#: weights), and which quantity: with a reference (``LayerStats.ref_norm21``/``ref_frobenius``) they use A_l - M_l
#: there; spectral norms stay those of A_l. Every other family measures from zero.
REFERENCE_FAMILIES = {
    "bartlett2017": "||A_l^T - M_l^T||_{2,1} (Bartlett et al. 2017, Thm 1.1: reference matrices M_i)",
    "counting": "||K_l - K_l^0||_{2,1} in Graf et al. 2022, Thm 3.5 (explicit form; the dominant count has no norm)",
    "neyshabur2018": "||A_l - M_l||_F (PAC-Bayes prior centred at M, as in the authors' code measures.py; the "
    "weight-rescaling step of the proof with a nonzero prior mean is not re-checked here)",
}

#: the multiclass margin operator every margin bound uses and its Lipschitz constant (stated in every result)
MARGIN_OPERATOR = {
    "bartlett2017": "M(v, y) = v_y - max_(j != y) v_j, 2-Lipschitz w.r.t. ||.||_2 (Bartlett et al. 2017, Lemma 3.1 "
    "and Lemma A.3); the ramp loss of it is 2/gamma-Lipschitz",
    "neyshabur2018": "M(v, y) = v_y - max_(j != y) v_j: a perturbation with ||f_w+u(x) - f_w(x)||_2 <= gamma/4 moves "
    "it by at most gamma/2 (2-Lipschitz w.r.t. ||.||_inf <= ||.||_2; Neyshabur et al. 2018, Lemma 1)",
    "golowich2018": "real-valued (binary) network: margin y f(x); for k > 1 outputs the bound is read as that of one "
    "output coordinate, and the multiclass margin M(v, y) = v_y - max_(j != y) v_j (2-Lipschitz "
    "w.r.t. ||.||_2) is not charged: a k-class reading costs the factor of Mohri et al. 2018, "
    "Thm 9.2 (4k/rho in place of 2/rho)",
    "counting": "dominant: none (a parameter count); Graf et al. 2022, Thm 3.5: M(v, y) = v_y - max_(j != y) v_j, "
    "2-Lipschitz w.r.t. ||.||_2, through Bartlett et al. 2017, Lemma 3.1",
    "vc": "none: the 0-1 loss of argmax_j f_j directly (multiclass growth function through pairwise comparisons)",
    "pinto2024": "as transcribed (no margin normalisation): not stated by the source rendering",
    "ledent2025": "M(v, y) = v_y - max_(j != y) v_j, 2-Lipschitz w.r.t. ||.||_2 (as in Bartlett et al. 2017, "
    "Lemma A.3); the margin enters through X = B prod s_l / gamma",
}


@dataclass(frozen=True)
class NetworkBoundValue:
    """One bound on one network: ``log10_value`` always finite, ``value`` None when it does not fit a float64."""

    key: str
    family: str
    mode: str
    p: float | tuple | None
    log10_value: float
    value: float | None
    details: dict = field(default_factory=dict, compare=False)


def default_p_grid() -> np.ndarray:
    """41 points 2k/41 (k = 1..41) in (0, 2], then 3, 4, 6, 8 and 16."""
    return np.concatenate([np.arange(1, 42) * (2.0 / 41.0), [3.0, 4.0, 6.0, 8.0, 16.0]])


# ---- family table ----------------------------------------------------------------------------------------------
#: the forms of each built-in family, by (module, FORMS keys per mode); a family's module is imported when that family
#: is first evaluated, so evaluating one family does not build the others' statements
_BUILTIN_FORMS = {
    "bartlett2017": ("bartlett2017", None),
    "neyshabur2018": ("neyshabur2018", None),
    "golowich2018": ("golowich2018", None),
    "counting": ("counting", None),
    "vc": ("vc", None),
    "pinto2024": ("pinto2024", None),
    # explicit: the certified form is proved for dense layers only (checked per network in _form)
    "ledent2025": ("ledent2025", {"dominant": ("cnn", "dominant"), "explicit": ("fc", "explicit")}),
    "ledent2025.wl_width": ("ledent2025", {"dominant": ("cnn_wl_width", "dominant")}),
    "ledent2025.loss_augmented": ("ledent2025", {"dominant": ("loss_augmented", "dominant")}),
}


def _forms(family: str):
    """mode -> NetworkForm (ledent variants resolved later, per network)."""
    import importlib

    if family in _USER:
        return _USER[family]
    if family not in _BUILTIN_FORMS:
        raise InputError("family", family, f"unknown; choose one of {', '.join(network_families())}")
    module, keys = _BUILTIN_FORMS[family]
    forms = importlib.import_module(f"schattheory.bounds.{module}").FORMS
    return dict(forms) if keys is None else {mode: forms[key] for mode, key in keys.items()}


def network_families() -> list[str]:
    """Families evaluable on a NetworkStats (loss_augmented needs ``stats.extras['activation_norms']``): the
    built-in ones, then those added with :func:`register_network_form`, in the order they were added."""
    return list(_BUILTIN) + list(_USER)


def p_families() -> list[str]:
    """The families with a Schatten exponent p per layer (evaluated at a fixed p or with p optimised per layer)."""
    return list(_LEDENT) + [f for f, forms in _USER.items() if any(fm.uses_p for fm in forms.values())]


def register_network_form(form) -> "NetworkForm":
    """Make a :class:`~schattheory.bounds.family.NetworkForm` evaluable on networks like a built-in family.

    Its ``family`` becomes a name that :func:`evaluate_network`, ``schattheory evaluate`` and ``schattheory report``
    accept, one form per ``mode``. The same form twice is accepted (re-running a notebook cell); another form under
    a taken family and mode, or a built-in family name, is refused. :func:`schattheory.bounds.custom.network_bound`
    builds the form and registers its statement too.
    """
    from schattheory.bounds.family import NetworkForm

    if not isinstance(form, NetworkForm):
        raise InputError("form", type(form).__name__, "must be a NetworkForm (see schattheory.bounds.family)")
    if form.mode not in ("dominant", "explicit"):
        raise InputError("form.mode", form.mode, "must be 'dominant' or 'explicit'")
    if not form.family or form.family in _BUILTIN:
        raise InputError("form.family", form.family, "must be a new family name (not a built-in family)")
    _check_symbols(form)
    taken = _USER.get(form.family, {}).get(form.mode)
    if taken is not None and taken != form:
        raise InputError("form", form.key, f"family {form.family!r} already has another {form.mode} form ({taken.key})")
    _USER.setdefault(form.family, {})[form.mode] = form
    return form


def _check_symbols(form):
    """Every symbol of the terms is a per-layer or global quantity, every symbol of the outer expression an
    aggregate or a global: anything else could not be evaluated on a network."""
    from schattheory.bounds import family as fam

    layer, glob = set(fam.LAYER.values()), set(fam.GLOBAL.values())
    aggs = set()
    for agg in form.terms():
        unknown = agg.term.free_symbols - layer - glob
        if unknown:
            raise InputError(
                "form.aggregates",
                sorted(map(str, unknown)),
                f"unknown in the term of {agg.symbol}; per-layer symbols: {', '.join(fam.LAYER)}; "
                f"globals: {', '.join(fam.GLOBAL)}",
            )
        aggs.add(agg.symbol)
    unknown = sp.sympify(form.outer).free_symbols - aggs - glob
    if unknown:
        raise InputError(
            "form.outer",
            sorted(map(str, unknown)),
            f"unknown in the outer expression; aggregates: {', '.join(sorted(map(str, aggs)))}; "
            f"globals: {', '.join(fam.GLOBAL)}",
        )


def network_form(family: str, mode: str = "dominant"):
    """The NetworkForm a family is evaluated with (built-in or registered)."""
    forms = _forms(family)
    if mode not in forms:
        raise InputError("mode", mode, f"family {family!r} has no {mode} form encoded (modes: {', '.join(forms)})")
    return forms[mode]


def _resolve(family, mode):
    """(family name, mode, form or None) from a family name, a NetworkForm or a registered statement (Bound)."""
    from schattheory.bounds.family import NetworkForm
    from schattheory.core.bound import Bound

    if isinstance(family, NetworkForm):
        if mode is not None and mode != family.mode:
            raise InputError("mode", mode, f"the form {family.key} is the {family.mode} form")
        return family.family, family.mode, family
    if isinstance(family, Bound):
        for forms in _USER.values():
            for fm in forms.values():
                if fm.key == family.key:
                    return fm.family, fm.mode, fm
        raise InputError(
            "family",
            family.key,
            "is a statement, not a network family: define it with "
            "schattheory.bounds.custom.network_bound to evaluate it on networks",
        )
    if not isinstance(family, str):
        raise InputError(
            "family",
            type(family).__name__,
            "must be a family name, a NetworkForm or the Bound network_bound() registered",
        )
    return family, mode or "dominant", None


def _form(stats: NetworkStats, family: str, mode: str, given=None):
    if given is not None:
        return given
    forms = _forms(family)
    if mode not in ("dominant", "explicit"):
        raise InputError("mode", mode, "must be 'dominant' or 'explicit'")
    if mode not in forms:
        raise InputError(
            "mode",
            mode,
            f"family {family!r} has no {mode} form encoded (modes: {', '.join(forms)})"
            + ("; dominant form only" if family in _LEDENT else ""),
        )
    if family in _LEDENT and mode == "explicit" and not all(int(lay.multiplicity) == 1 for lay in stats.layers):
        raise InputError(
            "mode",
            mode,
            "the certified explicit form is proved for dense layers only; this network "
            "has convolutional layers: dominant form only",
        )
    return forms[mode]


def _explicit_p(p_arr: np.ndarray, mode: str):
    """The certified explicit form holds for 0 < p < 2 only (the Maurey tail needs the Frobenius norm)."""
    if mode == "explicit" and np.any(np.asarray(p_arr, dtype=float) >= 2):
        raise InputError("p", float(np.max(p_arr)), "the certified explicit form needs 0 < p < 2")


def _certified(family: str, mode: str) -> str:
    """What a row is: a certified bound, a dominant form, or an explicit form whose certification is not claimed."""
    from schattheory.bounds import CERTIFIED, DOMINANT_ONLY

    if mode == "dominant":
        return DOMINANT_ONLY
    if family in _LEDENT:
        return CERTIFIED
    return _EXPLICIT_STATUS.get(
        family, "explicit constants; certification not established here (see the family's notes)"
    )


_NOT_UNIFORM = (
    "not established: the theorem holds for norm constraints fixed before training; evaluated at the "
    "observed norms without the union bound over norm levels that would make it hold for the trained "
    "network"
)
#: what the explicit rows of the other families are (the text starts with "certified" only for a certified bound)
_EXPLICIT_STATUS = {
    "vc": "certified bound (0-1 error of the argmax network: every constant and the confidence term; rests on "
    "Bartlett, Harvey, Liaw, Mehrabian 2019, Thm 7 as recalled, and on the pairwise multiclass reduction "
    "derived in bounds/vc.py)",
    "counting": _NOT_UNIFORM,
    "bartlett2017": _NOT_UNIFORM,
}


def _reported_key(stats, family, form) -> str:
    dense = all(int(lay.multiplicity) == 1 for lay in stats.layers)
    if family == "ledent2025" and dense:
        return form.key.replace(".cnn.", ".fc.")
    if family == "ledent2025.wl_width" and dense:
        return form.key.replace(".cnn_wl_width.", ".fc_wl_width.")
    return form.key


# ---- inputs ----------------------------------------------------------------------------------------------------
_NEED_TEXT = {
    "n": "the number of samples n",
    "input_norm": "the input norm B",
    "margin": "the margin gamma",
    "data_frobenius": "the data Frobenius norm ||X||_F",
    "activation_norms": "stats.extras['activation_norms'] (B_{l-1,A} per layer)",
}


def _check_needs(stats: NetworkStats, family: str, form):
    if not isinstance(stats, NetworkStats):
        raise InputError("stats", type(stats).__name__, "must be a NetworkStats")
    data_needs = [x for x in form.needs if x != "activation_norms"]
    if data_needs and stats.data is None:
        raise InputError(
            "stats.data",
            None,
            f"family {family!r} needs data statistics: " + ", ".join(_NEED_TEXT[x] for x in data_needs),
        )
    if "activation_norms" in form.needs:
        act = (stats.extras or {}).get("activation_norms")
        if act is None or len(act) != stats.depth or not np.all(np.asarray(act, dtype=float) > 0):
            raise InputError(
                "stats.extras['activation_norms']",
                None if act is None else f"{len(act)} values",
                f"family {family!r} needs one positive B_(l-1,A) per layer ({stats.depth})",
            )


def _intervals(stats: NetworkStats):
    """Per layer, the certified upper ends (``spectral``, ``frobenius``, ``norm21``, ``rank_proxy(p)``) when the
    statistics come from certified intervals (``stats.extras["intervals"]``, a randomized top-k), else None."""
    return (stats.extras or {}).get("intervals")


#: what a value evaluated at the upper ends of certified intervals is (``details["values"]``)
INTERVAL_VALUES = "certified upper bound from a randomized top-k"


def _check_intervals(stats: NetworkStats, form, ps=()):
    """With intervals, the form must be nondecreasing in every spectral quantity it reads (checked, at each p)."""
    if _intervals(stats) is None:
        return
    from schattheory.bounds.monotone import interval_refusal

    if ps and interval_refusal(form) is None:  # every p at once, when SymPy can show it
        return
    for p in ps or (None,):
        why = interval_refusal(form, p)
        if why is not None:
            raise InputError("family", form.family, f"not evaluated from certified intervals: {why}")


def _log_spectral(stats: NetworkStats) -> np.ndarray:
    ups = _intervals(stats)
    return np.array(
        [
            math.log(up.spectral if ups is not None else lay.spectral)
            for lay, up in zip(stats.layers, ups or stats.layers)
        ]
    )


def _global_logs(stats: NetworkStats, delta: float, grid_size: int) -> dict:
    from schattheory.bounds import family as fam

    if not (0 < float(delta) < 1):
        raise InputError("delta", delta, "must lie in (0, 1)")
    log_s = _log_spectral(stats)
    widths = [stats.layers[0].in_features] + [lay.out_features for lay in stats.layers]
    widths += [lay.in_features for lay in stats.layers]
    out = {
        fam.L: math.log(stats.depth),
        fam.P: float(log_s.sum()),
        fam.h: math.log(max(widths)),
        fam.G: math.log(grid_size),
        fam.delta: math.log(float(delta)),
        fam.C1: 0.0,
    }
    if stats.data is not None:
        dat = stats.data
        out.update(
            {
                fam.N: math.log(dat.n),
                fam.B: math.log(dat.input_norm),
                fam.gamma: math.log(dat.margin),
                fam.XF: math.log(dat.data_frobenius),
                fam.K: math.log(max(2, int(dat.num_classes))),
            }
        )
        out[fam.X] = out[fam.B] + out[fam.P] - out[fam.gamma]
    return out


def _uses_reference(stats: NetworkStats, family) -> bool:
    return family in REFERENCE_FAMILIES and all(lay.ref_norm21 is not None for lay in stats.layers)


def _log_or_minf(x) -> float:
    return math.log(x) if x > 0 else -math.inf


def _layer_logs(stats: NetworkStats, glob: dict, family=None) -> dict:
    from schattheory.bounds import family as fam

    lays = stats.layers
    log_s = _log_spectral(stats)
    ref = _uses_reference(stats, family)
    ups = _intervals(stats) or lays  # upper ends of certified intervals, or the layers' own values
    out = {
        fam.s: log_s,
        fam.F: np.array([_log_or_minf(lay.ref_frobenius if ref else up.frobenius) for lay, up in zip(lays, ups)]),
        fam.b: np.array([_log_or_minf(lay.ref_norm21 if ref else up.norm21) for lay, up in zip(lays, ups)]),
        fam.U: np.log([float(lay.out_features) for lay in lays]),
        fam.d: np.log([float(lay.in_features) for lay in lays]),
        fam.Omega: np.log([float(lay.multiplicity) for lay in lays]),
        fam.k: np.log([float(max(lay.rank, 1)) for lay in lays]),
    }
    act = (stats.extras or {}).get("activation_norms")
    if act is not None and fam.gamma in glob:
        suffix = np.cumsum(log_s[::-1])[::-1]  # sum_{i >= l} log s_i
        out[fam.Xl] = np.log(np.asarray(act, dtype=float)) + suffix - glob[fam.gamma]
    return out


def _log_rank_proxy(stats: NetworkStats, p) -> np.ndarray:
    """log r_l(p) with p broadcast as documented in :func:`ledent_layer_terms_log10`; shape (..., L)."""
    pa = _p_array(stats, p)
    out = np.empty(pa.shape, dtype=float)
    ups = _intervals(stats)
    if ups is not None:  # the upper ends of the certified intervals of r_l(p)
        for l, up in enumerate(ups):
            col = pa[..., l]
            vals = {x: math.log(up.rank_proxy(x)) for x in np.unique(col)}
            out[..., l] = np.vectorize(vals.__getitem__, otypes=[float])(col)
        return out
    for l, lay in enumerate(stats.layers):
        pos = np.asarray(lay.resolved, dtype=float)  # above the noise floor: r(p) <= rank, dtype-independent
        # every term (sigma_i/sigma_1)^p lies in (0, 1] and the first is 1: the sum cannot overflow or vanish;
        # repeated singular values are counted once with their multiplicity
        vals, counts = np.unique(np.log(pos / pos[0]), return_counts=True)
        out[..., l] = np.log(_power_sums(pa[..., l].ravel(), vals, counts.astype(float))).reshape(pa.shape[:-1])
    return out


def rank_proxy_grid(sigma, ps) -> np.ndarray:
    """r(p) = sum_i (sigma_i / sigma_1)^p for every p in the 1-D array ``ps`` (vectorised, blockwise).

    >>> rank_proxy_grid([2.0, 1.0, 1.0], np.array([1.0, 2.0])).tolist()
    [2.0, 1.5]
    """
    sig = np.asarray(sigma, dtype=float)
    pos = np.sort(sig[sig > 0])[::-1]
    vals, counts = np.unique(np.log(pos / pos[0]), return_counts=True)
    return _power_sums(np.asarray(ps, dtype=float).ravel(), vals, counts.astype(float))


def _power_sums(ps: np.ndarray, logs: np.ndarray, weights: np.ndarray, chunk: int = 2048) -> np.ndarray:
    """sum_i weights_i exp(p logs_i) for each p, in cache-sized blocks (2-3 times faster than one big array)."""
    out = np.empty(ps.size)
    buf = np.empty((min(chunk, ps.size), logs.size))
    for i in range(0, ps.size, chunk):
        block = ps[i : i + chunk]
        b = buf[: block.size]
        np.multiply(block[:, None], logs[None, :], out=b)
        np.exp(b, out=b)
        out[i : i + chunk] = b @ weights
    return out


def _p_array(stats: NetworkStats, p) -> np.ndarray:
    pa = np.asarray(p, dtype=float)
    L = stats.depth
    if pa.ndim == 0:
        pa = np.full((L,), float(pa))
    elif pa.ndim == 1:
        pa = np.repeat(pa[:, None], L, axis=1)
    elif pa.ndim != 2 or pa.shape[1] != L:
        raise InputError("p", f"array of shape {pa.shape}", f"must be a scalar, a 1-D grid or shape (G, {L})")
    if not np.all(np.isfinite(pa)) or np.any(pa <= 0):
        raise InputError("p", "array" if pa.size > 1 else float(pa.flat[0]), "must be finite and > 0")
    return pa


# ---- the engine --------------------------------------------------------------------------------------------------
def _term_logs(form, stats, glob, layer, p=None) -> dict:
    """aggregate symbol -> log of each layer's term, shape (..., L)."""
    from schattheory.bounds import family as fam
    from schattheory.bounds.logspace import log_expr

    out = {}
    for agg in form.terms():
        inputs = tuple(sorted(agg.term.free_symbols, key=lambda x: x.name))
        _, fn = log_expr(agg.term, inputs)
        args = []
        for sym in inputs:
            if sym == fam.rho:
                args.append(_log_rank_proxy(stats, p))
            elif sym == fam.p:
                args.append(np.log(_p_array(stats, p)))
            elif sym in layer:
                args.append(layer[sym])
            elif sym in glob:
                args.append(glob[sym])
            else:
                raise InputError("stats", sym.name, f"{form.key} needs {sym.name}, which the statistics lack")
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            val = np.asarray(fn(*args), dtype=float)
        shape = np.broadcast_shapes(*(np.shape(x) for x in args), (stats.depth,))
        out[agg.symbol] = np.broadcast_to(val, shape)
    return out


def _reduce(form, terms: dict) -> dict:
    from scipy.special import logsumexp

    out = {}
    for agg in form.terms():
        t = terms[agg.symbol]
        out[agg.symbol] = {
            "sum": lambda x: logsumexp(x, axis=-1),
            "prod": lambda x: np.sum(x, axis=-1),
            "max": lambda x: np.max(x, axis=-1),
        }[agg.op](t)
    return out


def _outer_log(form, glob, aggs) -> np.ndarray:
    from schattheory.bounds.logspace import log_expr

    inputs = tuple(sorted(form.outer.free_symbols, key=lambda x: x.name))
    _, fn = log_expr(form.outer, inputs)
    args = [aggs[x] if x in aggs else glob[x] for x in inputs]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return np.asarray(fn(*args), dtype=float)


def _value(log_value: float):
    l10 = float(log_value) / _LN10
    if not math.isfinite(l10):
        raise InputError("network", l10, "the bound evaluated to a non-finite log value (degenerate statistics)")
    value = 10.0**l10 if -307.0 < l10 < 308.0 else None
    return l10, value


def _status(key: str) -> str:
    # the family's module registered the key on import; reading it directly avoids registry.load_all(), which
    # would import every lemma and derivation module just to print a status tag
    from schattheory.core.registry import _REGISTRY

    bound = _REGISTRY.get(key)
    return bound.status.value if bound is not None else ""


def evaluate_network(
    stats: NetworkStats, family, mode: str | None = None, p=None, *, delta: float = 0.01
) -> NetworkBoundValue:
    """One family's bound on a network.

    ``family``: a family name (:func:`network_families`), a :class:`~schattheory.bounds.family.NetworkForm` (a
    bound of one's own, evaluated without registering it) or the Bound that
    :func:`schattheory.bounds.custom.network_bound` registered. ``mode``: ``"dominant"`` (default for a name) or
    ``"explicit"``; a form has its own. ``p`` (families with a Schatten exponent only, :func:`p_families`): None =
    per-layer p optimised on the default grid (the union bound over the grid is charged in explicit mode), a float
    (the same p for every layer, fixed in advance) or a sequence of one p per layer."""
    family, mode, given = _resolve(family, mode)
    takes_p = given.uses_p if given is not None else family in p_families()
    if takes_p and p is None:
        return optimise_p(stats, None, mode, delta=delta, family=given if given is not None else family)
    form = _form(stats, family, mode, given)
    if p is not None and not takes_p:
        raise InputError("p", p, f"family {family!r} has no Schatten exponent; only {', '.join(p_families())} take p")
    _check_needs(stats, family, form)
    _check_intervals(stats, form, () if p is None else tuple(np.unique(np.asarray(p, dtype=float)).tolist()))
    glob = _global_logs(stats, delta, 1)
    layer = _layer_logs(stats, glob, family)
    p_val = None
    if takes_p:
        pa = np.asarray(p, dtype=float)
        if pa.ndim == 0:
            p_val = float(pa)
        elif pa.ndim == 1 and pa.size == stats.depth:
            p_val = tuple(float(x) for x in pa)
            pa = pa[None, :]
        else:
            raise InputError("p", p, f"must be a float or one value per layer ({stats.depth})")
        if family in _LEDENT:
            _explicit_p(pa, mode)
        terms = _term_logs(form, stats, glob, layer, pa)
        terms = {k_: np.reshape(v, (-1, stats.depth))[0] for k_, v in terms.items()}
    else:
        terms = _term_logs(form, stats, glob, layer)
    aggs = _reduce(form, terms)
    l10, value = _value(_outer_log(form, glob, aggs))
    key = _reported_key(stats, family, form)
    details = {
        "status": _status(key) or ("new result" if given is not None else ""),
        "per_layer_log10": {a.name: (terms[a] / _LN10).tolist() for a in terms},
        "certified": _certified(family, mode),
        **_family_notes(stats, family),
        **_interval_note(stats, form),
    }
    if takes_p:
        details.update(
            {
                "grid_size": 1,
                "union_bound": "p fixed in advance"
                + ("; product/margin and rank-proxy grids charged" if mode == "explicit" and family in _LEDENT else ""),
            }
        )
    if "ledent2025" in family and mode == "explicit":
        details["note"] = "explicit constants derived here (proofs/main_bound), not the paper's"
    return NetworkBoundValue(key, family, mode, p_val, l10, value, details)


def _interval_note(stats, form) -> dict:
    """What the value is when it was evaluated from certified intervals (nothing for exact statistics)."""
    if _intervals(stats) is None:
        return {}
    from schattheory.bounds.monotone import spectral_reads  # only for interval statistics (exact runs do not import it)

    if not spectral_reads(form):
        return {"values": "exact: the family reads no spectral quantity"}
    return {
        "values": INTERVAL_VALUES + ": every spectral quantity the family reads at the upper end of its "
        "certified interval, the family checked nondecreasing in each"
    }


def _family_notes(stats, family) -> dict:
    """The margin operator and whether norms are measured from a reference, for a result's details."""
    base = family.split(".")[0]
    ref = (stats.extras or {}).get("reference")
    out = {"margin_operator": MARGIN_OPERATOR.get(base, "not stated for this family (not a built-in one)")}
    if ref is not None:
        out["reference"] = (
            f"measured from the reference: {REFERENCE_FAMILIES[base]}"
            if _uses_reference(stats, base)
            else "measured from zero: the theorem has no reference matrices (the reference is not used)"
        )
    return out


def ledent_layer_terms_log10(
    stats: NetworkStats, p, *, family: str = "ledent2025", mode: str = "dominant"
) -> np.ndarray:
    """log10 C_l(p) for every layer (dominant summand of Theorem 3.6; ``mode="explicit"`` includes kappa(p, L)).

    ``p`` scalar -> shape (L,); a 1-D grid of G values (each applied to every layer) -> (G, L); an array of shape
    (G, L) (one p per layer in each row) -> (G, L). Vectorised: no Python loop over grid points.
    """
    form = _form(stats, family, mode)
    _check_needs(stats, family, form)
    _check_intervals(stats, form, tuple(np.unique(np.asarray(p, dtype=float)).tolist()))
    glob = _global_logs(stats, 0.5, 1)
    layer = _layer_logs(stats, glob)
    terms = _term_logs(form, stats, glob, layer, p)
    return np.asarray(next(iter(terms.values())), dtype=float) / _LN10


def optimise_p(
    stats: NetworkStats, grid=None, mode: str | None = None, *, delta: float = 0.01, family="ledent2025"
) -> NetworkBoundValue:
    """A family's bound with each layer's p chosen on ``grid`` (default :func:`default_p_grid`).

    The outer expression is increasing in the sum of per-layer terms and each term depends on its own p only, so the
    best joint choice is the per-layer argmin. Explicit mode charges the union bound over grid^L (L ln |grid| inside
    the confidence term, through the global ``G``). A family of one's own qualifies when it has one sum (or max)
    over the layers, SymPy proves its outer expression increasing in it, and, in explicit mode, the outer expression
    pays for the grid through ``G``; otherwise it is refused with the reason.
    """
    family, mode, given = _resolve(family, mode)
    if family not in p_families() and not (given is not None and given.uses_p):
        raise InputError("family", family, f"has no Schatten exponent p; choose one of {', '.join(p_families())}")
    grid = default_p_grid() if grid is None else np.unique(np.asarray(grid, dtype=float).ravel())
    if mode == "explicit" and family in _LEDENT:
        grid = grid[grid < 2]  # the certified form needs p < 2; the union is over these values only
    if grid.size == 0:
        raise InputError("grid", "empty", "needs at least one p value" + (" below 2" if mode == "explicit" else ""))
    form = _form(stats, family, mode, given)
    if family not in _LEDENT:
        _check_optimisable(form)
    _check_needs(stats, family, form)
    _check_intervals(stats, form, tuple(grid.tolist()))
    glob = _global_logs(stats, delta, int(grid.size))
    layer = _layer_logs(stats, glob)
    terms = _term_logs(form, stats, glob, layer, grid)  # (G, L) per aggregate
    # each layer's p minimises its first (main) term; any choice on the grid is covered by the union bound
    sym = form.terms()[0].symbol
    best = np.argmin(terms[sym], axis=0)
    chosen_all = {k_: v[best, np.arange(stats.depth)] for k_, v in terms.items()}
    chosen = chosen_all[sym]
    aggs = _reduce(form, chosen_all)
    l10, value = _value(_outer_log(form, glob, aggs))
    p_best = tuple(float(grid[i]) for i in best)
    key = _reported_key(stats, family, form)
    details = {
        "status": _status(key) or ("new result" if given is not None else ""),
        "per_layer_log10": {sym.name: (chosen / _LN10).tolist()},
        "grid_size": int(grid.size),
        "grid": grid.tolist(),
        "union_bound": (
            f"L ln|grid| = {stats.depth * math.log(grid.size):.6g}"
            + (", product/margin and rank-proxy grids charged" if family in _LEDENT else "")
        )
        if mode == "explicit"
        else "not charged (dominant form drops logs)",
        "certified": _certified(family, mode),
        **_family_notes(stats, family),
        **_interval_note(stats, form),
    }
    if mode == "explicit" and family in _LEDENT:
        details["note"] = "explicit constants derived here (proofs/main_bound), not the paper's"
    return NetworkBoundValue(key, family, mode, p_best, l10, value, details)


#: the historical name: the ledent2025 families were the first with a p to optimise
optimise_ledent_p = optimise_p


def _check_optimisable(form):
    """Per-layer argmin is the joint optimum only for one sum/max of terms with an increasing outer expression."""
    from schattheory.bounds import family as fam

    aggs = form.terms()
    if len(aggs) != 1 or aggs[0].op not in ("sum", "max"):
        raise InputError(
            "family", form.family, "p can be optimised per layer only for one sum (or max) over the layers; give p"
        )
    if not sp.diff(sp.sympify(form.outer), aggs[0].symbol).is_positive:
        raise InputError(
            "family",
            form.family,
            f"SymPy cannot show the outer expression increasing in "
            f"{aggs[0].symbol}, so per-layer argmins need not be optimal; give p",
        )
    if form.mode == "explicit" and fam.G not in sp.sympify(form.outer).free_symbols:
        raise InputError(
            "family",
            form.family,
            "an explicit bound with p chosen on a grid must pay for the grid: "
            "use the global G (grid size) in its outer expression, or give p",
        )
