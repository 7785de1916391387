r"""Synthetic sharded checkpoints (GPT-2 and Llama names, bf16/fp16/fp8/f32), for tests and benchmarks.

:func:`write_checkpoint` writes safetensors shards and ``model.safetensors.index.json`` the way Hugging Face
checkpoints are laid out (header: 8-byte little-endian length, JSON with dtype, shape and data offsets; then the
bytes). Values are rounded to the stored dtype with ml_dtypes, so the exact weights a reader must recover are
:func:`decoded` (the stored numbers as float32).

>>> import numpy as np, tempfile
>>> folder = tempfile.mkdtemp()
>>> t = transformer_tensors("llama", layers=1, d=8, ff=16, vocab=32)
>>> sorted(t)[:3]
['lm_head.weight', 'model.embed_tokens.weight', 'model.layers.0.input_layernorm.weight']
>>> files = write_checkpoint(folder, t, dtype="float32", shards=2)
>>> [f.split("/")[-1] for f in files]
['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']
"""

from __future__ import annotations

import json
import os

import numpy as np

from schattheory.networks.dtypes import SAFETENSORS_DTYPES, _ml_dtype, needs_ml_dtypes

__all__ = ["transformer_tensors", "write_checkpoint", "decoded", "write_safetensors"]

_CODE = {v: k for k, v in SAFETENSORS_DTYPES.items()}


def transformer_tensors(
    style: str, *, layers: int = 2, d: int = 16, ff: int = 32, vocab: int = 48, seed: int = 0, lm_head: bool = True
) -> dict:
    """float32 tensors named like a GPT-2 (``style="gpt2"``: Conv1D (in, out), fused c_attn) or Llama checkpoint
    (``"llama"``: (out, in), q/k/v/o and gate/up/down), with norms, biases and scaled Gaussian entries."""
    rng = np.random.default_rng(seed)

    def mat(*shape):
        return (rng.standard_normal(shape) / np.sqrt(shape[-1])).astype(np.float32)

    out = {}
    if style == "gpt2":
        out["transformer.wte.weight"] = mat(vocab, d)
        out["transformer.wpe.weight"] = mat(2 * d, d)
        for i in range(layers):
            h = f"transformer.h.{i}."
            out[h + "ln_1.weight"] = np.ones(d, np.float32)
            out[h + "ln_1.bias"] = np.zeros(d, np.float32)
            out[h + "attn.c_attn.weight"] = mat(d, 3 * d)
            out[h + "attn.c_attn.bias"] = np.zeros(3 * d, np.float32)
            out[h + "attn.c_proj.weight"] = mat(d, d)
            out[h + "ln_2.weight"] = np.ones(d, np.float32)
            out[h + "mlp.c_fc.weight"] = mat(d, ff)
            out[h + "mlp.c_proj.weight"] = mat(ff, d)
        out["transformer.ln_f.weight"] = np.ones(d, np.float32)
    elif style == "llama":
        out["model.embed_tokens.weight"] = mat(vocab, d)
        for i in range(layers):
            h = f"model.layers.{i}."
            out[h + "input_layernorm.weight"] = np.ones(d, np.float32)
            for proj in "qkvo":
                out[h + f"self_attn.{proj}_proj.weight"] = mat(d, d)
            out[h + "post_attention_layernorm.weight"] = np.ones(d, np.float32)
            out[h + "mlp.gate_proj.weight"] = mat(ff, d)
            out[h + "mlp.up_proj.weight"] = mat(ff, d)
            out[h + "mlp.down_proj.weight"] = mat(d, ff)
        out["model.norm.weight"] = np.ones(d, np.float32)
        if lm_head:
            out["lm_head.weight"] = mat(vocab, d)
    else:
        raise ValueError(f"style={style!r}: must be 'gpt2' or 'llama'")
    return out


def _stored(arr: np.ndarray, dtype: str) -> np.ndarray:
    if needs_ml_dtypes(dtype):
        return np.ascontiguousarray(arr.astype(_ml_dtype(dtype, "synthetic")))
    return np.ascontiguousarray(arr.astype(np.dtype(dtype).newbyteorder("<")))


def decoded(arr: np.ndarray, dtype: str) -> np.ndarray:
    """What a reader must recover from ``arr`` stored as ``dtype``: the stored numbers, as float32 (or float64)."""
    stored = _stored(arr, dtype)
    return stored.astype(np.float64 if dtype == "float64" else np.float32)


def write_safetensors(path, tensors: dict, dtype: str = "bfloat16") -> None:
    """One safetensors file; 2-D and larger tensors in ``dtype``, 1-D ones in float32."""
    header, blobs, offset = {}, [], 0
    for name, arr in tensors.items():
        dt = dtype if np.ndim(arr) >= 2 else "float32"
        data = _stored(np.asarray(arr), dt).tobytes()
        header[name] = {"dtype": _CODE[dt], "shape": list(np.shape(arr)), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    tmp = f"{path}.tmp"
    with open(tmp, "wb") as fh:
        fh.write(len(head).to_bytes(8, "little"))
        fh.write(head)
        for blob in blobs:
            fh.write(blob)
    os.replace(tmp, path)


def write_checkpoint(folder, tensors: dict, *, dtype: str = "bfloat16", shards: int = 2) -> list:
    """Shards ``model-0000i-of-0000k.safetensors`` (tensors dealt round-robin) and the index; returns shard paths."""
    os.makedirs(folder, exist_ok=True)
    names = list(tensors)
    groups = [names[i::shards] for i in range(shards)]
    paths, weight_map = [], {}
    for i, group in enumerate(groups):
        fname = f"model-{i + 1:05d}-of-{shards:05d}.safetensors"
        write_safetensors(os.path.join(folder, fname), {n: tensors[n] for n in group}, dtype)
        weight_map.update({n: fname for n in group})
        paths.append(os.path.join(folder, fname))
    total = sum(os.path.getsize(p) for p in paths)
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as fh:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, fh, indent=1)
    return paths
