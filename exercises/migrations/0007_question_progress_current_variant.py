"""The variant a student works on is stored, so that a reload keeps it.

Before, it was the attempt count (a new variant after every answer); existing
rows start from that, so nobody's current variant changes."""

from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def from_attempt_counts(apps, schema_editor):
    QuestionProgress = apps.get_model("exercises", "QuestionProgress")
    QuizAttempt = apps.get_model("exercises", "QuizAttempt")
    counts = (
        QuizAttempt.objects.filter(user=OuterRef("user"), question=OuterRef("question"))
        .order_by()
        .values("user")
        .annotate(n=Count("id"))
        .values("n")
    )
    QuestionProgress.objects.update(
        variant=Coalesce(
            Subquery(counts), 0, output_field=models.PositiveIntegerField()
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("exercises", "0006_question_progress_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="questionprogress",
            name="variant",
            field=models.PositiveIntegerField(
                default=0,
                help_text="The number of the variant the student works on; it "
                "moves on only when they ask for another after answering it.",
            ),
        ),
        migrations.RunPython(from_attempt_counts, migrations.RunPython.noop),
    ]
