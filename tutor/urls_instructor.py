"""The instructors' pages, under /instructor/ (namespace "instructor")."""

from django.urls import path

from tutor.views import (
    instructor,
    instructor_analysis,
    instructor_exports,
    instructor_regrade,
)

app_name = "instructor"

urlpatterns = [
    path("", instructor.index, name="index"),
    path("gradebook/", instructor.gradebook, name="gradebook"),
    path("gradebook.csv", instructor.gradebook_csv, name="gradebook-csv"),
    path("gradebook/students/<int:user_id>/", instructor.student, name="student"),
    path("items/", instructor.items, name="items"),
    path(
        "items/<slug:slug>/parameters",
        instructor_analysis.item_parameters,
        name="item-parameters",
    ),
    path(
        "exercises/<slug:slug>/mistakes",
        instructor_analysis.exercise_mistakes,
        name="exercise-mistakes",
    ),
    path("exports/", instructor_exports.exports, name="exports"),
    path("exports/course.zip", instructor_exports.course_zip, name="export-course"),
    path("exports/moodle.xml", instructor_exports.moodle_xml, name="export-moodle"),
    path(
        "exports/prairielearn.zip",
        instructor_exports.prairielearn_all,
        name="export-prairielearn-all",
    ),
    path(
        "exports/prairielearn/<slug:slug>.zip",
        instructor_exports.prairielearn_one,
        name="export-prairielearn",
    ),
    path(
        "exports/gradescope/<slug:slug>.zip",
        instructor_exports.gradescope_one,
        name="export-gradescope",
    ),
    path("regrade/", instructor_regrade.regrade, name="regrade"),
    path("regrade/start", instructor_regrade.regrade_start, name="regrade-start"),
    path(
        "regrade/short-passes",
        instructor_regrade.regrade_short_passes,
        name="regrade-short-passes",
    ),
    path(
        "regrade/runs/<int:run_id>/",
        instructor_regrade.regrade_run,
        name="regrade-run",
    ),
    path(
        "regrade/runs/<int:run_id>/progress",
        instructor_regrade.regrade_progress,
        name="regrade-progress",
    ),
    path(
        "regrade/runs/<int:run_id>/apply",
        instructor_regrade.regrade_apply,
        name="regrade-apply",
    ),
    path(
        "regrade/runs/<int:run_id>/resume",
        instructor_regrade.regrade_resume,
        name="regrade-resume",
    ),
]
