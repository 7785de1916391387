r"""NetworkSpectra: the singular values of every layer, computed once, and every spectral statistic derived from them.

Each weight tensor is read, decomposed and dropped (at most one layer in memory). What is kept per layer is a
:class:`~schattheory.foundation.netstats.LayerStats` (descending singular values, ||A^T||_{2,1}, shapes); Schatten
quasi-norms for any p, rank proxies sum_i (sigma_i/sigma_1)^p, stable and effective rank all come from those stored
spectra through :mod:`schattheory.numerics.stable` (overflow-safe, log space).

Precision: float32 weights are decomposed in float32 (as stored; LAPACK ``sgesdd``), float64 in float64, fp16/bf16
upcast to float32; ``dtype="float64"`` decomposes everything in float64.

Methods:

* ``"svd"`` (default): ``scipy.linalg.svdvals`` of the (power-of-two scaled) matrix.
* ``"gram"``: eigenvalues of the smaller Gram matrix A A^T or A^T A, sigma_i = sqrt(lambda_i); about 2-3 times faster
  on 768 x 3072 float32 matrices. Squaring the condition number costs accuracy on small singular values: with machine
  epsilon eps of the working dtype, the relative error of sigma_i is at most about 10 eps (sigma_1/sigma_i)^2
  (constant measured <= 11 on 256 x 1024 to 768 x 3072 float32 matrices), so singular values below about
  10 sqrt(eps) sigma_1 (3.5e-3 sigma_1 in float32; :data:`GRAM_RELIABLE`) are not resolved. Measured on 256 x 1024
  float32 matrices with log-spaced spectra from sigma_1 down to 1e-5 sigma_1 (tests/test_networks_spectra.py),
  against the singular values above the noise floor (1.2e-4 sigma_1 here): rank proxy relative error 3.6% at
  p = 0.1, 0.35% at p = 0.5, 1e-4 at p = 1, 2e-7 at p = 2; the SVD path stays below 1e-6 at every p (on 768 x 3072
  the floor, 3.7e-4 sigma_1, leaves the Gram path within 3.3e-5 at every p). Spectra that decay only to 1e-2 sigma_1
  lose nothing (below 2e-6 at every p). Small p weighs
  exactly the unresolved values, so :class:`NetworkSpectra` records, per layer, how many singular values lie below
  the threshold, and :meth:`NetworkSpectra.gram_warnings` says at which p they can move a rank proxy by more than 1%
  (a worst case: each such value anywhere between 0 and the threshold).
* ``"randomized"`` with ``top_k=K``: no spectrum, but certified intervals for sigma_1, ||A||_F, the tail energy and
  ||A||_{S_p} (p <= 2) from a rank-K randomized subspace (:mod:`schattheory.networks.certified`; K is cut to the
  smaller side of a layer that has fewer, where the intervals are tight). The per-layer statistics then hold the
  certified lower bounds of sigma_1..sigma_K in ``sigma``: only the intervals (``info[i]["certified"]``,
  :meth:`NetworkSpectra.intervals`) are reported, and bounds are evaluated at their upper ends
  (:mod:`schattheory.bounds.monotone`). Conv layers with an input size keep their exact operator spectrum.
* conv kernels (4-D) with an input size: the exact operator spectrum (circular padding; zero padding where the
  explicit operator is small enough) or a certified upper bound (larger zero-padded layers), see
  :mod:`schattheory.networks.conv`; without an input size, the filter matrix (c_out, c_in kh kw) of the paper's
  notation (Ledent et al. 2025, Theorem 3.6, as transcribed in SOURCES.md [P3]). The padding is given (``padding``)
  or read from the file where it is recorded (safetensors metadata ``<layer>.padding``, ``<layer>.padding_mode``);
  with an input size and neither, the layer is refused (torch's default is zero padding, not circular).

What is decomposed is the layer as the network applies it: a BatchNorm that follows it folded in
(:mod:`schattheory.networks.loaders`) and its bias folded by homogeneous coordinates
(:mod:`schattheory.networks.homogeneous`), unless ``biases=False`` (the bias-free network). With a ``reference``
(initial weights, folded the same way) each layer also records ||(A - M)^T||_{2,1} and ||A - M||_F.

Noise floor: rank and rank proxies ignore singular values at or below max(m, n) eps sigma_1, eps the machine
epsilon of the precision the weights were stored in (or computed in, if coarser), see
:class:`~schattheory.foundation.netstats.LayerStats`; so ``dtype`` does not change them.

>>> import numpy as np
>>> net = NetworkSpectra.from_model([np.diag([3.0, 4.0]), np.eye(2)])
>>> net.names, net.spectral.tolist(), net.frobenius.tolist()
(['layer0', 'layer1'], [4.0, 1.0], [5.0, 1.4142135623730951])
>>> net.rank_proxy(1).tolist()          # (4 + 3)/4 and (1 + 1)/1
[1.75, 2.0]
"""

