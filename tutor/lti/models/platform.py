"""Learning platforms we are registered with, what their launches told us
(deployments, courses, users, links), and the tool's own signing keys.

The grade passback and roster rows are in grades.py."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q

from exercises.models import CodingExercise
from tutor.courses.models import Assignment, Course


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, or "" when it has none."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


class Registration(models.Model):
    """The tool registered in one platform: what the platform's admin gave us.

    One row per (issuer, client id): every Canvas-cloud customer shares the
    issuer https://canvas.instructure.com, and the client id (the developer
    key) tells them apart."""

    class Platform(models.TextChoices):
        CANVAS = "canvas", "Canvas"
        MOODLE = "moodle", "Moodle"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, help_text="e.g. University Canvas")
    platform = models.CharField(
        max_length=10, choices=Platform.choices, default=Platform.OTHER
    )
    issuer = models.CharField(
        max_length=255,
        help_text="Canvas cloud: https://canvas.instructure.com; Moodle: the site's address.",
    )
    client_id = models.CharField(max_length=255)
    auth_login_url = models.URLField(
        max_length=500, help_text="The platform's OIDC authorisation URL."
    )
    auth_token_url = models.URLField(
        max_length=500,
        help_text="The platform's OAuth2 token URL, exactly as it publishes it.",
    )
    auth_audience = models.CharField(
        max_length=500,
        blank=True,
        help_text="The token audience, if the platform names one (else the token URL).",
    )
    key_set_url = models.URLField(
        max_length=500, help_text="The platform's public keys (JWKS)."
    )
    frame_origins = models.TextField(
        blank=True,
        help_text="Addresses whose pages may show ours in a frame (one per line, "
        "e.g. https://school.instructure.com), with LTI_IFRAME_SESSIONS on.",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "client_id"], name="one_registration_per_client"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"

    def origins(self) -> list[str]:
        """Where the platform's pages are served from, for frame-ancestors."""
        listed = [origin_of(line.strip()) for line in self.frame_origins.splitlines()]
        return sorted({o for o in [*listed, origin_of(self.issuer)] if o})


class Deployment(models.Model):
    """One install of the tool in the platform (an account, sub-account or
    course). A launch from an unknown deployment creates it inactive: an
    admin approves it here before its launches are accepted."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="deployments"
    )
    deployment_id = models.CharField(max_length=255)
    is_active = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["registration", "deployment_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "deployment_id"],
                name="one_deployment_per_id",
            )
        ]

    def __str__(self) -> str:
        state = "active" if self.is_active else "waiting for approval"
        return f"{self.registration.name} · {self.deployment_id} ({state})"


class LtiContext(models.Model):
    """A course in the platform, and the course of ours it is linked to:
    created at its first instructor launch, or chosen here by an admin."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="contexts"
    )
    deployment = models.ForeignKey(
        Deployment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    context_id = models.CharField(max_length=255)
    title = models.CharField(max_length=255, blank=True)
    label = models.CharField(max_length=255, blank=True)
    course = models.ForeignKey(
        Course,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lti_contexts",
    )
    lineitems_url = models.URLField(max_length=500, blank=True)
    ags_scopes = models.JSONField(default=list, blank=True)
    memberships_url = models.URLField(max_length=500, blank=True)
    roster_synced_at = models.DateTimeField(null=True, blank=True)
    roster_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "platform course"
        ordering = ["registration", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "context_id"], name="one_context_per_id"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.title or self.label or self.context_id} ({self.registration.name})"
        )


class LtiUser(models.Model):
    """A platform's user (its `sub`) and the account of ours it signs in as.
    Never matched by e-mail: the platform's id is the only key."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="users"
    )
    sub = models.CharField(max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_accounts"
    )
    name = models.CharField(max_length=255, blank=True)
    email = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_launch_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "platform user"
        ordering = ["registration", "name", "sub"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "sub"], name="one_account_per_platform_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name or self.sub} → {self.user}"


class LineItem(models.Model):
    """A gradebook column in the platform (its URL is its id)."""

    context = models.ForeignKey(
        LtiContext, on_delete=models.CASCADE, related_name="lineitems"
    )
    url = models.URLField(max_length=500)
    label = models.CharField(max_length=255, blank=True)
    score_maximum = models.FloatField(null=True, blank=True)
    resource_id = models.CharField(max_length=255, blank=True)
    tag = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "gradebook column"
        ordering = ["context", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["context", "url"], name="one_lineitem_per_url"
            )
        ]

    def __str__(self) -> str:
        return self.label or self.url


class LtiResourceLink(models.Model):
    """A link placed in the platform's course, and what it opens here: named
    by a custom parameter (`assignment` or `exercise`, set by deep linking),
    never by the link's id, which changes when a course is copied."""

    context = models.ForeignKey(
        LtiContext, on_delete=models.CASCADE, related_name="links"
    )
    resource_link_id = models.CharField(max_length=255)
    title = models.CharField(max_length=255, blank=True)
    assignment = models.ForeignKey(
        Assignment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lti_links",
    )
    exercise = models.ForeignKey(
        CodingExercise,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lti_links",
    )
    lineitem = models.ForeignKey(
        LineItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="links"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "platform link"
        ordering = ["context", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["context", "resource_link_id"], name="one_link_per_id"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.resource_link_id

    @property
    def target(self) -> Assignment | CodingExercise | None:
        return self.assignment or self.exercise


class ToolKey(models.Model):
    """One of the tool's RSA signing keys. Only the public half is here; the
    private key is the file <kid>.pem in LTI_KEYS_DIR, never in the database
    or a response. A key is published as `next` before it signs (platforms
    cache our key set), signs as `current`, is still published as `previous`
    while what it signed may be checked, and is then `retired`."""

    class State(models.TextChoices):
        NEXT = "next", "Next (published, not signing yet)"
        CURRENT = "current", "Current (signing)"
        PREVIOUS = "previous", "Previous (published, no longer signing)"
        RETIRED = "retired", "Retired (not published)"

    kid = models.CharField(max_length=100, unique=True, help_text="RFC 7638 thumbprint")
    state = models.CharField(max_length=10, choices=State.choices)
    public_jwk = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "tool key"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["state"],
                condition=Q(state="current"),
                name="one_current_tool_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kid[:12]}… ({self.get_state_display()})"
