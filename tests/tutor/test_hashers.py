"""Passwords are stored with Argon2id at OWASP's setting; older hashes still
sign in and are stored again with it."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.contrib.auth.models import User
from django.test import Client

from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def test_a_new_password_is_argon2id_at_owasps_setting() -> None:
    encoded = make_password("correct horse battery staple")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert identify_hasher(encoded).algorithm == "argon2"
    assert check_password("correct horse battery staple", encoded)
    assert not check_password("correct horse battery stapler", encoded)


def test_an_older_pbkdf2_hash_signs_in_and_is_stored_again_with_argon2id() -> None:
    student = StudentFactory()
    old = make_password("an older password", hasher="pbkdf2_sha256")
    User.objects.filter(pk=student.pk).update(password=old)
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"username": student.username, "password": "an older password"},
    )
    assert response.status_code == 302, response.content[:500]
    stored = User.objects.get(pk=student.pk).password
    assert stored.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("an older password", stored)
