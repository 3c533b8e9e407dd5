"""The tool's signing keys: list, add, activate, retire.

Rotation without downtime: `add` publishes a new key as `next`; after a day
(platforms cache our key set) `activate KID` makes it sign, and the old one
stays published as `previous`; once what it signed has expired (minutes),
`retire KID` stops publishing it."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tutor.lti import keys
from tutor.lti.models import ToolKey

# A kid is a base64url thumbprint (RFC 7638): one in 64 begins with "-",
# which argparse would read as an option.
KID_HELP = (
    'the key\'s id as `list` shows it; one that begins with "-" goes after "--" '
    "(lti_key retire -- -AbC…)"
)


class Command(BaseCommand):
    help = "List, add, activate or retire the LTI tool's signing keys."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="the keys and their states")
        add = actions.add_parser("add", help="a new key, published as next")
        add.add_argument(
            "--activate",
            action="store_true",
            help="sign with it at once (a first key, or a leaked one)",
        )
        activate = actions.add_parser("activate", help="sign with a published key")
        activate.add_argument("kid", help=KID_HELP)
        activate.add_argument(
            "--force",
            action="store_true",
            help="even if it was published less than 24 hours ago",
        )
        retire = actions.add_parser("retire", help="stop publishing a key")
        retire.add_argument("kid", help=KID_HELP)

    def handle(self, *args: Any, **options: Any) -> str:
        action = options["action"]
        try:
            if action == "add":
                key = keys.key_add()
                if options["activate"]:
                    key = keys.key_activate(kid=key.kid, force=True)
                return f"Added key {key.kid} ({key.state}) in {keys.keys_dir()}."
            if action == "activate":
                key = keys.key_activate(kid=options["kid"], force=options["force"])
                return f"Key {key.kid} now signs."
            if action == "retire":
                key = keys.key_retire(kid=options["kid"])
                return f"Key {key.kid} is retired (no longer published)."
        except keys.KeyUnavailable as exc:
            raise CommandError(str(exc)) from None
        lines = [
            f"{key.kid}  {key.state:<8}  {key.created_at:%Y-%m-%d %H:%M}"
            for key in ToolKey.objects.all()
        ]
        return "\n".join(lines) or "No keys yet (the first launch or `add` makes one)."
