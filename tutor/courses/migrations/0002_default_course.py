"""Everyone who had an account before courses existed joins one default
course, with the role they had (the instructors group, or a superuser, as
instructors; everyone else as students). Their attempts, submissions and
exams stay theirs: the course's gradebook shows them."""

from django.db import migrations

INSTRUCTORS = "instructors"


def forwards(apps, schema_editor):
    User = apps.get_model("auth", "User")
    Course = apps.get_model("courses", "Course")
    Membership = apps.get_model("courses", "Membership")
    users = list(User.objects.all())
    if not users:
        return
    course = Course.objects.create(
        code="default",
        title="Deep learning (everyone before courses)",
        term="",
        invite_code="DEFAULT0000",
        is_active=True,
    )
    Membership.objects.bulk_create(
        Membership(
            course=course,
            user=user,
            role=(
                "instructor"
                if user.is_superuser
                or (user.is_staff and user.groups.filter(name=INSTRUCTORS).exists())
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
