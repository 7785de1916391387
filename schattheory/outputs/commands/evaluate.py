"""`schattheory evaluate MODEL`: layer spectra and every registered network bound for a weights file.

Output goes to stdout (a table, or ``--json`` / ``--csv`` / ``--markdown``); progress and warnings go to stderr, so
``--json`` output stays clean. Plots (``--plot DIR``) are written only once everything else succeeded, each file
atomically.
"""

from __future__ import annotations

import os
import sys
import time


def add_parser(sub):
    p = sub.add_parser(
        "evaluate",
        help="spectra and generalization bounds of a trained network",
        description="Singular values of every layer (once), then every registered network bound in "
        "dominant and explicit form, ledent2025 at fixed p and with p optimised per layer.",
    )
    p.add_argument(
        "model",
        help="weights file (.npz, .safetensors, or a PyTorch state dict: needs torch), a "
        "checkpoint folder of safetensors shards with model.safetensors.index.json, or "
        "'bundled' for the bundled digits MLP with its training data statistics",
    )
    d = p.add_argument_group("data statistics")
    d.add_argument("--data", metavar="FILE.npz", help="training data: arrays X (n x d) and y (labels)")
    d.add_argument("--n", type=int, metavar="N", help="number of training samples (without --data)")
    d.add_argument("--input-norm", type=float, metavar="B", help="max l2 norm of an input (without --data)")
    d.add_argument(
        "--data-frobenius", type=float, metavar="F", help="||X||_F (without --data; default sqrt(n) B, an upper bound)"
    )
    d.add_argument("--margin", type=float, metavar="G", help="the margin gamma (must be > 0)")
    d.add_argument(
        "--margin-percentile",
        type=float,
        metavar="Q",
        help="gamma = the Q-th percentile of the training margins (with --data)",
    )
    b = p.add_argument_group("bounds")
    b.add_argument(
        "--p",
        type=float,
        action="append",
        metavar="P",
        dest="ps",
        help="Schatten exponent for ledent2025 with the same p in every layer (repeatable; default 0.5, 1, 2)",
    )
    b.add_argument(
        "--grid", metavar="P,P,...", help="p grid for the per-layer optimisation (default: the bound module's)"
    )
    b.add_argument("--delta", type=float, default=0.01, help="confidence parameter of explicit bounds (0.01)")
    b.add_argument(
        "--family",
        action="append",
        metavar="NAME[,NAME...]",
        dest="families",
        help="evaluate only these network bound families (repeatable; default: every one; see "
        "`schattheory list`); only their modules are imported",
    )
    s = p.add_argument_group("spectra")
    s.add_argument(
        "--method",
        choices=("svd", "gram", "randomized"),
        default="svd",
        help="svd (default) or gram: eigenvalues of the smaller Gram matrix, faster, inaccurate below "
        "about sqrt(eps) sigma_1; randomized (with --top-k K): no full SVD, certified intervals per "
        "layer, and each bound that is nondecreasing in what it reads as a certified upper bound",
    )
    s.add_argument(
        "--top-k",
        type=int,
        metavar="K",
        help="dimension of the random subspace of --method randomized (1 <= K <= a layer's smaller side)",
    )
    s.add_argument(
        "--dtype",
        choices=("float32", "float64"),
        help="decompose in this precision (default: as stored, fp16/bf16 in float32)",
    )
    s.add_argument("--layers", metavar="PATTERN", help="select tensors: comma-separated shell patterns, or re:REGEX")
    s.add_argument(
        "--input-size",
        action="append",
        metavar="[NAME=]HxW",
        help="input size of conv layers (exact operator spectra); NAME= for one layer",
    )
    s.add_argument(
        "--padding",
        default=None,
        help="conv padding amount, as torch's: same, valid or an integer (zero padding: exact spectrum "
        "where the explicit operator is small, else a certified upper bound), or circular; default: "
        "as recorded in the file (safetensors metadata <layer>.padding), else refused",
    )
    s.add_argument(
        "--padding-mode",
        choices=("zeros", "circular"),
        default=None,
        help="conv padding mode, as torch's: zeros (give --padding) or circular (exact, Sedghi et al.)",
    )
    s.add_argument(
        "--no-biases",
        action="store_true",
        help="evaluate the bias-free network (biases and BatchNorm shifts dropped, margins included); "
        "default: biases folded by homogeneous coordinates",
    )
    s.add_argument(
        "--reference",
        metavar="FILE",
        help="initial weights (same layers): families that allow it measure from them (distance from initialisation)",
    )
    s.add_argument(
        "--orientation",
        choices=("out-in", "in-out"),
        default="out-in",
        help="weight layout: out-in (torch, default) or in-out (Keras/JAX)",
    )
    s.add_argument(
        "--order",
        choices=("natural", "file"),
        default="natural",
        help="safetensors layer order: natural sort of names (default) or file offsets",
    )
    c = p.add_argument_group("checkpoints at scale (a folder, transformer names, or any of these flags)")
    c.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="worker processes, each reading its own tensors (default: the cores available)",
    )
    c.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="compute on Dask: a scheduler address, or local:N for a "
        "LocalCluster of N processes (needs schattheory[dask])",
    )
    c.add_argument("--cache", metavar="DIR", help="keep per-tensor spectra in DIR; a rerun resumes from it")
    c.add_argument("--device", default="cpu", help="cpu (default) or cuda: torch.linalg.svdvals on the GPU")
    c.add_argument("--dry-run", action="store_true", help="list what would be evaluated and why, then stop")
    o = p.add_argument_group("output")
    fmt = o.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="JSON on stdout")
    fmt.add_argument("--csv", action="store_true", help="CSV on stdout (column kind = layer | bound)")
    fmt.add_argument("--markdown", action="store_true", help="Markdown tables on stdout")
    o.add_argument(
        "--plot",
        metavar="DIR",
        help="write PNG and PDF figures into DIR (a new or empty directory, or "
        "one a previous --plot wrote, which is replaced)",
    )
    o.add_argument(
        "--force",
        action="store_true",
        help="let --plot write into a non-empty directory schattheory "
        "did not make (adds the figures, touches nothing else)",
    )
    o.add_argument("--quiet", action="store_true", help="no progress on stderr")
    o.add_argument("--progress", action="store_true", help="progress on stderr for every layer from the start")
    p.set_defaults(run=run)


