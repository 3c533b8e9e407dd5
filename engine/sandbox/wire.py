"""Data-only encoding for everything that crosses the sandbox boundary.

A message is a JSON document plus, when it holds arrays, one safetensors
blob with every NumPy array (raw little-endian bytes under a JSON header,
parsed by the safetensors library, which is built for untrusted files).
Nothing is ever unpickled, so bytes written by a hostile child can at worst
fail to decode. The decoder caps the total size, the nesting depth, the
number of arrays and their dtypes.

Layout: b"TWIRE2" | u32 header length | JSON header | u64 blob length |
safetensors blob. In the JSON, an array is {"__nd__": index} (its name in the
blob); tuples are {"__tuple__": [...]}; non-finite floats are
{"__float__": "nan"|"inf"|"-inf"}.

This module is imported by the sandbox runtime inside the child, so it must
import nothing from the rest of the engine.
"""

from __future__ import annotations

import json
import math
import struct
from typing import Any

import numpy as np
from safetensors import SafetensorError
from safetensors.numpy import load as load_arrays
from safetensors.numpy import save as save_arrays

MAGIC = b"TWIRE2"
DEFAULT_MAX_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 32
MAX_ARRAYS = 10_000
ALLOWED_KINDS = frozenset("biuf")


class WireError(ValueError):
    """Raised for anything that is not a well-formed, data-only message."""


def encode(obj: Any) -> bytes:
    arrays: list[np.ndarray] = []
    header = json.dumps(
        _to_json(obj, arrays, 0), allow_nan=False, separators=(",", ":")
    ).encode()
    parts = [MAGIC, struct.pack("<I", len(header)), header]
    if arrays:
        blob = save_arrays({str(i): array for i, array in enumerate(arrays)})
        parts += [struct.pack("<Q", len(blob)), blob]
    return b"".join(parts)


def decode(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    if len(data) > max_bytes:
        raise WireError(f"message of {len(data)} bytes exceeds the cap of {max_bytes}")
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 4:
        raise WireError("not a wire message")
    offset = len(MAGIC)
    (header_len,) = struct.unpack_from("<I", data, offset)
    offset += 4
    if offset + header_len > len(data):
        raise WireError("truncated header")
    try:
        header = json.loads(data[offset : offset + header_len])
    except (ValueError, RecursionError) as exc:
        raise WireError(f"malformed header: {exc}") from None
    offset += header_len
    arrays = _load_blob(data, offset)
    return _from_json(header, arrays, 0)


def _load_blob(data: bytes, offset: int) -> list[np.ndarray]:
    if offset == len(data):
        return []
    if offset + 8 > len(data):
        raise WireError("truncated array block")
    (blob_len,) = struct.unpack_from("<Q", data, offset)
    offset += 8
    if offset + blob_len != len(data):
        raise WireError("the array block does not end the message")
    try:
        named = load_arrays(data[offset:])
    except (SafetensorError, ValueError) as exc:
        raise WireError(f"malformed arrays: {exc}") from None
    if len(named) > MAX_ARRAYS or set(named) != {str(i) for i in range(len(named))}:
        raise WireError("unexpected array names")
    arrays = [named[str(i)] for i in range(len(named))]
    if any(array.dtype.kind not in ALLOWED_KINDS for array in arrays):
        raise WireError("arrays must hold booleans or numbers")
    return arrays


def _to_json(obj: Any, arrays: list[np.ndarray], depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise WireError("structure nested too deeply")
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, int):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else {"__float__": repr(obj)}
    if isinstance(obj, np.generic):
        return _to_json(obj.item(), arrays, depth + 1)
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind not in ALLOWED_KINDS:
            raise WireError(f"arrays of dtype {obj.dtype} cannot be sent")
        if len(arrays) >= MAX_ARRAYS:
            raise WireError("too many arrays")
        native = obj.astype(obj.dtype.newbyteorder("="), copy=False)
        arrays.append(np.ascontiguousarray(native))
        return {"__nd__": len(arrays) - 1}
    if isinstance(obj, tuple):
        return {"__tuple__": [_to_json(item, arrays, depth + 1) for item in obj]}
    if isinstance(obj, list):
        return [_to_json(item, arrays, depth + 1) for item in obj]
    if isinstance(obj, dict):
        out = {}
        for key, value in obj.items():
            if not isinstance(key, str) or key.startswith("__"):
                raise WireError("dictionary keys must be plain strings")
            out[key] = _to_json(value, arrays, depth + 1)
        return out
    raise WireError(f"values of type {type(obj).__name__} cannot be sent")


def _from_json(obj: Any, arrays: list[np.ndarray], depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise WireError("structure nested too deeply")
    if isinstance(obj, list):
        return [_from_json(item, arrays, depth + 1) for item in obj]
    if not isinstance(obj, dict):
        return obj
    if "__nd__" in obj:
        index = obj["__nd__"]
        if type(index) is not int or not 0 <= index < len(arrays):
            raise WireError("bad array reference")
        return arrays[index]
    if "__tuple__" in obj:
        items = obj["__tuple__"]
        if not isinstance(items, list):
            raise WireError("bad tuple")
        return tuple(_from_json(item, arrays, depth + 1) for item in items)
    if "__float__" in obj:
        text = obj["__float__"]
        if text not in ("nan", "inf", "-inf"):
            raise WireError("bad float")
        return float(text)
    return {key: _from_json(value, arrays, depth + 1) for key, value in obj.items()}
