"""Courses, under /courses/: a student's courses, assignments and their items;
the course staff's pages under /courses/<code>/staff/. The names are not
namespaced: Course and Assignment reverse "course" and "assignment"."""

from django.urls import path

from tutor.views import (
    course_authoring,
    course_grading,
    course_items,
    course_regrade,
    course_reports,
    course_staff,
    courses,
    regrade_notices,
)

ITEM = "<slug:code>/assignments/<slug:slug>/items/<int:item_id>/"
STAFF = "<slug:code>/staff/"
STAFF_ASSIGNMENT = STAFF + "assignments/<slug:slug>/"

urlpatterns = [
    path("", courses.my_courses, name="courses"),
    path("new/", course_staff.course_new, name="course-new"),
    path("join/<str:invite>/", courses.join_link, name="course-join"),
    path("<slug:code>/", courses.course, name="course"),
    path(
        "<slug:code>/assignments/<slug:slug>/",
        courses.assignment,
        name="assignment",
    ),
    path(
        "<slug:code>/assignments/<slug:slug>/exam",
        course_items.exam_start,
        name="assignment-exam",
    ),
    path(ITEM, course_items.item, name="course-item"),
    path(ITEM + "answer", course_items.answer, name="course-item-answer"),
    path(ITEM + "check", course_items.check_form, name="course-item-check"),
    path(ITEM + "submit", course_items.submit, name="course-item-submit"),
    path(ITEM + "report", course_reports.report, name="course-item-report"),
    path(
        "<slug:code>/submissions/<int:submission_id>/",
        course_items.submission,
        name="course-submission",
    ),
    path(
        "<slug:code>/submissions/<int:submission_id>/status",
        course_items.submission_status,
        name="course-submission-status",
    ),
    # The course's staff.
    path(
        "<slug:code>/regrade-notices/<int:change_id>/dismiss",
        regrade_notices.dismiss,
        name="regrade-notice-dismiss",
    ),
    path(STAFF, course_staff.home, name="course-staff"),
    path(STAFF + "edit", course_staff.edit, name="course-edit"),
    path(STAFF + "invite", course_staff.invite, name="course-invite"),
    path(STAFF + "members/", course_staff.members, name="course-members"),
    path(
        STAFF + "members/<int:membership_id>",
        course_staff.member,
        name="course-member",
    ),
    path(STAFF + "gradebook/", course_grading.gradebook, name="course-gradebook"),
    path(
        STAFF + "gradebook.csv",
        course_grading.gradebook_csv,
        name="course-gradebook-csv",
    ),
    path(STAFF + "items/", course_grading.items, name="course-items"),
    path(STAFF + "regrade/", course_regrade.regrade, name="course-regrade"),
    path(
        STAFF + "regrade/start",
        course_regrade.regrade_start,
        name="course-regrade-start",
    ),
    path(
        STAFF + "regrade/runs/<int:run_id>/",
        course_regrade.regrade_run,
        name="course-regrade-run",
    ),
    path(
        STAFF + "regrade/runs/<int:run_id>/progress",
        course_regrade.regrade_progress,
        name="course-regrade-progress",
    ),
    path(
        STAFF + "regrade/runs/<int:run_id>/apply",
        course_regrade.regrade_apply,
        name="course-regrade-apply",
    ),
    path(
        STAFF + "assignments/new",
        course_authoring.assignment_new,
        name="course-assignment-new",
    ),
    path(
        STAFF_ASSIGNMENT, course_grading.assignment_progress, name="course-assignment"
    ),
    path(
        STAFF_ASSIGNMENT + "edit",
        course_authoring.assignment_edit,
        name="course-assignment-edit",
    ),
    path(
        STAFF_ASSIGNMENT + "items",
        course_authoring.assignment_items,
        name="course-assignment-items",
    ),
    path(
        STAFF_ASSIGNMENT + "preview",
        course_authoring.assignment_preview,
        name="course-assignment-preview",
    ),
    path(
        STAFF_ASSIGNMENT + "publish",
        course_authoring.assignment_publish,
        name="course-assignment-publish",
    ),
    path(
        STAFF_ASSIGNMENT + "extensions",
        course_grading.extension,
        name="course-extension",
    ),
    path(
        STAFF_ASSIGNMENT + "extensions/<int:user_id>/remove",
        course_grading.extension_remove,
        name="course-extension-remove",
    ),
    path(
        STAFF_ASSIGNMENT + "students/<int:user_id>/",
        course_grading.student,
        name="course-assignment-student",
    ),
]