class _Progress:
    """Per-layer progress on stderr: every layer once the run has taken more than two seconds (or from the start if
    asked), and a layer still running after two seconds is announced while it runs."""

    def __init__(self, always: bool, plan=None):
        from schattheory.outputs.commands._status import Status, auto_progress

        self.start, self.on, self.auto = time.perf_counter(), always, always or auto_progress()
        self.layers = list(plan.layers) if plan is not None else []
        self.status = Status("evaluate", delay=2.0, enabled=self.auto)
        self._announce(0)

    def _announce(self, index):
        if index < len(self.layers):
            lay = self.layers[index]
            shape = "x".join(map(str, lay.shape))
            self.status(f"[{index + 1}/{len(self.layers)}] {lay.name} ({shape}) running")
        elif self.layers:
            self.status("evaluating the bounds")

    def __call__(self, i, total, name, shape, seconds):
        self.status.close()
        if not self.on and self.auto and time.perf_counter() - self.start > 2.0:
            self.on = True
        if self.on:
            shape_text = "x".join(map(str, shape))
            print(f"[{i}/{total}] {name} ({shape_text}) {seconds:.2f} s", file=sys.stderr, flush=True)
        self._announce(i)

    def close(self):
        self.status.close()


def _input_size(values):
    if not values:
        return None
    named = [v for v in values if "=" in v]
    if named and len(named) != len(values):
        from schattheory.foundation.errors import InputError

        raise InputError("input-size", values, "give either one HxW for every conv layer or NAME=HxW for each")
    if named:
        return dict(v.split("=", 1) for v in values)
    if len(values) > 1:
        from schattheory.foundation.errors import InputError

        raise InputError("input-size", values, "repeat --input-size only as NAME=HxW")
    return values[0]


