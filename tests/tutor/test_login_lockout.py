"""Sign-in throttling (django-axes): five failures for an account, or from an
address, lock it out for a while with a 429 page that says how long; a
success clears the account's failures; an instructor unlocks in the admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import Client

from tests.factories import PASSWORD
from tests.tutor.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db

HOME = "10.0.0.1"
ELSEWHERE = "10.0.0.2"
WAIT = "Too many failed sign-ins for this account or address. Try again in 15 minutes."


@pytest.fixture(autouse=True)
def _fast_hashing(settings) -> None:
    """Dozens of password checks: a cheap hasher keeps them from taking minutes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(username: str, password: str, *, address: str = HOME, path: str = ""):
    """One sign-in from `address`, with a client of its own (no cookies kept)."""
    url = path or "/accounts/login/"
    data = {"username": username, "password": password, "next": "/review/"}
    return Client(REMOTE_ADDR=address).post(url, data)


def fail(username: str, times: int, *, address: str = HOME) -> None:
    """Fewer failures than the limit: each one is an ordinary wrong password."""
    for _ in range(times):
        assert sign_in(username, "wrong-password", address=address).status_code == 200


def lock(username: str, *, address: str = HOME) -> None:
    fail(username, 4, address=address)
    assert sign_in(username, "wrong-password", address=address).status_code == 429


def text(response) -> str:
    return " ".join(response.content.decode().replace("\xa0", " ").split())


def test_it_refuses_even_the_right_password_after_five_wrong_ones(student) -> None:
    fail(student.username, 4)
    fifth = sign_in(student.username, "wrong-password")
    assert fifth.status_code == 429
    right = sign_in(student.username, PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in right.client.session
    assert WAIT in text(right)
    assert "did not match" not in text(right)
    # Still the sign-in page, in the site's layout, keeping where to go next.
    assert 'role="alert"' in right.content.decode()
    assert 'name="password"' in right.content.decode()
    assert 'value="/review/"' in right.content.decode()


def test_it_locks_the_account_from_every_address(student) -> None:
    lock(student.username)
    assert sign_in(student.username, PASSWORD, address=ELSEWHERE).status_code == 429


def test_it_locks_the_address_for_every_account(student, other_student) -> None:
    lock(student.username)
    assert sign_in(other_student.username, PASSWORD).status_code == 429
    # Another account from another address is unaffected.
    elsewhere = sign_in(other_student.username, PASSWORD, address=ELSEWHERE)
    assert elsewhere.status_code == 302 and elsewhere["Location"] == "/review/"


def test_failures_spread_over_accounts_and_addresses_lock_nothing(
    student, other_student
) -> None:
    fail(student.username, 4)
    fail(other_student.username, 4, address=ELSEWHERE)
    assert sign_in(student.username, PASSWORD, address=ELSEWHERE).status_code == 302
    assert sign_in(other_student.username, PASSWORD).status_code == 302


def test_signing_in_clears_the_accounts_failures(student) -> None:
    fail(student.username, 4)
    assert sign_in(student.username, PASSWORD).status_code == 302
    fail(student.username, 4)
    assert sign_in(student.username, PASSWORD).status_code == 302


def test_signing_in_to_ones_own_account_clears_no_one_elses_failures(
    student, other_student
) -> None:
    fail(student.username, 4)
    assert sign_in(other_student.username, PASSWORD).status_code == 302
    assert sign_in(student.username, "wrong", address=ELSEWHERE).status_code == 429


def test_the_admin_sign_in_is_throttled_too(instructor) -> None:
    for _ in range(4):
        response = sign_in(instructor.username, "wrong", path="/admin/login/")
        assert response.status_code == 200
    locked = sign_in(instructor.username, "wrong", path="/admin/login/")
    assert locked.status_code == 429 and WAIT in text(locked)


def test_an_instructor_unlocks_an_account_in_the_admin(student, instructor) -> None:
    lock(student.username)
    admin = Client()
    admin.force_login(instructor)
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and student.username in listing.content.decode()
    attempts = list(AccessAttempt.objects.values_list("pk", flat=True))
    detail = admin.get(f"/admin/axes/accessattempt/{attempts[0]}/change/")
    assert detail.status_code == 200
    assert "wrong-password" not in detail.content.decode()  # typed passwords masked
    unlock = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )
    assert unlock.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert sign_in(student.username, PASSWORD).status_code == 302


def test_hostile_usernames_are_an_ordinary_failure(student) -> None:
    for username in ["x" * 10_000, "alice\x00", "", "🙂" * 200]:
        response = sign_in(username, "wrong-password")
        assert response.status_code == 200, username[:20]
    assert sign_in(student.username, PASSWORD).status_code == 302


def test_a_student_sees_no_lockouts(student_client: Client) -> None:
    response = student_client.get("/admin/axes/accessattempt/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_signing_up_still_signs_the_new_student_in(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "username": "erin",
            "email": "erin@example.com",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert response.status_code == 302
    erin = User.objects.get(username="erin")
    assert client.session["_auth_user_id"] == str(erin.pk)


def test_the_limit_and_the_wait_come_from_the_environment() -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(), "
        "s.AXES_LOCKOUT_PARAMETERS)"
    )
    result = manage(
        "shell",
        "-v0",
        "-c",
        code,
        LOGIN_FAILURE_LIMIT="3",
        LOGIN_LOCKOUT_MINUTES="60",
        LOGIN_LOCKOUT_BY_ADDRESS="False",
        **PRODUCTION,
    )
    assert result.stdout.split() == ["3", "3600.0", "['username']"], result.stderr
    refused = manage("check", LOGIN_FAILURE_LIMIT="0", **PRODUCTION)
    assert refused.returncode != 0 and "LOGIN_FAILURE_LIMIT" in refused.stderr


def test_the_wait_follows_the_configured_lockout(student, settings) -> None:
    settings.AXES_COOLOFF_TIME = timedelta(hours=1)
    fail(student.username, 4)
    locked = sign_in(student.username, "wrong")
    assert locked.status_code == 429 and "Try again in 1 hour." in text(locked)
