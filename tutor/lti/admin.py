"""Platform registrations, deployments waiting for approval, the platform
courses and the course of ours each is linked to, and the passback queue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from tutor.lti.models import (
    Deployment,
    GradePassback,
    LineItem,
    LtiContext,
    LtiResourceLink,
    LtiUser,
    Registration,
    RosterMember,
    ToolKey,
)


class DeploymentInline(admin.TabularInline):
    model = Deployment
    extra = 0
    fields = ("deployment_id", "is_active", "created_at")
    readonly_fields = ("created_at",)


# Platforms' addresses are https; a URL typed without a scheme is taken as one.
HTTPS_URLS: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ("name", "platform", "issuer", "client_id", "is_active")
    list_filter = ("platform", "is_active")
    search_fields = ("name", "issuer", "client_id")
    inlines = (DeploymentInline,)


@admin.action(description="Approve: accept launches from these deployments")
def approve(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> None:
    count = queryset.update(is_active=True)
    modeladmin.message_user(
        request, f"{count} deployment(s) approved.", messages.SUCCESS
    )


@admin.register(Deployment)
class DeploymentAdmin(admin.ModelAdmin):
    list_display = ("deployment_id", "registration", "is_active", "created_at")
    list_filter = ("is_active", "registration")
    search_fields = ("deployment_id",)
    actions = (approve,)


@admin.register(LtiContext)
class LtiContextAdmin(admin.ModelAdmin):
    list_display = ("__str__", "context_id", "course", "roster_synced_at")
    list_filter = ("registration",)
    search_fields = ("title", "label", "context_id", "course__code")
    autocomplete_fields = ("course",)
    readonly_fields = (
        "registration",
        "deployment",
        "context_id",
        "lineitems_url",
        "ags_scopes",
        "memberships_url",
        "roster_synced_at",
        "roster_error",
    )


@admin.register(LtiUser)
class LtiUserAdmin(admin.ModelAdmin):
    list_display = ("name", "sub", "user", "registration", "last_launch_at")
    list_filter = ("registration",)
    search_fields = ("name", "sub", "user__username")
    raw_id_fields = ("user",)
    readonly_fields = ("registration", "sub", "created_at", "last_launch_at")


@admin.register(LtiResourceLink)
class LtiResourceLinkAdmin(admin.ModelAdmin):
    list_display = ("__str__", "context", "assignment", "exercise", "lineitem")
    search_fields = ("title", "resource_link_id")
    raw_id_fields = ("context", "assignment", "exercise", "lineitem")


@admin.register(LineItem)
class LineItemAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ("__str__", "context", "score_maximum", "tag")
    search_fields = ("label", "url")
    raw_id_fields = ("context",)


@admin.action(description="Send again at the next sweep")
def send_again(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> None:
    count = queryset.exclude(score=None).update(
        status=GradePassback.Status.PENDING, attempts=0, next_try_at=None
    )
    modeladmin.message_user(request, f"{count} score(s) queued.", messages.SUCCESS)


@admin.register(GradePassback)
class GradePassbackAdmin(admin.ModelAdmin):
    list_display = (
        "lti_user",
        "link",
        "score",
        "last_posted_score",
        "status",
        "attempts",
        "next_try_at",
    )
    list_filter = ("status",)
    search_fields = ("lti_user__name", "lti_user__user__username", "link__title")
    raw_id_fields = ("link", "lti_user")
    actions = (send_again,)


@admin.register(RosterMember)
class RosterMemberAdmin(admin.ModelAdmin):
    list_display = ("name", "user_id", "context", "status", "listed", "synced_at")
    list_filter = ("listed", "status")
    search_fields = ("name", "user_id", "email")
    raw_id_fields = ("context",)


@admin.register(ToolKey)
class ToolKeyAdmin(admin.ModelAdmin):
    """Read-only: keys are made and rotated with `manage.py lti_key`."""

    list_display = ("kid", "state", "created_at", "changed_at")
    readonly_fields = ("kid", "state", "public_jwk", "created_at", "changed_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
