"""The detection references against independent computations."""

import math

from hypothesis import given
from hypothesis import strategies as st

from engine.reference import detection


def shapely_free_iou(a: list[float], b: list[float]) -> float:
    """IoU by integrating the indicator on a fine grid: independent of the formula."""
    n = 400
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    x1, y1 = max(a[2], b[2]), max(a[3], b[3])
    inter = union = 0
    for i in range(n):
        x = x0 + (i + 0.5) * (x1 - x0) / n
        for j in range(n):
            y = y0 + (j + 0.5) * (y1 - y0) / n
            in_a = a[0] <= x <= a[2] and a[1] <= y <= a[3]
            in_b = b[0] <= x <= b[2] and b[1] <= y <= b[3]
            inter += in_a and in_b
            union += in_a or in_b
    return inter / union


def test_iou_matches_a_grid_estimate() -> None:
    a, b = [0.0, 0.0, 4.0, 3.0], [1.0, 1.5, 6.0, 5.0]
    assert math.isclose(detection.iou(a, b), shapely_free_iou(a, b), abs_tol=0.01)


def test_iou_worked_numbers() -> None:
    assert detection.iou([0, 0, 10, 10], [5, 0, 15, 10]) == 1 / 3
    assert detection.iou([0, 0, 1, 1], [2, 2, 3, 3]) == 0.0
    assert detection.iou([0, 0, 2, 2], [2, 0, 4, 2]) == 0.0
    assert detection.iou([1, 1, 4, 3], [1, 1, 4, 3]) == 1.0
    assert detection.iou([0, 0, 0, 0], [0, 0, 0, 0]) == 0.0


boxes = st.tuples(
    st.floats(-50, 50), st.floats(-50, 50), st.floats(0.01, 30), st.floats(0.01, 30)
).map(lambda t: [t[0], t[1], t[0] + t[2], t[1] + t[3]])


@given(boxes, boxes)
def test_iou_is_symmetric_and_in_the_unit_interval(
    a: list[float], b: list[float]
) -> None:
    value = detection.iou(a, b)
    assert 0.0 <= value <= 1.0
    assert math.isclose(value, detection.iou(b, a), rel_tol=1e-12, abs_tol=1e-15)


def test_nms_a_suppressed_box_suppresses_nothing() -> None:
    """A chain A–B–C: A removes B (IoU 2/3); C overlaps B (7/13 > 0.5) but A
    only by 1/3, and B is gone, so C stays."""
    boxes = [[0, 0, 10, 10], [2, 0, 12, 10], [5, 0, 15, 10]]
    assert detection.nms(boxes, [0.9, 0.8, 0.7]) == [0, 2]


def test_nms_each_kept_box_suppresses_its_own_duplicates() -> None:
    """Two objects, each with a duplicate: four boxes in, two out, by pc."""
    boxes = [[20, 1, 30, 11], [0, 0, 10, 10], [1, 0, 11, 10], [20, 0, 30, 10]]
    assert detection.nms(boxes, [0.75, 0.9, 0.8, 0.85]) == [1, 3]


def test_nms_thresholds_are_strict_as_the_notes_say() -> None:
    assert detection.nms([[0, 0, 4, 4], [0, 0, 4, 2]], [0.9, 0.8]) == [0, 1]
    assert detection.nms([[0, 0, 1, 1], [3, 3, 4, 4]], [0.6, 0.7]) == [1, 0]
    assert detection.nms([[0, 0, 2, 2], [0.5, 0, 2.5, 2]], [0.8, 0.8]) == [0]


def test_yolo_decode_inverts_encode() -> None:
    for box, grid in (([0.5, 0.3, 0.4, 0.2], 7), ([0.93, 0.07, 0.1, 0.6], 13)):
        row, col, bx, by, bw, bh = detection.yolo_encode(box, grid)
        x1, y1, x2, y2 = detection.yolo_decode(row, col, bx, by, bw, bh, grid)
        cx, cy, w, h = box
        assert math.isclose((x1 + x2) / 2, cx) and math.isclose((y1 + y2) / 2, cy)
        assert math.isclose(x2 - x1, w) and math.isclose(y2 - y1, h)


def _nms_pair_by_pair(
    corners: list[list[float]], scores: list[float]
) -> list[tuple[int, tuple[tuple[int, float], ...]]]:
    """The notes' NMS written plainly: scalar IoU of each remaining pair."""
    order = sorted(
        (i for i, pc in enumerate(scores) if pc >= 0.6), key=lambda i: -scores[i]
    )
    steps = []
    while order:
        best, order = order[0], order[1:]
        gone = tuple(
            (j, detection.iou(corners[best], corners[j]))
            for j in order
            if detection.iou(corners[best], corners[j]) > 0.5
        )
        order = [j for j in order if j not in {j for j, _ in gone}]
        steps.append((best, gone))
    return steps


@given(
    st.lists(
        st.tuples(boxes, st.sampled_from([0.5, 0.6, 0.7, 0.8, 0.9, 0.95])),
        max_size=25,
    )
)
def test_nms_trace_is_the_pair_by_pair_algorithm(pairs: list) -> None:
    """The one-matrix trace keeps, suppresses and reports the IoU exactly as
    the scalar algorithm does, ties and the 0.6 edge included."""
    corners = [box for box, _ in pairs]
    scores = [pc for _, pc in pairs]
    trace = detection.nms_trace(corners, scores)
    assert [(s.kept, s.suppressed) for s in trace.steps] == _nms_pair_by_pair(
        corners, scores
    )
    assert trace.below_threshold == tuple(i for i, pc in enumerate(scores) if pc < 0.6)


def test_the_property_check_names_the_first_overlapping_kept_pair() -> None:
    from engine.specs.detection_nms import _nms_kept_are_distinct

    apart = [[10.0 * i, 0.0, 10.0 * i + 5, 5.0] for i in range(300)]
    scores = [0.9] * 300
    every = list(range(300))
    assert _nms_kept_are_distinct({"boxes": apart, "scores": scores}, every) is None
    # Boxes 7 and 250 made to overlap (IoU 0.8), and 3 with 5 (IoU 1): the
    # first pair in the answer's own order is named.
    apart[250] = [70.0, 0.0, 74.0, 5.0]
    apart[5] = list(apart[3])
    kept = [7, 250, 3, 5]
    said = _nms_kept_are_distinct({"boxes": apart, "scores": scores}, kept)
    assert said == "kept boxes 7 and 250 overlap with IoU 0.800 > 0.5"
    assert _nms_kept_are_distinct({"boxes": apart, "scores": scores}, [3, 5]) == (
        "kept boxes 3 and 5 overlap with IoU 1.000 > 0.5"
    )
    assert "repeats an index" in _nms_kept_are_distinct(
        {"boxes": apart, "scores": scores}, [1, 1]
    )
