"""Deep Linking 2.0: the picker (instructors only), the signed answer with
custom parameters and a line item, `data` echoed, cancelling, tokens that
work once."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import CodingExerciseFactory
from tests.factories.lti import assignment_with_exercise
from tests.lti.deep_linking import CONTENT_ITEMS, DATA, choose, open_picker, read_answer
from tests.lti.platform import DL, Platform
from tutor.lti.models import LtiContext

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(registration, assignment):
    LtiContext.objects.create(
        registration=registration, context_id="course-7", course=assignment.course
    )
    return assignment


def test_the_picker_lists_the_course_s_assignments_and_the_exercises(
    linked, platform: Platform
) -> None:
    picker = open_picker(Client(), platform)
    assert [c.title for c in picker.context["assignments"]] == [linked.title]
    assert "IoU" in [c.title for c in picker.context["exercises"]]
    assert "X-Frame-Options" not in picker
    assert platform.issuer in picker["Content-Security-Policy"]


def test_choosing_an_assignment_answers_with_a_signed_link_and_a_line_item(
    linked, platform: Platform
) -> None:
    client = Client()
    picker = open_picker(client, platform)
    answer = choose(client, picker, f"assignment:{linked.pk}")
    claims = read_answer(answer, platform)
    assert claims[DATA] == "opaque-csrf-of-the-platform"
    assert claims["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] == (
        platform.deployment_id
    )
    [item] = claims[CONTENT_ITEMS]
    assert item["type"] == "ltiResourceLink"
    assert item["custom"] == {"assignment": linked.slug}
    assert item["url"] == "https://testserver/lti/launch/"
    assert item["lineItem"] == {
        "scoreMaximum": 10.0,
        "label": linked.title,
        "resourceId": f"assignment:{linked.slug}",
        "tag": "score",
    }
    assert "form-action" in answer["Content-Security-Policy"]
    assert platform.issuer in answer["Content-Security-Policy"].split("form-action")[1]


def test_choosing_an_exercise(linked, platform: Platform) -> None:
    exercise = CodingExerciseFactory(slug="nms", title="NMS")
    client = Client()
    claims = read_answer(
        choose(client, open_picker(client, platform), f"exercise:{exercise.pk}"),
        platform,
    )
    [item] = claims[CONTENT_ITEMS]
    assert item["custom"] == {"exercise": "nms"}
    assert item["lineItem"]["scoreMaximum"] == 1.0


def test_data_is_left_out_when_the_platform_sent_none_and_no_line_item_if_refused(
    linked, platform: Platform
) -> None:
    settings = {
        "deep_link_return_url": platform.issuer + "/deep_link_return",
        "accept_types": ["ltiResourceLink"],
        "accept_presentation_document_targets": ["iframe"],
        "accept_lineitem": False,
    }
    client = Client()
    picker = open_picker(client, platform, deep_linking=settings)
    claims = read_answer(choose(client, picker, f"assignment:{linked.pk}"), platform)
    assert DATA not in claims
    assert "lineItem" not in claims[CONTENT_ITEMS][0]


def test_cancelling_answers_with_no_item(linked, platform: Platform) -> None:
    client = Client()
    claims = read_answer(choose(client, open_picker(client, platform), None), platform)
    assert claims[CONTENT_ITEMS] == []


def test_a_choice_from_another_course_or_nonsense_is_asked_again(
    linked, platform: Platform
) -> None:
    other = assignment_with_exercise()
    client = Client()
    picker = open_picker(client, platform)
    for choice in (f"assignment:{other.pk}", "assignment:x", "exercise:99999", "sql:1"):
        response = choose(client, picker, choice)
        assert response.status_code == 400
        assert b"Choose an assignment or an exercise" in response.content
    assert choose(client, picker, f"assignment:{linked.pk}").status_code == 200


def test_a_token_works_once(linked, platform: Platform) -> None:
    client = Client()
    picker = open_picker(client, platform)
    assert choose(client, picker, f"assignment:{linked.pk}").status_code == 200
    again = choose(client, picker, f"assignment:{linked.pk}")
    assert again.status_code == 409 and b"expired or was already sent" in again.content


def test_a_return_url_that_is_not_http_is_never_a_form_action(
    linked, platform: Platform
) -> None:
    settings = {
        "deep_link_return_url": "javascript:alert(1)",
        "accept_types": ["ltiResourceLink"],
        "accept_presentation_document_targets": ["iframe"],
    }
    client = Client()
    picker = open_picker(client, platform, deep_linking=settings)
    response = choose(client, picker, f"assignment:{linked.pk}")
    assert response.status_code == 409 and b"javascript" not in response.content


def test_the_first_deep_linking_launch_makes_the_course(
    registration, platform: Platform
) -> None:
    picker = open_picker(Client(), platform)
    assert picker.context["course"].title == "Deep learning"
    assert picker.context["assignments"] == []
    assert DL  # the settings claim the platform sent
