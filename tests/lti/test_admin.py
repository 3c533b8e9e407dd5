"""The LTI rows in the admin: every list opens, a deployment waiting for
approval is approved with the action, tool keys are read-only."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.factories.lti import DeploymentFactory
from tutor.lti.keys import signing_key
from tutor.lti.models import Deployment

pytestmark = pytest.mark.django_db
MODELS = ["registration", "deployment", "lticontext", "ltiuser", "ltiresourcelink",
          "lineitem", "gradepassback", "rostermember", "toolkey"]  # fmt: skip


@pytest.fixture
def admin() -> Client:
    client = Client()
    client.force_login(UserFactory(superuser=True))
    return client


def test_every_lti_list_opens(admin: Client) -> None:
    signing_key()
    DeploymentFactory(is_active=False)
    for model in MODELS:
        assert admin.get(f"/admin/lti/{model}/").status_code == 200, model
    assert admin.get("/admin/lti/registration/add/").status_code == 200
    assert admin.get("/admin/lti/toolkey/add/").status_code == 403


def test_a_waiting_deployment_is_approved_with_the_action(admin: Client) -> None:
    waiting = DeploymentFactory(is_active=False)
    response = admin.post(
        "/admin/lti/deployment/",
        {"action": "approve", "_selected_action": [waiting.pk]},
    )
    assert response.status_code == 302
    assert Deployment.objects.get(pk=waiting.pk).is_active
