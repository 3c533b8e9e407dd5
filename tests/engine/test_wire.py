import pickle
import struct

import numpy as np
import pytest

from engine.sandbox import wire


def test_it_round_trips_nested_data() -> None:
    value = {
        "a": [1, 2.5, None, True, "text"],
        "b": (np.arange(6, dtype=np.float32).reshape(2, 3), np.array(3)),
        "c": {"nested": [float("nan"), float("inf"), -float("inf")]},
    }
    back = wire.decode(wire.encode(value))
    assert back["a"] == [1, 2.5, None, True, "text"]
    assert isinstance(back["b"], tuple)
    np.testing.assert_array_equal(back["b"][0], value["b"][0])
    assert back["b"][0].dtype == np.float32
    assert np.isnan(back["c"]["nested"][0]) and back["c"]["nested"][1] == float("inf")


def test_it_refuses_object_arrays_on_both_sides() -> None:
    with pytest.raises(wire.WireError):
        wire.encode(np.array([object()], dtype=object))
    # A forged message carrying a pickled object array must not be unpickled.
    forged = bytearray(wire.encode({"x": np.zeros(1)}))
    header_len = struct.unpack_from("<I", forged, len(wire.MAGIC))[0]
    start = len(wire.MAGIC) + 4 + header_len + 8
    evil = pickle.dumps(np.array([{"a": 1}], dtype=object))
    bad = bytes(forged[: start - 8]) + struct.pack("<Q", len(evil)) + evil
    with pytest.raises(wire.WireError):
        wire.decode(bad)


def test_it_refuses_oversized_and_malformed_messages() -> None:
    blob = wire.encode(np.zeros(1000))
    with pytest.raises(wire.WireError, match="exceeds"):
        wire.decode(blob, max_bytes=100)
    with pytest.raises(wire.WireError):
        wire.decode(b"not a message")
    with pytest.raises(wire.WireError):
        wire.decode(blob[:-10])


def test_it_refuses_values_that_are_not_data() -> None:
    class Sneaky:
        def __eq__(self, other: object) -> bool:
            return True

    with pytest.raises(wire.WireError):
        wire.encode({"x": Sneaky()})
    with pytest.raises(wire.WireError):
        wire.encode({"__nd__": 1})