from __future__ import annotations

import math
import time

import numpy as np

from schattheory.foundation.errors import InputError
from schattheory.foundation.netstats import LayerStats, NetworkStats
from schattheory.networks.conv import PADDINGS, check_conv_size, conv_singular_values, pad_amount, parse_input_size
from schattheory.networks.homogeneous import bias_tap, fold_conv, fold_dense, homogeneous_plan
from schattheory.networks.loaders import BN_EPS, iter_layers, plan_model
from schattheory.numerics import stable

__all__ = ["NetworkSpectra", "singular_values", "METHODS", "EVALUATE_METHODS", "GRAM_RELIABLE"]

METHODS = ("svd", "gram")
#: what a network can be decomposed with: the spectra methods, or certified intervals from a randomized top-k
EVALUATE_METHODS = METHODS + ("randomized",)
#: singular values below GRAM_RELIABLE * sqrt(eps) * sigma_1 are not resolved by the Gram path (relative error >~ 1%)
GRAM_RELIABLE = 10.0


def singular_values(A, method: str = "svd", dtype=None):
    """Descending singular values (float64 array) of a 2-D weight, by ``svd`` or the ``gram`` fast path.

    >>> singular_values(np.array([[3.0, 0], [0, 4]], dtype=np.float32), "gram").tolist()
    [4.0, 3.0]
    """
    from schattheory.numerics.matrix import float_singular_values

    if method not in METHODS:
        raise InputError("method", method, f"must be one of {METHODS}")
    arr = np.asarray(A)
    if dtype is not None:
        arr = arr.astype(dtype, copy=False)
    return float_singular_values(arr, method)


