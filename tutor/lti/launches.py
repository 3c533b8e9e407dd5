"""What a validated launch does here: the platform's user gets their account
(matched by the platform's `sub`, never by e-mail), the platform's course
its course of ours (made at the first instructor launch), the person a
membership with the launch's role, and the link what it opens."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import slugify

from exercises.models import CodingExercise
from tutor.courses.membership import enrol
from tutor.courses.models import Assignment, Course, Membership
from tutor.lti.claims import Claims
from tutor.lti.launch import LaunchRefused, ValidLaunch
from tutor.lti.models import (
    LineItem,
    LtiContext,
    LtiResourceLink,
    LtiUser,
    Registration,
)

log = logging.getLogger(__name__)
Role = Membership.Role


@dataclass(frozen=True)
class Accepted:
    """Whom to sign in, where, and what to open."""

    user: User
    lti_user: LtiUser
    context: LtiContext
    course: Course
    role: str
    link: LtiResourceLink | None


def launch_accept(*, launch: ValidLaunch) -> Accepted:
    """Record a launch: the account, the course, the membership and, for a
    resource link, the link (LaunchRefused when it cannot be opened)."""
    claims = launch.claims
    role = claims.role
    log.info(
        "LTI launch: %s from %s, roles %s → %s",
        claims.message_type,
        launch.registration,
        claims.roles,
        role,
    )
    with transaction.atomic():
        lti_user = lti_user_for(registration=launch.registration, claims=claims)
        context = context_for(launch=launch)
        course = course_for(context=context, role=role)
        enrol(
            course=course, user=lti_user.user, role=role, source=Membership.Source.LTI
        )
        link = None
        if claims.message_type == "LtiResourceLinkRequest":
            link = link_for(context=context, claims=claims, role=role)
    return Accepted(lti_user.user, lti_user, context, course, role, link)


def lti_user_for(*, registration: Registration, claims: Claims) -> LtiUser:
    """The account of the platform's user, made at their first launch (a
    plain account: no password, never staff), its names kept up to date."""
    found = LtiUser.objects.filter(registration=registration, sub=claims.sub).first()
    if found is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    username=_username(registration, claims),
                    email=claims.email,
                    first_name=claims.given_name,
                    last_name=claims.family_name,
                )
                found = LtiUser.objects.create(
                    registration=registration, sub=claims.sub, user=user
                )
        except IntegrityError:  # the same person's two first launches at once
            found = LtiUser.objects.get(registration=registration, sub=claims.sub)
    found.name, found.email = claims.name[:255], claims.email
    found.last_launch_at = timezone.now()
    found.save(update_fields=["name", "email", "last_launch_at"])
    user = found.user
    changed = {
        "first_name": claims.given_name or user.first_name,
        "last_name": claims.family_name or user.last_name,
        "email": claims.email or user.email,
    }
    if any(getattr(user, k) != v for k, v in changed.items()):
        for name, value in changed.items():
            setattr(user, name, value)
        user.save(update_fields=list(changed))
    return found


def _username(registration: Registration, claims: Claims) -> str:
    """Readable and unique: the person's name and a digest of who they are."""
    digest = hashlib.sha256(f"{registration.pk}\n{claims.sub}".encode()).hexdigest()
    base = slugify(claims.name)[:40].strip("-") or "lms-user"
    for length in (8, 16, 64):
        name = f"{base}-{digest[:length]}"
        if not User.objects.filter(username=name).exists():
            return name
    return f"lms-{secrets.token_hex(12)}"


def context_for(*, launch: ValidLaunch) -> LtiContext:
    claims = launch.claims
    try:
        with transaction.atomic():
            context, _ = LtiContext.objects.get_or_create(
                registration=launch.registration, context_id=claims.context_id
            )
    except IntegrityError:
        context = LtiContext.objects.get(
            registration=launch.registration, context_id=claims.context_id
        )
    context.deployment = launch.deployment
    context.title = claims.context_title
    context.label = str(claims.context.get("label") or "")[:255]
    fields = ["deployment", "title", "label"]
    if claims.lineitems_url:
        context.lineitems_url = claims.lineitems_url
        context.ags_scopes = claims.ags_scopes
        fields += ["lineitems_url", "ags_scopes"]
    if claims.memberships_url:
        context.memberships_url = claims.memberships_url
        fields.append("memberships_url")
    context.save(update_fields=fields)
    return context


