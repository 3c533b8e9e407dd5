"""The topics' prerequisites, authored in the bank's course.yaml and loaded
by load_course (idempotent); a bad mapping is refused with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from exercises.bank import BankError, course_read
from exercises.bank_prerequisites import prerequisite_circle, prerequisites_read
from exercises.models import Topic

CODES = {"6.7", "6.9", "6.10", "7.7", "7.8", "7.9"}


def test_the_course_chains_its_topics() -> None:
    needs = course_read().prerequisites
    assert needs["7.9"] == ["7.8"] and needs["7.8"] == ["7.7"]
    assert needs["7.3"] == ["7.2"] and needs["7.2"] == ["7.1"]
    assert needs["7.6"] == ["7.5", "7.3"] and needs["7.5"] == ["7.4"]
    assert needs["6.9"] == ["6.7"]
    assert "7.1" not in needs and "7.7" not in needs  # where a chain starts


@pytest.mark.django_db
def test_loading_sets_them_and_loading_again_changes_nothing() -> None:
    call_command("load_course")
    gru = Topic.objects.get(code="7.9")
    assert [t.code for t in gru.prerequisites.all()] == ["7.8"]
    assert {t.code for t in Topic.objects.get(code="7.8").unlocks.all()} == {"7.9"}
    links = Topic.prerequisites.through.objects.count()
    call_command("load_course")
    assert Topic.prerequisites.through.objects.count() == links
    assert links == sum(map(len, course_read().prerequisites.values()))


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (["7.8"], "map each topic code"),
        ({"7.8": "7.7"}, "list of quoted codes"),
        ({7.8: ["7.7"]}, "list of quoted codes"),
        ({"7.8": [7.7]}, "no topic 7.7"),
        ({"7.8": ["9.9"]}, "no topic '9.9'"),
        ({"7.8": ["7.8"]}, "its own prerequisite"),
        ({"7.8": ["7.7"], "7.9": ["7.8"], "7.7": ["7.9"]}, "circle"),
    ],
)
def test_a_bad_mapping_says_what_is_wrong(given: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        prerequisites_read(given, CODES)


def test_a_good_mapping_is_read_without_repeats() -> None:
    assert prerequisites_read(None, CODES) == {}
    assert prerequisites_read({"7.9": ["7.8", "7.7", "7.8"]}, CODES) == {
        "7.9": ["7.8", "7.7"]
    }


def test_the_circle_is_named() -> None:
    assert prerequisite_circle({"a": ["b"], "b": ["c"], "c": ["a"]}) == [
        "a",
        "b",
        "c",
        "a",
    ]
    assert prerequisite_circle({"a": ["b"], "c": ["b"]}) == []


def test_the_bank_file_is_named_in_the_error(tmp_path: Path) -> None:
    (tmp_path / "lecture-7").mkdir()
    (tmp_path / "course.yaml").write_text(
        yaml.safe_dump(
            {
                "lectures": [{"number": 7, "slug": "lecture-7", "title": "L7"}],
                "prerequisites": {"7.8": ["7.7"]},
            }
        )
    )
    (tmp_path / "lecture-7" / "lstm.yaml").write_text(
        yaml.safe_dump({"code": "7.8", "slug": "lstm", "title": "LSTM", "order": 8})
    )
    with pytest.raises(BankError, match=r"course\.yaml: `prerequisites`: no topic"):
        course_read(tmp_path)