class NetworkSpectra:
    """Per-layer spectra of a network and the statistics derived from them (all from the stored singular values).

    Build with :meth:`from_model` (a path or a list of arrays). ``layers`` is a tuple of
    :class:`~schattheory.foundation.netstats.LayerStats`; ``info`` one dict per layer (kind, method, conv geometry,
    bias norm, Gram diagnostics, seconds spent).
    """

    def __init__(
        self,
        layers,
        info=None,
        *,
        source: str = "",
        method: str = "svd",
        biases=None,
        ignored=(),
        notes=(),
        extras=None,
        homogeneous=None,
        accounted=(),
    ):
        self.layers = tuple(layers)
        if not self.layers:
            raise InputError("layers", 0, "a network needs at least one weight layer")
        self.info = tuple(info) if info is not None else tuple({"kind": "dense"} for _ in self.layers)
        self.source, self.method = source, method
        self.biases = dict(biases or {})
        self.ignored = tuple(ignored)
        self.notes = list(notes)
        self.extras = dict(extras or {})
        self.homogeneous = homogeneous  # HomogeneousPlan (None: built from matrices, nothing folded)
        self.accounted = tuple(accounted)  # (tensor name, role) of every tensor used

    # ---- construction ---------------------------------------------------------------------------------------
    @classmethod
    def from_model(
        cls,
        model,
        *,
        layers=None,
        method: str = "svd",
        dtype=None,
        input_size=None,
        padding=None,
        orientation: str = "out_in",
        order: str = "natural",
        progress=None,
        on_layer=None,
        plan=None,
        biases: bool = True,
        reference=None,
        bn_eps: float = BN_EPS,
        exact_limit=None,
        top_k=None,
    ) -> "NetworkSpectra":
        """Read ``model`` one layer at a time and decompose each layer once.

        ``input_size``: (h, w) for every conv layer, or a dict name -> (h, w); ``padding``: ``"circular"`` (exact),
        ``"same"``/``"valid"``/int zero padding (exact where affordable, else an upper bound), a dict name ->
        padding, or None (as recorded in the file). ``biases=False``: the bias-free network. ``reference``: initial
        weights (path or arrays) with the same layers. ``progress(i, n, name, shape, seconds)`` is called
        after each layer; ``on_layer(raw_layer, index)`` sees each layer's weights before they are dropped (the data
        forward pass uses it).
        """
        if method not in EVALUATE_METHODS:
            raise InputError("method", method, f"must be one of {EVALUATE_METHODS}")
        if dtype is not None and np.dtype(dtype) not in (np.float32, np.float64):
            raise InputError("dtype", dtype, "must be float32 or float64")
        plan = plan or plan_model(model, layers, orientation=orientation, order=order)
        top_k = check_method_top_k(method, top_k, [lay.shape for lay in plan.layers])
        sizes = _input_sizes(input_size, plan)
        pads = _paddings(padding, plan, sizes)
        for name, size in sizes.items():  # sizes and paddings checked against the memory they need, before work
            if name in pads:
                check_conv_size(next(lay.shape for lay in plan.layers if lay.name == name), size, pads[name], name=name)
        hom = homogeneous_plan(plan, biases=biases)
        ref_iter = None
        if reference is not None:
            ref_plan = plan_model(reference, layers, orientation=orientation, order=order, check_chain=False)
            _check_reference(plan, ref_plan)
            ref_iter = iter_layers(ref_plan, biases=biases, bn_eps=bn_eps)
        stats, info, bias_vals, extras_filter = [], [], {}, {}
        notes = []
        total = len(plan.layers)
        for i, raw in enumerate(iter_layers(plan, biases=biases, bn_eps=bn_eps)):
            t0 = time.perf_counter()
            if on_layer is not None:
                on_layer(raw, i)
            ref = next(ref_iter) if ref_iter is not None else None
            lay, meta, filt = _layer_stats(
                raw, method, dtype, sizes.get(raw.name), pads.get(raw.name), hom.folds[i], ref, exact_limit, top_k
            )
            stats.append(lay)
            info.append(meta)
            if filt is not None:
                extras_filter[raw.name] = filt
            if raw.bias is not None:
                bias_vals[raw.name] = raw.bias
            if meta.get("note"):
                notes.append(f"{raw.name}: {meta['note']}")
            del raw, ref
            meta["seconds"] = time.perf_counter() - t0
            if progress is not None:
                progress(i + 1, total, lay.name, lay.shape, meta["seconds"])
        src = plan.source.label
        extras = {"filter_sigma": extras_filter} if extras_filter else {}
        extras["homogeneous"] = hom
        if reference is not None:
            extras["reference"] = str(reference) if not isinstance(reference, (list, tuple, dict)) else "arrays"
        return cls(
            stats,
            info,
            source=src,
            method=method,
            biases=bias_vals,
            ignored=plan.ignored,
            notes=notes,
            extras=extras,
            homogeneous=hom,
            accounted=plan.accounted,
        )

    # ---- per-layer arrays -------------------------------------------------------------------------------------
    def __len__(self):
        return len(self.layers)

    @property
    def names(self) -> list:
        return [lay.name for lay in self.layers]

    @property
    def shapes(self) -> list:
        return [tuple(lay.shape) for lay in self.layers]

    def _each(self, fn) -> np.ndarray:
        return np.array([fn(lay) for lay in self.layers], dtype=float)

    @property
    def spectral(self) -> np.ndarray:
        return self._each(lambda lay: lay.spectral)

    @property
    def frobenius(self) -> np.ndarray:
        return self._each(lambda lay: lay.frobenius)

    @property
    def nuclear(self) -> np.ndarray:
        return self._each(lambda lay: lay.nuclear)

    @property
    def rank(self) -> np.ndarray:
        return np.array([lay.rank for lay in self.layers], dtype=int)

    @property
    def stable_rank(self) -> np.ndarray:
        return self._each(lambda lay: lay.stable_rank)

    @property
    def effective_rank(self) -> np.ndarray:
        return self._each(lambda lay: lay.effective_rank)

    @property
    def norm21(self) -> np.ndarray:
        """||A^T||_{2,1} per layer (sum over output units of the l2 norm of their incoming weights)."""
        return self._each(lambda lay: lay.norm21)

    def schatten(self, p) -> np.ndarray:
        """||A_l||_{S_p} per layer (may be inf where it exceeds float64; see :meth:`log10_schatten`)."""
        return self._each(lambda lay: stable.schatten_norm(lay.sigma, p))

    def log10_schatten(self, p) -> np.ndarray:
        """log10 ||A_l||_{S_p} per layer: finite for every nonzero layer, however extreme."""
        return self._each(lambda lay: stable.log_schatten_norm(lay.sigma, p) / math.log(10))

    def rank_proxy(self, p) -> np.ndarray:
        """sum_i (sigma_i / sigma_1)^p per layer, in [1, rank]; p = 0 gives the numerical rank."""
        return self._each(lambda lay: lay.rank_proxy(p))

    def log10_spectral_product(self) -> float:
        return stable.log_prod(self.spectral) / math.log(10)

    # ---- diagnostics ------------------------------------------------------------------------------------------
    def gram_warnings(self, ps, threshold: float = 0.01) -> list:
        """For the Gram path: where unresolved small singular values can move a rank proxy by more than ``threshold``.

        A singular value below ``GRAM_RELIABLE * sqrt(eps) * sigma_1`` may be off by 100%, so it can move
        sum_i (sigma_i/sigma_1)^p by up to (GRAM_RELIABLE sqrt(eps))^p each; the warning names the layer, the count
        and the smallest p at which that exceeds ``threshold`` of the rank proxy.
        """
        out = []
        ps = sorted(float(p) for p in ps if p is not None and 0 < float(p) < math.inf)
        for lay, meta in zip(self.layers, self.info):
            if meta.get("method") != "gram" or not meta.get("gram_unresolved"):
                continue
            count, floor = meta["gram_unresolved"], meta["gram_floor"]
            for p in ps:
                share = count * floor**p / lay.rank_proxy(p)
                if share > threshold:
                    out.append(
                        f"{lay.name}: {count} singular values lie below {floor:.1e} sigma_1, where the Gram "
                        f"path is not accurate; at p = {p:g} they can move the rank proxy by up to "
                        f"{100 * min(share, 1):.2g}% (use --method svd for small p)"
                    )
                    break
        return out

    # ---- certified intervals (method "randomized") ------------------------------------------------------------
    @property
    def certified(self) -> bool:
        """Whether some layer has certified intervals in place of its spectrum."""
        return any(meta.get("certified") is not None for meta in self.info)

    def intervals(self):
        """Per layer, the upper ends the bounds are evaluated at (:class:`~.certified.UpperEnds`), or None when
        every layer has its spectrum."""
        from schattheory.networks.certified import upper_ends

        if not self.certified:
            return None
        return [upper_ends(lay, meta.get("certified")) for lay, meta in zip(self.layers, self.info)]

    def log10_spectral_product_interval(self) -> list:
        """[lower, upper] of log10 prod_l sigma_1(A_l) from the certified intervals (exact layers: their value)."""
        lo = hi = 0.0
        for lay, meta in zip(self.layers, self.info):
            c = meta.get("certified")
            a, b = c.sigma1 if c is not None else (lay.spectral, lay.spectral)
            lo, hi = lo + math.log10(a), hi + math.log10(b)
        return [lo, hi]

    # ---- outputs ----------------------------------------------------------------------------------------------
    def to_netstats(self, data=None) -> NetworkStats:
        extras = dict(self.extras)
        if self.certified:  # the bound engine then evaluates at the upper ends, and refuses what it cannot check
            extras["intervals"] = self.intervals()
        return NetworkStats(self.layers, data, source=self.source, extras=extras)

    def layer_rows(self, ps=()) -> list:
        """One dict per layer: name, shape, kind, dtype, spectral, frobenius, nuclear, stable/effective rank, rank,
        norm21, multiplicity, and ``rank_proxy``/``schatten`` dicts keyed by ``str(p)``."""
        rows = []
        for lay, meta in zip(self.layers, self.info):
            row = {
                "name": lay.name,
                "shape": list(meta.get("stored_shape", lay.shape)),
                "kind": meta.get("kind", "dense"),
                "dtype": lay.dtype,
                "method": meta.get("method", self.method),
                "spectral": lay.spectral,
                "frobenius": lay.frobenius,
                "nuclear": lay.nuclear,
                "stable_rank": lay.stable_rank,
                "effective_rank": lay.effective_rank,
                "rank": lay.rank,
                "norm21": lay.norm21,
                "multiplicity": lay.multiplicity,
                "num_singular_values": int(lay.sigma.size),
                "operator_shape": list(lay.rank_shape),
                "exact": meta.get("exact", True),
                "spectrum": meta.get("spectrum", "exact (SVD)"),
                "has_bias": lay.name in self.biases,
                "batchnorm": meta.get("batchnorm"),
                "folded": meta.get("folded", "as stored"),
                "ref_norm21": lay.ref_norm21,
                "ref_frobenius": lay.ref_frobenius,
                "noise_floor": lay.noise_floor,
                "stored_dtype": lay.stored_dtype,
                "rank_proxy": {_pkey(p): lay.rank_proxy(p) for p in ps},
                "schatten": {_pkey(p): stable.schatten_norm(lay.sigma, p) for p in ps},
                "log10_schatten": {_pkey(p): stable.log_schatten_norm(lay.sigma, p) / math.log(10) for p in ps},
            }
            if meta.get("certified") is not None:  # intervals only: sigma holds lower bounds, never reported
                row.update(
                    {
                        k: None
                        for k in (
                            "spectral",
                            "frobenius",
                            "nuclear",
                            "stable_rank",
                            "effective_rank",
                            "rank",
                            "noise_floor",
                        )
                    }
                )
                for k in ("rank_proxy", "schatten", "log10_schatten"):
                    row[k] = {key: None for key in row[k]}
                row["intervals"] = meta["certified"].to_dict(ps, lay.noise_floor / lay.spectral)
            rows.append(row)
        return rows

    def to_dataframe(self, ps=(0.5, 1.0, 2.0)):
        """A pandas DataFrame with one row per layer (rank proxies and Schatten norms as ``rank_proxy_p`` columns)."""
        try:
            import pandas as pd
        except ImportError:
            raise InputError("to_dataframe", "pandas", "is not installed (pip install 'schattheory[pandas]')") from None
        flat = []
        for row in self.layer_rows(ps):
            row = dict(row)
            for key in ("rank_proxy", "schatten", "log10_schatten"):
                for p, v in row.pop(key).items():
                    row[f"{key}_{p}"] = v
            row["shape"] = "x".join(map(str, row["shape"]))
            row["operator_shape"] = "x".join(map(str, row["operator_shape"]))
            flat.append(row)
        return pd.DataFrame(flat).set_index("name")