def _padding(text, mode=None):
    """--padding and --padding-mode -> what the spectra take (None: as recorded in the file)."""
    if text is None and mode is None:
        return None
    from schattheory.networks.spectra import padding_from

    return padding_from(text, mode, "--padding")


def _bundled(args):
    """``MODEL = bundled``: the bundled network's file, and its training data statistics unless data were given."""
    from schattheory import data as bundled

    if args.model != "bundled" or os.path.exists(args.model):
        return args.model
    if args.data is None and all(v is None for v in (args.n, args.input_norm, args.margin, args.data_frobenius)):
        stats = bundled.load_stats(bundled.path(bundled.STATS_FILE))["data"]
        args.n, args.input_norm = stats["n"], stats["input_norm"]
        args.data_frobenius, args.margin = stats["data_frobenius"], stats["margin"]
    return str(bundled.path(bundled.MODEL_FILE))


def _check_inputs(args):
    """Files first, then the output folder and every option's syntax: a bad argument fails before any work."""
    from schattheory.foundation.errors import InputError
    from schattheory.foundation.output import check_output_dir

    for argument, path in (("model", args.model), ("data", args.data), ("reference", args.reference)):
        if path is None:
            continue
        if not os.path.exists(path):
            raise InputError(argument, path, "no such file")
        if os.path.isdir(path) and argument != "model":
            raise InputError(argument, path, "is a directory, not a file")
    if args.method == "randomized" and args.plot is not None:
        raise InputError("plot", args.plot, "--method randomized gives certified intervals, not spectra, to plot")
    if args.plot is not None:
        check_output_dir(args.plot, argument="--plot", force=args.force)
    elif args.force:
        raise InputError("--force", True, "applies to --plot only")


def _grid(text):
    if text is None:
        return None
    from schattheory.foundation.errors import InputError

    try:
        return tuple(float(x) for x in text.split(",") if x.strip())
    except ValueError:
        raise InputError("grid", text, "must be comma-separated numbers, e.g. 0.1,0.25,0.5,1,2") from None


def _families(values):
    """--family values (repeatable, each comma-separated) -> a list, or None for every family."""
    if not values:
        return None
    return [f.strip() for v in values for f in v.split(",") if f.strip()] or [""]


def _scale_plan(args):
    """The checkpoint plan when this model goes through the parallel engine, else None (the in-order path)."""
    from schattheory.foundation.errors import InputError
    from schattheory.networks.checkpoint import is_checkpoint, plan_checkpoint

    orientation = args.orientation.replace("-", "_")
    asked = [
        f
        for f, on in (
            ("--jobs", args.jobs is not None),
            ("--scheduler", args.scheduler),
            ("--cache", args.cache),
            ("--device", args.device != "cpu"),
            ("--dry-run", args.dry_run),
        )
        if on
    ]
    if not (asked or is_checkpoint(args.model)):
        if args.data or args.input_size:
            return None
        try:  # a single file: the engine only when its names say it is not a feed-forward chain
            plan = plan_checkpoint(args.model, args.layers, orientation=orientation)
        except InputError:
            return None  # the in-order path reports bad input in its own words
        return None if plan.covered else plan
    for flag, value in (("data", args.data), ("input-size", args.input_size)):
        if value:
            raise InputError(
                flag,
                value,
                "needs the in-order path (a forward pass through a feed-forward chain); "
                f"not available with {', '.join(asked) or 'a checkpoint folder'}",
            )
    return plan_checkpoint(args.model, args.layers, orientation=orientation)


