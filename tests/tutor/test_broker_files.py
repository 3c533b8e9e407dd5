"""The embedded broker writes each message under a name no reader looks for
and renames it into place, so a reader never takes a half-written file (with
kombu's own writer it could read an empty one and its worker stopped)."""

from __future__ import annotations

import os
from pathlib import Path
from queue import Empty
from unittest import mock

import pytest
from django.conf import settings
from kombu import Connection
from kombu.exceptions import ChannelError

from tutor.broker_files import Transport


@pytest.fixture
def channel(tmp_path: Path):
    options = {
        "data_folder_in": str(tmp_path),
        "data_folder_out": str(tmp_path),
        "store_processed": False,
    }
    with Connection(
        "filesystem://", transport=Transport, transport_options=options
    ) as connection:
        yield connection.default_channel


def test_a_message_goes_through(channel, tmp_path: Path) -> None:
    channel._put("grading", {"body": "one"})
    assert [name.endswith(".grading.msg") for name in os.listdir(tmp_path)] == [True]
    assert channel._get("grading") == {"body": "one"}


def test_a_reader_never_sees_a_message_being_written(channel, tmp_path: Path) -> None:
    seen: list[list[str]] = []

    def look_then_fail(target: Path) -> None:
        # The moment before the rename: what would a reader find?
        seen.append(sorted(os.listdir(tmp_path)))
        with pytest.raises(Empty):
            channel._get("grading")
        raise OSError("disk full")

    with (
        mock.patch("pathlib.Path.replace", side_effect=look_then_fail),
        pytest.raises(ChannelError, match="Cannot add a message"),
    ):
        channel._put("grading", {"body": "two"})
    assert len(seen) == 1 and len(seen[0]) == 1
    assert seen[0][0].startswith(".writing-")
    assert os.listdir(tmp_path) == []  # the partial file is cleaned up


def test_the_embedded_default_uses_it() -> None:
    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        pytest.skip("this run uses a real broker")
    assert settings.CELERY_BROKER_TRANSPORT == "tutor.broker_files:Transport"
