"""Reading a user's JSON file and checking its shape before any work, with one-line errors.

:func:`read_json` refuses what is not a readable, reasonably sized and reasonably nested JSON document;
:func:`check_fields` checks an object's fields against a small schema of validators (:func:`number`,
:func:`integer`, :func:`string`, :func:`list_of`, :func:`nullable`, :func:`any_of`), so a list where a number
belongs, a ``null`` count or a deeply nested value is refused with the field's name instead of failing later.

>>> check_fields({"n": None}, {"n": integer(minimum=1)}, argument="--data", value="s.json", where="statistics")
Traceback (most recent call last):
...
schattheory.foundation.errors.InputError: --data='s.json': statistics field 'n' must be an integer >= 1, not null
"""

from __future__ import annotations

import json
import math
import os

from schattheory.foundation.errors import InputError

__all__ = [
    "read_json",
    "check_fields",
    "number",
    "integer",
    "string",
    "list_of",
    "nullable",
    "any_of",
    "MAX_JSON_BYTES",
    "MAX_DEPTH",
]

#: the largest JSON file read (statistics and result files are kilobytes; a training set's margins a few MB)
MAX_JSON_BYTES = 64 * 2**20
#: the deepest nesting accepted (the formats read here need 4)
MAX_DEPTH = 20


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {value[:30]!r}"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _depth(obj) -> int:
    deepest, stack = 0, [(obj, 1)]
    while stack:
        item, d = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, d)
            if d > MAX_DEPTH:
                return d
            stack.extend((v, d + 1) for v in (item.values() if isinstance(item, dict) else item))
    return deepest


def read_json(path, argument: str):
    """The parsed content of ``path``; InputError naming ``argument`` for anything unreadable or unreasonable."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise InputError(argument, path, "no such file")
    if os.path.isdir(path):
        raise InputError(argument, path, "is a directory, not a JSON file")
    size = os.path.getsize(path)
    if size > MAX_JSON_BYTES:
        raise InputError(
            argument, path, f"is {size / 2**20:.0f} MiB; JSON inputs above {MAX_JSON_BYTES // 2**20} MiB are refused"
        )
    try:
        with open(path, "rb") as fh:
            text = fh.read().decode("utf-8")
        data = json.loads(text)
    except UnicodeDecodeError:
        raise InputError(argument, path, "is not UTF-8 text (is it a binary file?)") from None
    except json.JSONDecodeError as exc:
        raise InputError(argument, path, f"is not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        raise InputError(argument, path, f"is nested too deeply (more than {MAX_DEPTH} levels)") from None
    except OSError as exc:
        raise InputError(argument, path, f"cannot be read ({exc.strerror})") from None
    if _depth(data) > MAX_DEPTH:
        raise InputError(argument, path, f"is nested too deeply (more than {MAX_DEPTH} levels)")
    return data


# ---- validators: value -> None when acceptable, else what was expected ------------------------------------------
def number(*, minimum=None, maximum=None, positive: bool = False):
    def check(v):
        what = (
            "a finite number"
            + (" > 0" if positive else "")
            + (f" >= {minimum}" if minimum is not None else "")
            + (f" <= {maximum}" if maximum is not None else "")
        )
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            return what
        if (positive and v <= 0) or (minimum is not None and v < minimum) or (maximum is not None and v > maximum):
            return what
        return None

    return check


def integer(*, minimum=None):
    def check(v):
        what = "an integer" + (f" >= {minimum}" if minimum is not None else "")
        ok = (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer())
        if not ok or (minimum is not None and v < minimum):
            return what
        return None

    return check


def string():
    return lambda v: None if isinstance(v, str) else "a string"


def nullable(inner):
    return lambda v: None if v is None else (None if inner(v) is None else inner(v) + " or null")


def any_of(*validators):
    def check(v):
        wanted = [c(v) for c in validators]
        return None if any(w is None for w in wanted) else " or ".join(wanted)

    return check


def list_of(inner, *, length=None, nonempty: bool = False):
    def check(v):
        what = f"a list, each item {inner(object())}"
        if length is not None:
            what += f" of length {length}"
        if not isinstance(v, list) or (nonempty and not v) or (length is not None and len(v) != length):
            return what
        return what if any(inner(x) is not None for x in v) else None

    return check


def check_fields(obj, schema: dict, *, argument: str, value, where: str, required=()) -> None:
    """Check ``obj`` is an object whose fields named in ``schema`` (when present, and always those in
    ``required``) pass their validators."""
    if not isinstance(obj, dict):
        raise InputError(argument, value, f"{where} must be a JSON object, not {_kind(obj)}")
    for name in required:
        if name not in obj:
            raise InputError(argument, value, f"{where} lacks the field {name!r}")
    for name, check in schema.items():
        if name in obj:
            wanted = check(obj[name])
            if wanted is not None:
                raise InputError(argument, value, f"{where} field {name!r} must be {wanted}, not {_kind(obj[name])}")
