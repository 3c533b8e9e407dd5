"""The report's arrays as pictures and readable numbers (template filters)."""

from __future__ import annotations

import re

from django.template import Context, Template

from exercises.coding.report.figures import as_array, heatmap, heatmaps, readable


def cells(svg: str) -> list[str]:
    return re.findall(
        r'<rect x="[\d.]+" y="[\d.]+" width="\d+" height="\d+" fill="(#[0-9a-f]{6})"><title>',
        svg,
    )


def test_it_writes_numbers_readably() -> None:
    assert readable(0.14285714285714285) == "0.142857"
    assert readable(2.0) == "2" and readable(-0.0) == "0" and readable(None) == "—"
    assert readable([[0.123456789, 1.0], [2.5, "nan"]]) == "[[0.1235, 1],\n [2.5, nan]]"
    assert readable({"shape": [30, 30], "first": [0.5, 0.25], "truncated": True}) == (
        "an array of shape 30 × 30 (too large to show; it starts [0.5, 0.25 …])"
    )
    assert readable(["cat", "dog"]) == "['cat', 'dog']"


def test_only_modest_numeric_arrays_of_two_to_four_dimensions_are_drawn() -> None:
    assert as_array([[1, 2], [3, 4]]) is not None
    assert as_array([[[1, 2], [3, 4]]] * 3) is not None  # (C, H, W)
    assert as_array([[[[0.5, 1.0]]] * 3] * 2) is not None  # (N, C, H, W)
    for value in (
        [1, 2, 3, 4],  # 1-D: numbers say it better
        [[1.0]],  # a single cell
        [[1, 2], [3]],  # ragged
        [["a", "b"], ["c", "d"]],
        [[True, False], [False, True]],
        [[0.0] * 21] * 20,  # over 400 cells
        {"shape": [30, 30], "truncated": True},
        0.5,
    ):
        assert as_array(value) is None, value
        assert heatmap(value) == ""


def test_a_heatmap_has_a_cell_per_value_with_its_value_and_a_legend() -> None:
    svg = heatmap([[0.0, 1.0], [2.0, "nan"]], "gram")
    assert svg.startswith('<svg class="heatmap"') and svg.endswith("</svg>")
    colours = cells(svg)
    assert len(colours) == 4
    assert colours[0] == "#440154" and colours[2] == "#fde725"  # low and high ends
    assert colours[3] == "#9e9e9e"  # nan
    assert "<title>[1, 0] = 2</title>" in svg
    assert 'aria-label="gram: a 2 × 2 array' in svg
    assert ">0</text>" in svg and ">2</text>" in svg  # the legend's range


def test_signed_values_get_a_scale_centred_on_zero() -> None:
    svg = heatmap([[-1.0, 0.0], [0.5, 1.0]])
    assert cells(svg)[1] == "#f7f7f7"  # zero is the neutral middle
    assert ">-1</text>" in svg and ">1</text>" in svg


def test_tiles_for_channels_and_filters() -> None:
    svg = heatmap([[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]])
    assert len(cells(svg)) == 12 and "[2]</text>" in svg
    svg = heatmap([[[[1, 2], [3, 4]]] * 3] * 2)
    assert len(cells(svg)) == 24 and "[1, 2]</text>" in svg


def test_expected_and_got_share_one_scale_and_show_their_difference() -> None:
    html = heatmaps([[0.0, 1.0], [2.0, 3.0]], [[0.0, 1.0], [2.0, 6.0]])
    assert html.count("<figure>") == 3 and "Your output − expected" in html
    expected, got, difference = re.findall(r"<svg.*?</svg>", html)
    assert cells(expected)[0] == cells(got)[0]  # 0 is the same colour in both
    assert cells(expected)[3] != cells(got)[3]
    assert cells(difference)[0] == "#f7f7f7"  # no difference
    assert heatmaps([[0.0, 1.0], [2.0, 3.0]], None).count("<figure>") == 1
    assert heatmaps(0.5, 0.25) == ""


def test_the_tag_and_filters_work_in_a_template() -> None:
    template = Template(
        "{% load report_figures %}{% heatmaps want got as pictures %}{{ pictures }}"
        "{{ want|readable }}{% if want|drawable %}yes{% endif %}"
    )
    html = template.render(Context({"want": [[1, 2], [3, 4]], "got": [[1, 2], [3, 5]]}))
    assert html.count("<svg") == 3 and "&lt;svg" not in html and "yes" in html
