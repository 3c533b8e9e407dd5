"""Moodle XML export: types, grades, tolerances, categories, variants."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from exercises.exports.moodle import moodle_export
from exercises.exports.moodle_text import moodle_html
from exercises.models import Question
from exercises.variants import variant_for

pytestmark = pytest.mark.django_db


def questions_of(xml: bytes) -> list[ET.Element]:
    root = ET.fromstring(xml)
    assert root.tag == "quiz"
    return [q for q in root.findall("question") if q.get("type") != "category"]


def by_idnumber(xml: bytes) -> dict[str, ET.Element]:
    return {q.findtext("idnumber"): q for q in questions_of(xml)}


def fractions(question: ET.Element) -> list[float]:
    return [float(a.get("fraction")) for a in question.findall("answer")]


def test_the_whole_bank_exports(course) -> None:
    published = Question.objects.filter(is_published=True)
    export = moodle_export(published, variants=2)
    found = questions_of(export.xml)
    kinds = dict(published.values_list("slug", "kind"))
    generated = {q.slug for q in published if q.spec.get("generator")}
    skipped = {slug for slug, _ in export.skipped}
    expected = sum(
        2 if slug in generated else 1 for slug in kinds if slug not in skipped
    )
    assert len(found) == expected == export.count
    types = {q.get("type") for q in found}
    assert types == {"multichoice", "numerical", "shortanswer", "matching", "cloze"}
    # What is left out is left out for a stated reason, never by accident.
    assert len(skipped) < len(kinds) / 20
    assert all("label" in reason for _, reason in export.skipped), export.skipped
    categories = ET.fromstring(export.xml).findall("question[@type='category']")
    assert len(categories) == published.values("topic").distinct().count()
    assert "2 fixed variants each (seeds 0, 1)" in export.summary()
    assert all(f"skipped {slug}:" in export.xml.decode() for slug in skipped)


def test_single_choice_gives_100_to_the_right_option_only(course) -> None:
    question = Question.objects.get(slug="design-pyramid-shape")
    element = by_idnumber(moodle_export([question]).xml)["design-pyramid-shape"]
    assert element.get("type") == "multichoice"
    assert element.findtext("single") == "true"
    assert fractions(element) == [100, 0, 0, 0]
    feedback = [a.findtext("feedback/text") for a in element.findall("answer")]
    assert "Pooling and strides" in feedback[0]


def test_multiple_choice_right_options_share_100_wrong_ones_are_negative(
    course,
) -> None:
    question = Question.objects.get(slug="design-four-principles")
    options = question.spec["options"]
    right = sum(bool(o.get("correct")) for o in options)
    element = by_idnumber(moodle_export([question]).xml)["design-four-principles"]
    assert element.findtext("single") == "false"
    grades = fractions(element)
    assert len(grades) == len(options)
    positive = [g for g, o in zip(grades, options, strict=True) if o.get("correct")]
    negative = [g for g, o in zip(grades, options, strict=True) if not o.get("correct")]
    assert len(positive) == right
    assert sum(positive) == pytest.approx(100, abs=1e-4)
    assert all(g < 0 for g in negative)
    assert sum(negative) >= -100 - 1e-4


def test_three_right_options_use_moodles_third(course) -> None:
    question = Question.objects.get(slug="design-four-principles")
    question.spec["options"] = [
        {"text": "a", "correct": True},
        {"text": "b", "correct": True},
        {"text": "c", "correct": True},
        {"text": "d"},
    ]
    element = questions_of(moodle_export([question]).xml)[0]
    assert [a.get("fraction") for a in element.findall("answer")] == [
        "33.33333", "33.33333", "33.33333", "-100",
    ]  # fmt: skip


def test_numerical_tolerance_is_what_the_checker_accepts(course) -> None:
    static = Question.objects.get(slug="bce-half")  # tolerance {abs: 0.001}
    element = by_idnumber(moodle_export([static]).xml)["bce-half"]
    assert element.get("type") == "numerical"
    answer = element.find("answer")
    assert answer.get("fraction") == "100"
    assert float(answer.findtext("text")) == pytest.approx(math.log(2))
    # rel defaults to 0.001 too: 0.001 · ln 2 < 0.001, so abs decides.
    assert float(answer.findtext("tolerance")) == 0.001

    static.spec["tolerance"] = {"abs": 0.0001, "rel": 0.01}
    element = questions_of(moodle_export([static]).xml)[0]
    tolerance = float(element.find("answer").findtext("tolerance"))
    assert tolerance == pytest.approx(0.01 * math.log(2))


def test_parameterised_questions_become_fixed_variants(course) -> None:
    question = Question.objects.get(slug="design-receptive-field-stack")
    export = moodle_export([question], variants=3)
    found = by_idnumber(export.xml)
    assert list(found) == [f"design-receptive-field-stack-seed-{s}" for s in range(3)]
    for seed in range(3):
        element = found[f"design-receptive-field-stack-seed-{seed}"]
        expected = variant_for(question.spec, seed).answer
        assert float(element.find("answer").findtext("text")) == expected
        assert element.findtext("name/text").endswith(f"· seed {seed}")
    assert moodle_export([question], variants=0).skipped == [
        (
            "design-receptive-field-stack",
            "parameterised, and no variants were asked for",
        )
    ]


def test_shortanswer_for_symbolic_and_label_sets(course) -> None:
    symbolic = Question.objects.get(slug="design-two-3x3-symbolic")
    labels = Question.objects.get(slug="w2v-apricot-contexts")  # a set of 4
    found = by_idnumber(moodle_export([symbolic, labels]).xml)
    expressions = [a.findtext("text") for a in found[symbolic.slug].findall("answer")]
    # An asterisk escaped: a bare one is Moodle's wildcard.
    assert expressions == [r"18\*C^2 + 2\*C", r"18\*C^2+2\*C"]
    sets = [a.findtext("text") for a in found[labels.slug].findall("answer")]
    assert len(sets) == 24 * 2 and "jam, a, tablespoon, of" in sets
    assert set(fractions(found[labels.slug])) == {100}


def test_maths_keeps_mathjax_delimiters() -> None:
    html = moodle_html("Each layer has $9C^2 < x$ weights:\n\n$$k^2 C$$")
    assert r"\(9C^2 &lt; x\)" in html
    assert r"\[k^2 C\]" in html
    assert "<math" not in html


def test_the_command_writes_a_topic(course, tmp_path: Path, capsys) -> None:
    out = tmp_path / "yolo.xml"
    call_command("export_moodle", "--topic", "6.10", "--out", str(out))
    found = questions_of(out.read_bytes())
    slugs = set(
        Question.objects.filter(topic__code="6.10").values_list("slug", flat=True)
    )
    assert found and all(
        q.findtext("idnumber").split("-seed-")[0] in slugs for q in found
    )
    category = ET.fromstring(out.read_bytes()).find("question[@type='category']")
    assert category.findtext("category/text").startswith("$course$/top/Lecture 6: ")
    assert "/6.10 YOLO: cells, IoU" in category.findtext("category/text")
    printed = capsys.readouterr().out
    assert f"Exported {len(found)} Moodle questions" in printed
    assert "3 fixed variants" in printed


def test_the_admin_action_downloads_the_selection(instructor, course) -> None:
    client = Client()
    client.force_login(instructor)
    ids = Question.objects.filter(topic__code="6.2").values_list("pk", flat=True)
    response = client.post(
        "/admin/exercises/question/",
        {"action": "export_moodle", "_selected_action": [str(pk) for pk in ids]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert "attachment" in response["Content-Disposition"]
    assert questions_of(response.content)


def test_items_to_order_become_matching_positions(course) -> None:
    question = Question.objects.get(slug="dd-regimes-order")
    element = by_idnumber(moodle_export([question]).xml)["dd-regimes-order"]
    assert element.get("type") == "matching"
    subs = element.findall("subquestion")
    assert [s.findtext("text") for s in subs] == [
        f"Position {n}" for n in range(1, len(question.spec["items"]) + 1)
    ]
    assert subs[0].findtext("answer/text").startswith("Small model: underfits")


def test_multistep_parts_become_cloze_gaps(course) -> None:
    question = Question.objects.get(slug="design-factorise-by-hand")
    element = by_idnumber(moodle_export([question], variants=1).xml)[
        "design-factorise-by-hand-seed-0"
    ]
    assert element.get("type") == "cloze"
    text = element.findtext("questiontext/text")
    answer = variant_for(question.spec, 0).answer
    for name in ("big", "stack", "saved"):
        # Each part's tolerance is abs 0.5, rel 0: 0.5 wherever the answer is.
        assert f"{{1:NUMERICAL:={float(answer[name])!r}:0.5}}" in text
    assert text.index("{1:NUMERICAL") > text.index("Count weights and biases")


def test_matrix_entries_become_numerical_gaps(course) -> None:
    question = Question.objects.get(slug="design-pyramid-stages")
    element = by_idnumber(moodle_export([question], variants=1).xml)[
        "design-pyramid-stages-seed-0"
    ]
    text = element.findtext("questiontext/text")
    expected = variant_for(question.spec, 0).answer
    assert text.count("{1:NUMERICAL:=") == len(expected)
    # abs 0.01, rel 0: numpy.isclose's abs + rel·|x| is 0.01 for every entry.
    assert f"={float(expected[0])!r}:0.01}}" in text


def test_a_cloze_shortanswer_escapes_its_special_characters() -> None:
    from exercises.exports.moodle_text import cloze_shortanswer

    assert cloze_shortanswer(["a*b/c", "x}y"]) == r"{1:SHORTANSWER:=a\\*b\/c~=x\}y}"
