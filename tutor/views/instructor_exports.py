"""The exports page, under /instructor/exports/: the course's bank files,
Moodle XML, and PrairieLearn and Gradescope packages of the coding exercises,
each a download. What is exported is chosen from the database (a lecture, a
topic, an exercise by slug); no path comes from the request."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render

from exercises.exports.moodle import DEFAULT_VARIANTS
from exercises.exports.packages import (
    Download,
    course_download,
    gradescope_download,
    moodle_download,
    packaged_exercises,
    prairielearn_download,
    submission_filename,
)
from exercises.models import CodingExercise, Lecture, Topic
from exercises.roles import instructor_required

MAX_VARIANTS = 10
BANK = "bank"


def _scope_choices() -> list[tuple[str, object]]:
    """The whole bank, then each lecture with its topics, as grouped options."""
    choices: list[tuple[str, object]] = [(BANK, "The whole bank")]
    for lecture in Lecture.objects.prefetch_related("topics").order_by("number"):
        topics = sorted(lecture.topics.all(), key=lambda t: (t.order, t.code))
        choices.append(
            (
                f"Lecture {lecture.number}: {lecture.title}",
                [(f"lecture:{lecture.number}", f"All of lecture {lecture.number}")]
                + [(f"topic:{t.code}", f"{t.code} {t.title}") for t in topics],
            )
        )
    return choices


class MoodleForm(forms.Form):
    scope = forms.ChoiceField(label="Questions of", initial=BANK)
    variants = forms.IntegerField(
        label="Fixed variants of each parameterised question",
        min_value=0,
        max_value=MAX_VARIANTS,
        initial=DEFAULT_VARIANTS,
        help_text=f"0 leaves them out; at most {MAX_VARIANTS}.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["scope"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _scope_choices()

    def chosen(self) -> tuple[Lecture | None, Topic | None]:
        """The lecture or topic chosen (none: the whole bank); call once valid."""
        kind, _, key = self.cleaned_data["scope"].partition(":")
        if kind == "lecture":
            return get_object_or_404(Lecture, number=int(key)), None
        if kind == "topic":
            return None, get_object_or_404(Topic, code=key)
        return None, None


def _attachment(download: Download) -> HttpResponse:
    response = HttpResponse(download.content, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return response


@instructor_required
def exports(request: HttpRequest) -> HttpResponse:
    rows = [
        (exercise, submission_filename(exercise)) for exercise in packaged_exercises()
    ]
    own = CodingExercise.objects.filter(is_published=True, engine_spec="").count()
    return render(
        request,
        "instructor/exports.html",
        {"moodle_form": MoodleForm(), "rows": rows, "own_exercises": own},
    )


@instructor_required
def course_zip(request: HttpRequest) -> HttpResponse:
    return _attachment(course_download())


@instructor_required
def moodle_xml(request: HttpRequest) -> HttpResponse:
    form = MoodleForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(form.errors.as_text(), content_type="text/plain")
    lecture, topic = form.chosen()
    download = moodle_download(
        variants=form.cleaned_data["variants"], lecture=lecture, topic=topic
    )
    return _attachment(download)


@instructor_required
def prairielearn_all(request: HttpRequest) -> HttpResponse:
    exercises = list(packaged_exercises())
    if not exercises:
        return HttpResponseBadRequest(
            "No published coding exercise has an engine spec.",
            content_type="text/plain",
        )
    return _attachment(prairielearn_download(exercises, label="exercises"))


@instructor_required
def prairielearn_one(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = get_object_or_404(packaged_exercises(), slug=slug)
    return _attachment(prairielearn_download([exercise], label=exercise.slug))


@instructor_required
def gradescope_one(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = get_object_or_404(packaged_exercises(), slug=slug)
    return _attachment(gradescope_download(exercise))