def _pkey(p) -> str:
    return "inf" if math.isinf(float(p)) else f"{float(p):g}"


def _input_sizes(input_size, plan) -> dict:
    convs = [lay.name for lay in plan.layers if lay.kind == "conv"]
    if input_size is None:
        return {}
    if isinstance(input_size, dict):
        unknown = set(input_size) - set(convs)
        if unknown:
            raise InputError("input-size", sorted(unknown)[0], "is not a selected conv layer")
        return {k: parse_input_size(v) for k, v in input_size.items()}
    size = parse_input_size(input_size)
    return {name: size for name in convs}


def _paddings(padding, plan, sizes) -> dict:
    """name -> padding of every conv layer with an input size: given, else recorded in the file, else refused."""
    convs = [lay.name for lay in plan.layers if lay.kind == "conv" and lay.name in sizes]
    if not convs:
        return {}
    if isinstance(padding, dict):
        unknown = set(padding) - {lay.name for lay in plan.layers if lay.kind == "conv"}
        if unknown:
            raise InputError("padding", sorted(unknown)[0], "is not a selected conv layer")
    meta = plan.source.metadata() if hasattr(plan.source, "metadata") else {}
    out = {}
    for name in convs:
        value = padding.get(name) if isinstance(padding, dict) else padding
        if value is None:
            value = recorded_padding(meta, name)
        if value is None:
            raise InputError(
                "padding",
                None,
                f"conv layer {name!r}: the file does not record its padding; give "
                "--padding same|valid|N (zero padding, torch's default mode) or --padding-mode circular",
            )
        pad_amount(value, 1, 1)  # validates the value
        out[name] = value
    return out


