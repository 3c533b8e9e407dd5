"""The benchmark's summary: each figure beside its goal, as JSON and a table."""

from __future__ import annotations

import json

import pytest

from benchmarks.summary import Summary


def test_a_figure_is_compared_with_its_goal_in_the_right_direction() -> None:
    summary = Summary(quick=True)
    slow = summary.add("a.ms", "a time", 120.0, "ms", 100)
    fast = summary.add("b.ms", "another", 80.0, "ms", 100)
    rate = summary.add("c.per_s", "a rate", 8.0, "gradings/s", 10, better="higher")
    free = summary.add("d.ms", "a baseline", 5.0, "ms")
    assert (slow.ratio, slow.met) == (1.2, False)
    assert (fast.ratio, fast.met) == (0.8, True)
    assert (rate.ratio, rate.met) == (0.8, False)
    assert (free.ratio, free.met) == (None, None)


def test_a_figure_cannot_be_measured_twice() -> None:
    summary = Summary()
    summary.add("a.ms", "a time", 1.0, "ms")
    with pytest.raises(ValueError, match="twice"):
        summary.add("a.ms", "a time", 2.0, "ms")


def test_the_json_has_one_key_per_figure_with_its_goal_and_the_cores(tmp_path) -> None:
    summary = Summary(quick=True)
    summary.add("end_to_end.p95_ms", "p95", 250.0, "ms", 200)
    summary.skip("(g) PDFs", "no Chromium")
    path = summary.write(tmp_path / "bench" / "summary.json")
    data = json.loads(path.read_text())
    assert data["machine"]["cores"] >= 1 and data["quick"] is True
    assert data["skipped"] == {"(g) PDFs": "no Chromium"}
    assert data["figures"]["end_to_end.p95_ms"] == {
        "label": "p95", "value": 250.0, "unit": "ms", "goal": 200.0,
        "better": "lower", "ratio": 1.25, "met": False,
    }  # fmt: skip


def test_the_table_prints_value_goal_ratio_and_whether_it_is_met() -> None:
    summary = Summary()
    summary.add("a", "warm sandbox, median", 24.24, "ms", 50)
    summary.add("b", "throughput", 56.8, "gradings/s", 20, better="higher")
    summary.add("c", "fresh over warm", 33.8, "×")
    summary.add("d", "one-shot over import torch", 2.06, "×", 1.2)
    rows = summary.table().splitlines()[2:]
    assert rows == [
        "| warm sandbox, median | 24.2 ms | ≤ 50 ms | 0.48 | yes |",
        "| throughput | 56.8 gradings/s | ≥ 20 gradings/s | 2.84 | yes |",
        "| fresh over warm | 33.80× | — | — |  |",
        "| one-shot over import torch | 2.06× | ≤ 1.20× | 1.72 | **no** |",
    ]
