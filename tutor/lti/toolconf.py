"""pylti1p3's tool configuration, read from our Registration and Deployment
rows (editable in the admin) and signed with our current tool key."""

from __future__ import annotations

from typing import Any

from pylti1p3.deployment import Deployment as LibDeployment
from pylti1p3.registration import Registration as LibRegistration
from pylti1p3.tool_config import ToolConfAbstract

from tutor.lti.keys import signing_key
from tutor.lti.models import Deployment, Registration

# What a request may carry in an issuer, client id or deployment id: longer
# values, or a NUL (which PostgreSQL refuses in a query), match nothing.
MAX_ID_LENGTH = 255


def usable_id(value: object) -> str | None:
    if not isinstance(value, str) or not value or len(value) > MAX_ID_LENGTH:
        return None
    return None if "\x00" in value else value


def registration_row(iss: object, client_id: object) -> Registration | None:
    """The active registration for this issuer and client id; without a
    client id (a platform may leave it out of the login), the issuer's only
    active registration."""
    issuer = usable_id(iss)
    if issuer is None:
        return None
    rows = Registration.objects.filter(issuer=issuer, is_active=True)
    client = usable_id(client_id)
    if client is not None:
        return rows.filter(client_id=client).first()
    if client_id not in (None, ""):
        return None
    found = list(rows[:2])
    return found[0] if len(found) == 1 else None


def lib_registration(row: Registration) -> LibRegistration:
    """The registration as pylti1p3 uses it, with our current signing key."""
    key = signing_key()
    return (
        LibRegistration()
        .set_issuer(row.issuer)
        .set_client_id(row.client_id)
        .set_auth_login_url(row.auth_login_url)
        .set_auth_token_url(row.auth_token_url)
        .set_auth_audience(row.auth_audience or None)  # type: ignore[arg-type]
        .set_key_set_url(row.key_set_url)
        .set_tool_private_key(key.private_pem)
        .set_tool_public_key(key.public_pem)
    )


class DbToolConf(ToolConfAbstract[Any]):
    """Registrations by (issuer, client id): one issuer may have many client
    ids (every Canvas-cloud customer shares one issuer). `registration` is
    the row the last lookup found, for the launch to use."""

    def __init__(self) -> None:
        self.registration: Registration | None = None

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def find_registration_by_issuer(  # type: ignore[override]
        self, iss: str, *args: Any, **kwargs: Any
    ) -> LibRegistration | None:
        return self.find_registration_by_params(iss, None, *args, **kwargs)

    def find_registration_by_params(  # type: ignore[override]
        self, iss: str, client_id: str | None, *args: Any, **kwargs: Any
    ) -> LibRegistration | None:
        row = registration_row(iss, client_id)
        self.registration = row
        return lib_registration(row) if row is not None else None

    def find_deployment(self, iss: str, deployment_id: str) -> LibDeployment | None:
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(
        self,
        iss: str,
        deployment_id: str,
        client_id: str | None,
        *args: Any,
        **kwargs: Any,
    ) -> LibDeployment | None:
        row = registration_row(iss, client_id)
        wanted = usable_id(deployment_id)
        if row is None or wanted is None:
            return None
        if not Deployment.objects.filter(
            registration=row, deployment_id=wanted, is_active=True
        ).exists():
            return None
        return LibDeployment().set_deployment_id(wanted)