def _run_scale(args, plan):
    import json

    from schattheory.networks.checkpoint_eval import bounds_refusal, evaluate_checkpoint
    from schattheory.networks.evaluate import DEFAULT_PS
    from schattheory.networks.progress import SpectraProgress

    if args.dry_run:
        why = bounds_refusal(plan)
        if args.json:
            print(
                json.dumps(
                    {
                        "source": plan.source.label,
                        "tensors": plan.entries,
                        "layers": plan.layer_names,
                        "bounds_apply": why is None,
                        "why_not": plan.uncovered_reasons() if not plan.covered else [why] if why else [],
                        "notes": plan.notes,
                    },
                    indent=2,
                )
            )
        else:
            sys.stdout.write(plan.dry_run_text(why if plan.covered else None))
        return 0
    progress = None if args.quiet else SpectraProgress(plan.jobs)
    try:
        ev = evaluate_checkpoint(
            None,
            plan=plan,
            method=args.method,
            top_k=args.top_k,
            dtype=args.dtype,
            n_jobs=args.jobs,
            scheduler=args.scheduler,
            cache=args.cache,
            device=args.device,
            progress=progress,
            n=args.n,
            input_norm=args.input_norm,
            margin=args.margin,
            data_frobenius=args.data_frobenius,
            ps=tuple(args.ps) if args.ps else DEFAULT_PS,
            grid=_grid(args.grid),
            delta=args.delta,
            biases=not args.no_biases,
            families=_families(args.families),
        )
    finally:
        if progress is not None:
            progress.close()
    if progress is not None:
        computed = sum(1 for m in ev.spectra.info if m.get("computed"))
        print(
            f"spectra: {computed} layers computed, {len(ev.spectra) - computed} from the cache"
            + (f" ({args.cache})" if args.cache else ""),
            file=sys.stderr,
        )
    return _emit(args, ev)


def run(args) -> int:
    from schattheory.networks.evaluate import DEFAULT_PS, evaluate
    from schattheory.networks.loaders import plan_model

    args.model = _bundled(args)
    _check_inputs(args)
    padding = _padding(args.padding, args.padding_mode)
    grid, input_size = _grid(args.grid), _input_size(args.input_size)
    plan = _scale_plan(args)
    if plan is not None:
        return _run_scale(args, plan)
    orientation = args.orientation.replace("-", "_")
    progress = None
    if not args.quiet:  # headers only: the layer names for the progress lines
        progress = _Progress(
            args.progress, plan_model(args.model, args.layers, orientation=orientation, order=args.order)
        )
    try:
        ev = evaluate(
            args.model,
            data=args.data,
            n=args.n,
            input_norm=args.input_norm,
            margin=args.margin,
            margin_percentile=args.margin_percentile,
            data_frobenius=args.data_frobenius,
            ps=tuple(args.ps) if args.ps else DEFAULT_PS,
            grid=grid,
            method=args.method,
            dtype=args.dtype,
            layers=args.layers,
            input_size=input_size,
            padding=padding,
            orientation=orientation,
            order=args.order,
            delta=args.delta,
            progress=progress,
            biases=not args.no_biases,
            reference=args.reference,
            top_k=args.top_k,
            families=_families(args.families),
        )
    finally:
        if progress is not None:
            progress.close()
    if not args.quiet:
        for name, reason in ev.spectra.ignored:  # nothing is dropped silently
            print(f"note: tensor {name} not used ({reason})", file=sys.stderr)
    return _emit(args, ev)


def _emit(args, ev) -> int:
    if args.plot:
        written = ev.plot(args.plot, force=args.force)
        if not args.quiet:
            print(f"wrote {len(written)} figures to {args.plot}", file=sys.stderr)
    if args.json:
        text = ev.to_json()
    elif args.csv:
        text = ev.to_csv()
    elif args.markdown:
        text = ev.to_markdown()
    else:
        text = ev.to_text()
    if args.json or args.csv:
        for w in ev.warnings:
            print(f"warning: {w}", file=sys.stderr)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0
