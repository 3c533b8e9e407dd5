"""IoU of two corner boxes: the overlap's corners, its clamped area, the union."""

from engine.ladder.build import BlankSpec, DistractorSpec, Solution

SOLUTION = Solution(
    spec_id="iou",
    entry_point="iou",
    source="""
def iou(box_a, box_b):
    # § Corners of the intersection
    x1 = max(box_a[0], box_b[0])  # why: the overlap begins where both boxes have begun: the larger of the two x1
    y1 = max(box_a[1], box_b[1])  # why: the same along y: the larger of the two y1
    x2 = min(box_a[2], box_b[2])  # why: it ends where the first of the boxes ends: the smaller of the two x2
    y2 = min(box_a[3], box_b[3])  # why: the same along y: the smaller of the two y2
    # § Area of the intersection
    inter = max(0.0, x2 - x1) * max(0.0, y2 - y1)  # why: a side is negative when the boxes are apart, so each side is clamped at 0 before multiplying
    # § Area of the union
    area_a = (box_a[2] - box_a[0]) * (box_a[3] - box_a[1])  # why: width times height; coordinates are continuous, so no +1
    area_b = (box_b[2] - box_b[0]) * (box_b[3] - box_b[1])  # why: the same for the second box
    union = area_a + area_b - inter  # why: adding both areas counts the overlap twice, so it is taken off once
    # § The ratio
    return inter / union  # why: the union is positive because both boxes have positive area
""",
    blanks=(
        BlankSpec(
            "max(0.0, x2 - x1) * max(0.0, y2 - y1)",
            "area of the overlap, right also for boxes that do not overlap at all",
            ("iou-no-clamp",),
        ),
        BlankSpec(
            "area_a + area_b - inter",
            "the area covered by either box, the overlap counted once",
            ("iou-over-smaller-area",),
        ),
        BlankSpec(
            "(box_a[2] - box_a[0]) * (box_a[3] - box_a[1])",
            "area of box A from its corners, in continuous coordinates",
            ("iou-plus-one",),
        ),
    ),
    distractors=(
        DistractorSpec(
            "inter = max(0.0, x2 - x1) * max(0.0, y2 - y1)",
            "inter = (x2 - x1) * (y2 - y1)",
            "iou-no-clamp",
        ),
        DistractorSpec(
            "union = area_a + area_b - inter",
            "union = min(area_a, area_b)",
            "iou-over-smaller-area",
        ),
    ),
)