def course_for(*, context: LtiContext, role: str) -> Course:
    """The course the platform's course is linked to: made, and linked, at
    the first launch of one of its instructors."""
    if context.course_id is not None:
        return context.course  # type: ignore[return-value]
    locked = LtiContext.objects.select_for_update().get(pk=context.pk)
    if locked.course_id is None:
        if role != Role.INSTRUCTOR:
            raise LaunchRefused(
                f"{context} has no course yet and the launch is a {role}'s",
                "This course is not set up here yet: your instructor needs to "
                "open the tool from the learning platform once first.",
                status=409,
            )
        locked.course = Course.objects.create(
            code=_course_code(context), title=(context.title or "LMS course")[:200]
        )
        locked.save(update_fields=["course"])
        log.info("LTI: course %s made for %s", locked.course.code, context)
    context.course = locked.course
    return locked.course  # type: ignore[return-value]


def _course_code(context: LtiContext) -> str:
    base = slugify(context.label or context.title)[:40].strip("-") or "lms-course"
    while True:
        code = f"{base}-{secrets.token_hex(3)}"
        if not Course.objects.filter(code=code).exists():
            return code


SLUG = re.compile(r"^[-\w]{1,100}$")


def link_for(*, context: LtiContext, claims: Claims, role: str) -> LtiResourceLink:
    """The resource link, and what its custom parameter names: `assignment`
    (an assignment of this course, by slug) or `exercise` (a coding
    exercise, by slug)."""
    link_id = str(claims.resource_link.get("id"))[:255]
    link, _ = LtiResourceLink.objects.get_or_create(
        context=context, resource_link_id=link_id
    )
    link.title = str(claims.resource_link.get("title") or "")[:255]
    link.assignment, link.exercise = _target(context, claims.custom, role)
    if claims.lineitem_url:
        item, _ = LineItem.objects.get_or_create(
            context=context, url=claims.lineitem_url
        )
        link.lineitem = item
    link.save()
    return link


def _target(
    context: LtiContext, custom: dict[str, str], role: str
) -> tuple[Assignment | None, CodingExercise | None]:
    slug = custom.get("assignment", "").strip()
    if slug:
        assignment = (
            Assignment.objects.filter(course=context.course, slug=slug).first()
            if SLUG.match(slug)
            else None
        )
        if assignment is None:
            raise LaunchRefused(
                f"custom assignment {slug[:100]!r} is not in course {context.course}",
                "This link names an assignment that is not in this course. Ask your "
                "instructor to choose it again (edit the link in the platform).",
                status=404,
            )
        if not assignment.is_published and role == Role.STUDENT:
            raise LaunchRefused(
                f"assignment {assignment} is not published",
                "This assignment is not open yet: your instructor has not published it.",
                status=403,
            )
        return assignment, None
    slug = custom.get("exercise", "").strip()
    if slug:
        exercise = (
            CodingExercise.objects.filter(slug=slug, is_published=True).first()
            if SLUG.match(slug)
            else None
        )
        if exercise is None:
            raise LaunchRefused(
                f"custom exercise {slug[:100]!r} is not a published exercise",
                "This link names a coding exercise that is not available.",
                status=404,
            )
        return None, exercise
    return None, None


def page_for(accepted: Accepted) -> str:
    """Where the launch opens: the link's assignment or exercise, else the
    course page (the site's start page until the course pages exist)."""
    link = accepted.link
    if link is not None and link.assignment is not None:
        return _url_or_home("assignment", [accepted.course.code, link.assignment.slug])
    if link is not None and link.exercise is not None:
        return _url_or_home("exercise", [link.exercise.slug])
    return _url_or_home("course", [accepted.course.code])


def _url_or_home(name: str, args: list[str]) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return reverse("home")