def recorded_padding(meta: dict, name: str):
    """The padding a file records for ``name`` (``<layer>.padding`` and ``<layer>.padding_mode``), or None."""
    stem = name[: -len(".weight")] if name.endswith(".weight") else name
    amount = meta.get(f"{stem}.padding", meta.get(f"{name}.padding"))
    mode = meta.get(f"{stem}.padding_mode", meta.get(f"{name}.padding_mode"))
    if amount is None and mode is None:
        return None
    return padding_from(amount, mode, name)


def padding_from(amount, mode, what="padding"):
    """torch's (padding, padding_mode) -> "circular", "same", "valid" or an int (zero padding)."""
    if isinstance(amount, str) and amount.strip().isdigit():
        amount = int(amount)
    mode = mode or ("circular" if amount == "circular" else "zeros")
    if mode == "circular":
        if amount not in (None, "circular", "same"):
            raise InputError(
                "padding-mode",
                mode,
                f"{what}: circular padding is evaluated with 'same' size only (got padding {amount!r})",
            )
        return "circular"
    if mode != "zeros":
        raise InputError("padding-mode", mode, f"{what}: must be 'zeros' or 'circular'")
    if amount is None:
        raise InputError("padding", None, f"{what}: zero padding needs its amount: same, valid or an integer")
    if amount == "circular" or (amount not in PADDINGS and not isinstance(amount, int)):
        raise InputError("padding", amount, f"{what}: must be same, valid or a non-negative integer")
    return amount


