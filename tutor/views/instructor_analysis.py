"""The item analysis drill-downs: one parameterised question by the values it
draws, one coding exercise by its named mistakes and the hints opened."""

from __future__ import annotations

from datetime import date

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from exercises.models import CodingExercise, Question
from exercises.roles import instructor_required
from tutor.analysis import hint_effects, mistakes, parameters, stats
from tutor.analysis.facets import is_parameterised
from tutor.analysis.scope import Scope
from tutor.courses.models import Course
from tutor.courses.progress import students_of

FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(9998, 12, 31)


class AnalysisFilterForm(forms.Form):
    course = forms.ModelChoiceField(
        Course.objects.all(), required=False, empty_label="Every student"
    )
    start = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        for day in (start, end):
            # The window's ends become datetimes a day apart in the site's
            # zone: keep them far from the calendar's limits.
            if isinstance(day, date) and not FIRST_DAY <= day <= LAST_DAY:
                raise forms.ValidationError(
                    f"Choose days from {FIRST_DAY:%Y} to {LAST_DAY:%Y}."
                )
        if isinstance(start, date) and isinstance(end, date) and start > end:
            raise forms.ValidationError("The first day comes after the last.")
        return data

    def scope(self) -> Scope:
        """The scope chosen (call once the form is valid)."""
        data = self.cleaned_data if self.is_bound else {}
        course = data.get("course")
        return Scope(
            start=data.get("start"),
            end=data.get("end"),
            users=students_of(course) if course is not None else None,
        )


def _form(request: HttpRequest) -> tuple[AnalysisFilterForm, int]:
    """The filter form and the status of the page: 400 when the filter
    cannot be read (the page then says why and shows no numbers)."""
    form = AnalysisFilterForm(request.GET or None)
    return form, 400 if form.is_bound and not form.is_valid() else 200


@instructor_required
def item_parameters(request: HttpRequest, slug: str) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("topic"), slug=slug)
    form, status = _form(request)
    analysis = None
    if status == 200 and is_parameterised(question):
        analysis = parameters.item_parameters(question=question, scope=form.scope())
    return render(
        request,
        "instructor/item_parameters.html",
        {
            "form": form,
            "question": question,
            "parameterised": is_parameterised(question),
            "analysis": analysis,
            "limit": parameters.MAX_FIRST_ATTEMPTS,
            "min_to_judge": parameters.MIN_TO_JUDGE,
            "min_for_discrimination": parameters.MIN_FOR_DISCRIMINATION,
            "prior": stats.PRIOR_STRENGTH,
            "flag_logits": f"{parameters.FLAG_LOGITS:g}",
            "flag_z": f"{parameters.FLAG_Z:g}",
            "false_discovery": f"{100 * parameters.FALSE_DISCOVERY_RATE:g}",
        },
        status=status,
    )


@instructor_required
def exercise_mistakes(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = get_object_or_404(
        CodingExercise.objects.select_related("topic"), slug=slug
    )
    form, status = _form(request)
    analysis = None
    if status == 200:
        analysis = mistakes.exercise_mistakes(exercise=exercise, scope=form.scope())
    return render(
        request,
        "instructor/exercise_mistakes.html",
        {
            "form": form,
            "exercise": exercise,
            "analysis": analysis,
            "limit": mistakes.MAX_SUBMISSIONS,
            "click_seconds": f"{hint_effects.CLICK_THROUGH_SECONDS:g}",
            "min_to_judge": parameters.MIN_TO_JUDGE,
        },
        status=status,
    )
