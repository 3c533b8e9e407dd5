"""Questions as Moodle XML (the quiz question bank's import format).

Each topic becomes a category (`$course$/top/<lecture>/<topic>`). Kinds map
to Moodle's core question types:

| kind | Moodle type |
| --- | --- |
| single, multiple | multichoice with per-option feedback; single: 100 for the right option; multiple: the right options share 100, the wrong ones share −100 |
| numeric | numerical: one answer, its absolute tolerance what the tutor accepts at that answer |
| symbolic | shortanswer: the stated expression, with or without spaces (Moodle compares text, not equivalence) |
| ordering: a sequence or set of labels | shortanswer: the labels separated by commas (every order of a set of up to four) |
| ordering: items to put in order | matching: position 1, 2, … each matched to its item (Moodle gives credit per position) |
| matrix, multistep | cloze (embedded answers): a numerical gap per entry, a gap per part; each gap is marked on its own, so an early slip is not carried forward |

What still cannot be expressed (a set of more than four labels, a part of a
kind Cloze has no gap for) is skipped, with an XML comment where it would be.
A parameterised question (one with a generator) becomes N fixed questions,
one per seed 0 … N−1, named "title · seed k"; with N = 0 it is skipped.
Text keeps its maths as LaTeX between MathJax delimiters, which Moodle's
MathJax filter typesets. The XML is built with ElementTree.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import strip_tags

from exercises.exports.moodle_text import (
    Unsupported,
    cloze_matrix,
    cloze_part,
    expression_forms,
    label_forms,
    literal,
    moodle_html,
    numeric_tolerance,
)
from exercises.models import Question, Topic
from exercises.presentation import fill
from exercises.variants import Variant, variant_for

DEFAULT_VARIANTS = 3
# The grades Moodle accepts for an answer, in percent (question_bank's list).
GRADES = (
    100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20,
    16.66667, 14.28571, 12.5, 11.11111, 10, 5,
)  # fmt: skip


@dataclass
class MoodleExport:
    xml: bytes
    variants: int
    exported: Counter[str] = field(default_factory=Counter)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(self.exported.values())

    def summary(self) -> str:
        types = ", ".join(f"{n} {kind}" for kind, n in sorted(self.exported.items()))
        lines = [f"Exported {self.count} Moodle questions ({types or 'none'})."]
        lines.append(variant_policy(self.variants))
        if self.skipped:
            lines.append(f"Skipped {len(self.skipped)}:")
            lines += [f"  {slug}: {reason}" for slug, reason in self.skipped]
        return "\n".join(lines)


def variant_policy(variants: int) -> str:
    if variants == 0:
        return "Parameterised questions are skipped (0 variants asked for)."
    seeds = ", ".join(str(seed) for seed in range(variants))
    return (
        f"Parameterised questions are exported as {variants} fixed variants "
        f"each (seeds {seeds}), one Moodle question a variant."
    )


def moodle_export(
    questions: Iterable[Question], *, variants: int = DEFAULT_VARIANTS
) -> MoodleExport:
    """Moodle XML for `questions`, grouped by topic in course order."""
    quiz = ET.Element("quiz")
    export = MoodleExport(xml=b"", variants=variants)
    quiz.append(ET.Comment(f" {variant_policy(variants)} "))
    ordered = sorted(
        questions,
        key=lambda q: (q.topic.lecture.number, q.topic.order, q.order, q.slug),
    )
    for topic, group in itertools.groupby(ordered, key=lambda q: q.topic):
        quiz.append(_category(topic))
        for question in group:
            _add_question(quiz, question, export)
    ET.indent(quiz)
    export.xml = ET.tostring(quiz, encoding="utf-8", xml_declaration=True)
    return export


def _add_question(quiz: ET.Element, question: Question, export: MoodleExport) -> None:
    parameterised = bool(question.spec.get("generator"))
    seeds = range(export.variants if parameterised else 1)
    try:
        if not seeds:
            raise Unsupported("parameterised, and no variants were asked for")
        elements = [question_element(question, seed, parameterised) for seed in seeds]
    except Unsupported as reason:
        export.skipped.append((question.slug, str(reason)))
        quiz.append(ET.Comment(f" skipped {question.slug}: {reason} "))
        return
    for element in elements:
        quiz.append(element)
        export.exported[element.get("type", "")] += 1


def _category(topic: Topic) -> ET.Element:
    names = (
        "$course$",
        "top",
        f"Lecture {topic.lecture.number}: {topic.lecture.title}",
        f"{topic.code} {topic.title}",
    )
    element = ET.Element("question", type="category")
    # A slash inside a name is written twice (Moodle's escape).
    _text(
        ET.SubElement(element, "category"),
        "/".join(n.replace("/", "//") for n in names),
    )
    return element


def question_element(question: Question, seed: int, parameterised: bool) -> ET.Element:
    """One Moodle question for one variant; Unsupported if it cannot be one."""
    variant = variant_for(question.spec, seed)
    kind, spec = question.kind, question.spec
    moodle_type = _moodle_type(kind, spec)
    element = _base(moodle_type, question, variant, seed, parameterised)
    if moodle_type == "multichoice":
        _choices(element, spec, variant.values, multiple=(kind == "multiple"))
    elif moodle_type == "numerical":
        _numerical(element, spec, variant.answer)
    elif moodle_type == "matching":
        _matching(element, spec, variant.values)
    elif moodle_type == "cloze":
        _cloze(element, question, variant)
    elif kind == "symbolic":
        _short_answers(element, expression_forms(str(variant.answer)))
    else:
        _short_answers(element, label_forms(list(variant.answer), spec["mode"]))
    return element


def _moodle_type(kind: str, spec: dict[str, Any]) -> str:
    if kind in ("single", "multiple"):
        return "multichoice"
    if kind == "numeric":
        return "numerical"
    if kind == "ordering" and spec.get("mode", "order") == "order":
        return "matching"
    if kind in ("matrix", "multistep"):
        return "cloze"
    return "shortanswer"


# ---------------------------------------------------------------- elements


def _base(
    moodle_type: str,
    question: Question,
    variant: Variant,
    seed: int,
    parameterised: bool,
) -> ET.Element:
    element = ET.Element("question", type=moodle_type)
    name = question.label + (f" · seed {seed}" if parameterised else "")
    _text(ET.SubElement(element, "name"), name)
    _html(element, "questiontext", moodle_html(fill(question.prompt, variant.values)))
    explanation = fill(question.explanation, variant.values)
    _html(element, "generalfeedback", moodle_html(explanation))
    ET.SubElement(element, "defaultgrade").text = "1"
    ET.SubElement(element, "penalty").text = "0.3333333"
    ET.SubElement(element, "hidden").text = "0"
    suffix = f"-seed-{seed}" if parameterised else ""
    ET.SubElement(element, "idnumber").text = f"{question.slug}{suffix}"[:100]
    for hint in question.hints:
        _html(element, "hint", moodle_html(fill(hint, variant.values), inline=True))
    if question.tags:
        tags = ET.SubElement(element, "tags")
        for tag in question.tags:
            _text(ET.SubElement(tags, "tag"), str(tag))
    return element


def _choices(
    element: ET.Element,
    spec: dict[str, Any],
    values: dict[str, Any],
    *,
    multiple: bool,
) -> None:
    options = spec["options"]
    right = sum(bool(option.get("correct")) for option in options)
    wrong = len(options) - right
    ET.SubElement(element, "single").text = "false" if multiple else "true"
    shuffle = "true" if spec.get("shuffle", True) else "false"
    ET.SubElement(element, "shuffleanswers").text = shuffle
    ET.SubElement(element, "answernumbering").text = "abc"
    for option in options:
        if option.get("correct"):
            grade = _share(right) if multiple else 100.0
        else:
            grade = -_share(wrong, exact=False) if multiple else 0.0
        text = moodle_html(fill(option["text"], values), inline=True)
        answer = _answer(element, grade, text, text_format="html")
        feedback = fill(str(option.get("explanation", "")), values)
        _html(answer, "feedback", moodle_html(feedback, inline=True))


def _share(count: int, *, exact: bool = True) -> float:
    """100 split `count` ways, as one of Moodle's grades: exactly for the
    right options (they must add up to 100), rounded down for the wrong ones."""
    share = 100 / count
    for grade in GRADES:
        if abs(grade - share) < 1e-4 or (not exact and grade < share):
            return float(grade)
    if not exact:
        return float(GRADES[-1])
    raise Unsupported(f"{count} right options: Moodle has no grade of 100/{count} %")


def _numerical(element: ET.Element, spec: dict[str, Any], expected: Any) -> None:
    value = float(expected)
    answer = _answer(element, 100.0, repr(value))
    ET.SubElement(answer, "tolerance").text = repr(numeric_tolerance(spec, value))
    _html(answer, "feedback", "")


def _short_answers(element: ET.Element, forms: list[str]) -> None:
    ET.SubElement(element, "usecase").text = "0"
    for form in dict.fromkeys(forms):  # distinct, in order
        answer = _answer(element, 100.0, literal(form))
        _html(answer, "feedback", "")


def _matching(
    element: ET.Element, spec: dict[str, Any], values: dict[str, Any]
) -> None:
    """Position k matched to the k-th item (the items are stored in order)."""
    ET.SubElement(element, "shuffleanswers").text = "true"
    for position, item in enumerate(spec["items"], start=1):
        sub = ET.SubElement(element, "subquestion", format="html")
        _text(sub, f"Position {position}")
        # Moodle's choices are plain text: the maths stays as \( … \).
        plain = strip_tags(moodle_html(fill(item, values), inline=True))
        _text(ET.SubElement(sub, "answer"), plain)


def _cloze(element: ET.Element, question: Question, variant: Variant) -> None:
    """The gaps go at the end of the question text, after the prompt."""
    spec, values = question.spec, variant.values
    if question.kind == "matrix":
        gaps = cloze_matrix(spec, variant.answer)
    else:
        gaps = "".join(
            "<p>"
            + moodle_html(fill(part.get("label", part["name"]), values), inline=True)
            + " "
            + cloze_part(part, variant.answer[part["name"]])
            + "</p>"
            for part in spec["parts"]
        )
    text = element.find("questiontext/text")
    assert text is not None
    text.text = (text.text or "") + gaps


def _answer(
    parent: ET.Element,
    grade: float,
    text: str,
    text_format: str = "moodle_auto_format",
) -> ET.Element:
    answer = ET.SubElement(parent, "answer", fraction=format(grade, ".7g"))
    answer.set("format", text_format)
    _text(answer, text)
    return answer


def _text(parent: ET.Element, text: str) -> None:
    ET.SubElement(parent, "text").text = text


def _html(parent: ET.Element, tag: str, text: str) -> None:
    _text(ET.SubElement(parent, tag, format="html"), text)