def _check_reference(plan, ref_plan):
    if len(ref_plan.layers) != len(plan.layers):
        raise InputError(
            "reference",
            ref_plan.source.label,
            f"has {len(ref_plan.layers)} weight layers, the model {len(plan.layers)}",
        )
    for a, b in zip(plan.layers, ref_plan.layers):
        if a.shape != b.shape:
            raise InputError("reference", b.name, f"shape {b.shape} does not match the model's {a.name!r} {a.shape}")
        if a.has_bias != b.has_bias:
            raise InputError(
                "reference",
                b.name,
                f"{'has' if b.has_bias else 'lacks'} a bias or BatchNorm that the "
                f"model's {a.name!r} {'lacks' if b.has_bias else 'has'}",
            )


def _norm21(mat) -> float:
    """sum over rows of their l2 norms; squares accumulated in float64 (einsum casts in buffers, no full copy)."""
    return float(np.sqrt(np.einsum("ij,ij->i", mat, mat, dtype=np.float64)).sum())


def check_method_top_k(method, top_k, shapes):
    """``top_k`` checked for ``method``: an integer K for ``randomized`` (at most the largest smaller side of a
    layer: beyond it nothing is approximated), None otherwise."""
    from schattheory.networks.certified import check_top_k

    if method != "randomized":
        if top_k is not None:
            raise InputError("top-k", top_k, "applies to --method randomized only")
        return None
    if top_k is None:
        raise InputError("top-k", None, "--method randomized needs --top-k K (the dimension of the random subspace)")
    top = max(min(int(shape[0]), int(np.prod(shape[1:]))) for shape in shapes)
    k = check_top_k(top_k, (max(int(top_k), 1) if isinstance(top_k, (int, np.integer)) else 1,) * 2)
    if k > top:
        raise InputError(
            "k",
            top_k,
            f"must lie in [1, {top}] (the largest smaller side of a layer; a layer with fewer uses its smaller side)",
        )
    return k


def _certified_stats(name, mat, top_k, stored, ref_kw, meta, seed):
    """LayerStats holding the certified lower bounds of sigma_1..sigma_k, and the intervals in ``meta``."""
    from schattheory.networks.certified import certified_top_k

    k = min(top_k, *mat.shape)
    c = certified_top_k(mat, k=k, seed=seed)
    lay = LayerStats(
        name, tuple(mat.shape), c.lower_top, _norm21(mat), 1, dtype="float64", stored_dtype=stored, **ref_kw
    )
    meta.update(
        method="randomized",
        exact=False,
        certified=c,
        compute_dtype="float64",  # the certificates' precision
        spectrum=f"certified intervals (randomized top-k, k = {k} of {min(mat.shape)})",
    )
    return lay


