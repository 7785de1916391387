r"""Singular values on a GPU through ``torch.linalg.svdvals`` (torch is optional; ``--device cuda``).

The matrix is scaled by the same power of two as on the CPU path (exact), decomposed on the device in the compute
dtype, and returned as float64 in descending order. tests/test_gpu.py checks it against the CPU path to 1e-5
relative (of sigma_1) where a CUDA device exists, and skips saying so elsewhere.
"""

from __future__ import annotations

import math

import numpy as np

from schattheory.foundation.errors import InputError

__all__ = ["svdvals_device", "check_device"]


def check_device(device: str) -> str:
    """``cpu`` or a torch device with CUDA available; a one-line error otherwise."""
    if device == "cpu":
        return device
    if not (device == "cuda" or device.startswith("cuda:")):
        raise InputError("device", device, "must be cpu or cuda[:N]")
    try:
        import torch
    except ImportError:
        raise InputError("device", device, "needs torch (pip install 'schattheory[torch]')") from None
    if not torch.cuda.is_available():
        raise InputError("device", device, "torch finds no CUDA device on this machine")
    return device


def svdvals_device(mat: np.ndarray, device: str, compute) -> np.ndarray:
    import torch

    arr = np.asarray(mat, dtype=compute)
    peak = max(float(arr.max()), -float(arr.min()))
    if peak == 0:
        return np.zeros(min(arr.shape))
    shift = math.frexp(peak)[1]
    t = torch.from_numpy(np.ldexp(arr, -shift).astype(compute, copy=False)).to(device)
    sv = torch.linalg.svdvals(t).double().cpu().numpy()
    return np.ldexp(np.sort(sv)[::-1], shift)
