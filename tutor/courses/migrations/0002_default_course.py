"""Everyone who had an account before courses existed joins one default
course, with the role they had (the instructors group, or a superuser, as
instructors; everyone else as students). Their attempts, submissions and
exams stay theirs: the course's gradebook shows them."""

import secrets

from django.db import migrations

INSTRUCTORS = "instructors"
# As tutor.courses.models.invite_code: ten characters nobody can guess (a
# fixed code, written in a public repository, would let anyone join).
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def forwards(apps, schema_editor):
    User = apps.get_model("auth", "User")
    Course = apps.get_model("courses", "Course")
    Membership = apps.get_model("courses", "Membership")
    users = list(User.objects.order_by("pk"))
    if not users:
        return
    instructors = set(
        User.objects.filter(is_staff=True, groups__name=INSTRUCTORS).values_list(
            "pk", flat=True
        )
    )
    course = Course.objects.create(
        code="default",
        title="Deep learning (everyone before courses)",
        term="",
        invite_code="".join(secrets.choice(ALPHABET) for _ in range(10)),
        is_active=True,
    )
    Membership.objects.bulk_create(
        Membership(
            course=course,
            user=user,
            role=(
                "instructor"
                if user.is_superuser or user.pk in instructors
                else "student"
            ),
            source="migration",
        )
        for user in users
    )


def backwards(apps, schema_editor):
    apps.get_model("courses", "Course").objects.filter(code="default").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