def _layer_stats(raw, method, dtype, input_size, padding, fold=None, ref=None, exact_limit=None, top_k=None):
    w = raw.weight
    compute = np.dtype(dtype) if dtype is not None else w.dtype
    meta = {
        "kind": raw.kind,
        "stored_dtype": raw.stored_dtype,
        "compute_dtype": str(compute),
        "stored_shape": list(w.shape),
        "method": method,
        "batchnorm": raw.batchnorm,
    }
    filt = None
    takes = fold is not None and fold.takes_one
    if takes:
        meta["folded"] = fold.label()
    stored = raw.stored_dtype
    if raw.kind == "conv":
        tap = bias_tap(w.shape, pad_amount(padding, *w.shape[2:])) if takes and input_size is not None else None
        K = fold_conv(w, raw.bias, takes_one=takes, gives_one=takes and fold.gives_one, tap=tap)
        K0 = (
            None
            if ref is None
            else fold_conv(ref.weight, ref.bias, takes_one=takes, gives_one=takes and fold.gives_one, tap=tap)
        )
        c_out = K.shape[0]
        fmat = K.reshape(c_out, -1)
        D = None if K0 is None else (K.astype(np.float64) - K0.astype(np.float64)).reshape(c_out, -1)
        if input_size is None:
            meta["note"] = (
                "conv layer without --input-size: statistics of its filter matrix "
                f"({c_out} x {fmat.shape[1]}), not of the convolution operator"
            )
            if top_k is not None:
                return _certified_stats(raw.name, fmat, top_k, stored, _ref_norms(D, 1), meta, 0), meta, filt
            sig = singular_values(fmat, method, compute)
            lay = LayerStats(
                raw.name,
                tuple(fmat.shape),
                sig,
                _norm21(fmat),
                1,
                dtype=str(compute),
                stored_dtype=stored,
                **_ref_norms(D, 1),
            )
        else:
            kw = {} if exact_limit is None else {"exact_limit": exact_limit}
            res = conv_singular_values(K, input_size, padding, **kw)
            filt = singular_values(fmat, "svd", np.float64)
            positions = res.output_size[0] * res.output_size[1]
            meta.update(
                exact=res.exact,
                spectrum=res.spectrum,
                input_size=list(input_size),
                grid=list(res.grid),
                output_size=list(res.output_size),
                padding=padding,
            )
            if res.note:
                meta["note"] = res.note
            # every output position (circular) sees the whole kernel: ||op^T||_{2,1} = positions * filter rows
            # (zero padding: border rows see fewer taps, so this is an upper bound unless the operator was built)
            norm21 = res.norm21 if res.norm21 is not None else positions * _norm21(fmat)
            lay = LayerStats(
                raw.name,
                tuple(K.shape),
                res.sigma,
                norm21,
                positions,
                out_features=c_out,
                in_features=fmat.shape[1],
                dtype="float64",
                stored_dtype=stored,
                rank_shape=res.operator_shape
                if res.spectrum == "exact (explicit operator)"
                else (c_out * res.grid[0] * res.grid[1], K.shape[1] * res.grid[0] * res.grid[1]),
                **_ref_norms(D, positions),
            )
            meta["method"] = "fft" if res.spectrum != "exact (explicit operator)" else "explicit operator"
        return lay, meta, filt
    A = fold_dense(w, raw.bias, takes_one=takes, gives_one=takes and fold.gives_one, q=fold.q if takes else 1)
    D = None
    if ref is not None:
        A0 = fold_dense(
            ref.weight, ref.bias, takes_one=takes, gives_one=takes and fold.gives_one, q=fold.q if takes else 1
        )
        D = A.astype(np.float64) - A0.astype(np.float64)
    if top_k is not None:
        return _certified_stats(raw.name, A, top_k, stored, _ref_norms(D, 1), meta, 0), meta, filt
    sig = singular_values(A, method, compute)
    lay = LayerStats(
        raw.name, tuple(A.shape), sig, _norm21(A), 1, dtype=str(compute), stored_dtype=stored, **_ref_norms(D, 1)
    )
    if method == "gram":
        floor = GRAM_RELIABLE * math.sqrt(float(np.finfo(compute).eps))
        meta["gram_floor"] = floor
        meta["gram_unresolved"] = int(np.count_nonzero(sig < floor * sig[0]))
    return lay, meta, filt


def _ref_norms(D, positions) -> dict:
    """||(A - M)^T||_{2,1} and ||A - M||_F (for a conv, of the operator: positions times the filter rows, and
    sqrt(positions) ||D||_F; exact for circular padding, upper bounds for zero padding)."""
    if D is None:
        return {}
    return {"ref_norm21": positions * _norm21(D), "ref_frobenius": math.sqrt(positions) * float(np.linalg.norm(D))}
