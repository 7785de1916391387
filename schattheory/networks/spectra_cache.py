r"""On-disk cache of per-layer spectra, so that an interrupted run resumes without recomputing finished layers.

An entry is keyed by the file (its real path), the tensor name, a hash of the tensor's decoded contents (BLAKE2b),
the part of a fused tensor, and everything that changes the numbers (method, compute dtype, orientation, device,
the cache format). Each entry is one small ``.npz`` written to a temporary name and renamed into place, so a run
killed at any instant leaves finished entries whole and unfinished ones absent: never a half-written entry.

>>> import numpy as np, tempfile
>>> cache = SpectraCache(tempfile.mkdtemp())
>>> key = cache.key("/m.safetensors", "fc.weight", "abc", "fc.weight", ("svd", "float32"))
>>> cache.get(key) is None
True
>>> cache.put(key, {"sigma": np.array([2.0, 1.0]), "norm21": 3.0})
>>> cache.get(key)["sigma"].tolist()
[2.0, 1.0]
"""

from __future__ import annotations

import hashlib
import os
import tempfile

import numpy as np

from schattheory.foundation.errors import InputError
from schattheory.foundation.output import fix_permissions

__all__ = ["SpectraCache", "content_hash"]

FORMAT = 1


def content_hash(arr: np.ndarray) -> str:
    """BLAKE2b of the array's dtype, shape and bytes (C order)."""
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{arr.dtype.str}{arr.shape}".encode())
    h.update(memoryview(np.ascontiguousarray(arr)).cast("B"))
    return h.hexdigest()


class SpectraCache:
    """A folder of cached spectra (created if needed)."""

    def __init__(self, directory):
        self.directory = os.fspath(directory)
        try:
            os.makedirs(self.directory, exist_ok=True)
        except OSError as exc:
            raise InputError("cache", self.directory, f"cannot be created ({exc.strerror})") from None
        if not os.access(self.directory, os.W_OK):
            raise InputError("cache", self.directory, "is not writable")

    @staticmethod
    def key(file, tensor: str, digest: str, part: str, settings: tuple) -> str:
        text = "\0".join(
            [str(FORMAT), os.path.realpath(file) if file else "<memory>", tensor, digest, part, *map(str, settings)]
        )
        return hashlib.sha256(text.encode()).hexdigest()

    def _path(self, key: str) -> str:
        return os.path.join(self.directory, key + ".npz")

    def get(self, key: str):
        path = self._path(key)
        try:
            with np.load(path, allow_pickle=False) as z:
                return {k: z[k] for k in z.files}
        except (OSError, ValueError, EOFError):  # absent, or damaged by something other than us: recompute
            return None

    def put(self, key: str, entry: dict) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".part-", suffix=".npz")
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, **entry)
            fix_permissions(tmp)  # mkstemp makes 0600; the entries follow the umask like any written file
            os.replace(tmp, self._path(key))
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def entries(self) -> list:
        return sorted(f[:-4] for f in os.listdir(self.directory) if f.endswith(".npz") and not f.startswith("."))
