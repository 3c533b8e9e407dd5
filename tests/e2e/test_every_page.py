"""Every page kind, crawled as a visitor, a student and an instructor, at
1280 px and at 390 px: axe-core finds nothing (every rule it runs by default,
every impact) and no page is wider than the window.

The crawl starts from each persona's pages and follows the links on them,
opening one page per route (the first link to `/questions/<slug>/` stands for
every question page; each admin model's list, form and history count apart).
Pages in particular states (feedback, reports, errors, exams) have their own
tests beside the feature; this one makes sure no page kind is missed: every
route of the site that a GET shows as a page is either crawled or named in
NOT_CRAWLED with the reason.
"""

from __future__ import annotations

import json
from collections import defaultdict
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from exercises.models import CodingExercise, Question, Topic
from tests.e2e.a11y import PHONE, WIDTHS, axe_source, overflows, violations
from tests.factories import PASSWORD
from tests.factories.courses import WorkFactory
from tests.factories.hints import FailedSubmissionFactory
from tests.factories.ladder import RungAttemptFactory
from tests.factories.mastery import answered
from tests.factories.regrading import RegradeRunFactory
from tests.factories.reports import ProblemReportFactory
from tests.factories.runs import CodeRunFactory
from tests.factories.study import MockExamFactory, PersonalSheetFactory
from tutor.courses.models import AssignmentItem, Course

pytestmark = pytest.mark.slow

# Routes a crawl does not open, each with its reason. Anything else a GET can
# show must be reached from some persona's pages.
NOT_CRAWLED = {
    "healthz": "JSON for the load balancer",
    "cheatsheet-legacy": "redirects to the sheet",
    "question-answer": "POST only",
    "question-check": "POST only",
    "question-hint": "POST only",
    "practise": "redirects to a question",
    "next": "redirects to the next step",
    "exam-start": "POST only",
    "exam-answer": "POST only",
    "exam-save": "POST only",
    "exam-submit": "POST only",
    "exercise-submit": "POST only",
    "exercise-run": "POST only",
    "code-run-status": "a fragment polled by the run page",
    "submission-status": "a fragment polled by the submission page",
    "submission-hint": "POST only",
    "exercise-submissions": "a fragment the exercise page refreshes (a GET goes to the page)",
    "ladder-faded-check": "POST only",
    "ladder-parsons-check": "POST only",
    "rung-attempt-status": "a fragment polled by the rung page",
    "report-problem": "POST only",
    "my-sheet-pdf": "a PDF",
    "my-sheet-markdown": "Markdown text",
    "my-sheet-delete": "POST only (the confirmation is the sheet page's dialog)",
    "sheet-pdf": "a PDF",
    "sheet-markdown": "Markdown text",
    "logout": "POST only",
    "password_reset_confirm": "needs a token from an e-mail; tested in test_accounts",
    "password_reset_done": "shown after the reset form; tested in test_accounts",
    "password_reset_complete": "shown after a reset; tested in test_accounts",
    "password_change": "the admin's password change is crawled under admin/",
    "password_change_done": "shown after a change",
    "login": "visited as the sign-in of every persona",
    "exam-flag": "POST only",
    "assignment-exam": "POST only (starts the assignment's paper)",
    "course-item-answer": "POST only",
    "course-item-check": "POST only",
    "course-item-submit": "POST only",
    "course-item-report": "POST only",
    "course-submission-status": "a fragment polled by the submission page",
    "course-invite": "POST only",
    "course-member": "POST only",
    "course-gradebook-csv": "CSV",
    "course-regrade-start": "POST only",
    "course-regrade-progress": "a fragment polled by the run page",
    "course-regrade-apply": "POST only",
    "course-assignment-publish": "POST only",
    "course-extension": "POST only",
    "course-extension-remove": "POST only",
    "gradebook-csv": "CSV",
    "export-course": "a zip",
    "export-moodle": "XML",
    "export-prairielearn-all": "a zip",
    "export-prairielearn": "a zip",
    "export-gradescope": "a zip",
    "regrade-start": "POST only",
    "regrade-short-passes": "POST only",
    "regrade-progress": "a fragment polled by the run page",
    "regrade-apply": "POST only",
    "regrade-resume": "POST only",
    "launch": "an LMS's signed POST (tests/integration and tests/tutor/lti)",
    "jwks": "JSON keys",
    "continue": "a launch's second step, with its token (tests/tutor/lti)",
    "deep-link": "POST only",
    "grades-resend": "POST only",
    "roster-sync": "POST only",
    "regrade-notice-dismiss": "POST only",
}
SKIPPED_LINKS = (
    "/logout",
    "/pdf",
    "/markdown",
    ".csv",
    ".zip",
    ".xml",
    "/status",
    "/lti/launch",
)
# Where each persona starts; the `site` fixture adds the pages of the records
# it makes (a run, a rung attempt, a regrade run ...).
PERSONAS = {
    "visitor": [
        "/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password_reset/",
        "/a-page-that-does-not-exist/",
    ],
    "student": ["/", "/review/", "/progress/", "/exams/", "/sheets/mine/new"],
    "instructor": ["/instructor/", "/courses/demo/staff/"],
    # The instructor again, in the Django admin (a crawl of its own: it has
    # a list, a form and a history page a model).
    "admin": ["/admin/"],
}
ADMIN = "/admin/"


def _route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route


def _names(patterns, prefix: str = "") -> dict[str, str]:
    """Every named route outside the admin, by name, with its route."""
    found: dict[str, str] = {}
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            if pattern.app_name == "admin":
                continue
            inner = _names(pattern.url_patterns, prefix + str(pattern.pattern))
            found |= {namespace + name: route for name, route in inner.items()}
        elif isinstance(pattern, URLPattern) and pattern.name:
            found[pattern.name] = prefix + str(pattern.pattern)
    return found


def _crawl(
    browser,
    base_url: str,
    persona: str,
    starts: dict[str, list[str]],
    *,
    checked: bool = True,
) -> tuple[set[str], dict[str, list[str]]]:
    """Open one page per route reachable from the persona's pages and (when
    `checked`) check it at both widths; the routes opened and what was found
    on each page."""
    context = browser.new_context(base_url=base_url, viewport=WIDTHS[0])
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    if persona != "visitor":
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(
            "instructor" if persona == "admin" else persona
        )
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")
    queue = list(PERSONAS[persona]) + list(starts.get(persona, ()))
    opened: set[str] = set()
    found: dict[str, list[str]] = defaultdict(list)
    while queue:
        url = queue.pop(0)
        route = _route(urlparse(url).path)
        key = route if route is not None else "<404>"
        if key in opened:
            continue
        opened.add(key)
        response = page.goto(url)
        if response is None or "text/html" not in response.headers.get(
            "content-type", ""
        ):
            continue
        for size in WIDTHS if checked else ():
            page.set_viewport_size(size)
            problems = violations(page)
            if size == PHONE and overflows(page):
                problems.append({"id": "wider than 390 px"})
            found[url] += [
                f"{size['width']} px: {p['id']} ({p.get('impact')}) "
                f"x{p.get('count', 1)} {p.get('nodes', [])[:2]}"
                for p in problems
            ]
        page.set_viewport_size(WIDTHS[0])
        for href in page.eval_on_selector_all(
            "main a[href], header a[href], #content a[href], nav a[href]",
            "links => links.map((a) => a.getAttribute('href'))",
        ):
            if (
                href.startswith("/")
                and href.startswith(ADMIN) == (persona == "admin")
                and not any(s in href for s in SKIPPED_LINKS)
            ):
                queue.append(href.split("#")[0])
    context.close()
    assert errors == [], f"{persona}: script errors {errors}"
    return opened, found


@pytest.fixture
def site(course, monkeypatch) -> dict[str, list[str]]:
    """The demo accounts and course, a record of every kind a page shows, and
    the addresses of the records' pages by persona."""
    monkeypatch.setenv("DEMO_STUDENT_PASSWORD", PASSWORD)
    monkeypatch.setenv("DEMO_INSTRUCTOR_PASSWORD", PASSWORD)
    call_command("setup_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    from django.contrib.auth.models import User

    student = User.objects.get(username="student")
    iou = CodingExercise.objects.get(slug="iou")
    yolo = Topic.objects.get(slug="yolo")
    questions = list(Question.objects.filter(topic=yolo)[:3])
    instructor = User.objects.get(username="instructor")
    demo = Course.objects.get(code="demo")
    item = AssignmentItem.objects.filter(assignment__course=demo, exercise=iou).first()
    submission = FailedSubmissionFactory(user=student, exercise=iou)
    WorkFactory(
        quiz_attempt=None,
        user=student,
        assignment=item.assignment,
        item=item,
        submission=submission,
    )
    run = CodeRunFactory(user=student, exercise=iou)
    attempt = RungAttemptFactory(user=student, exercise=iou, checked=True)
    MockExamFactory(user=student, questions=questions, submitted=True)
    paper = MockExamFactory(user=student, questions=questions)
    PersonalSheetFactory(user=student, topics=[yolo])
    answered(student, questions[0], correct=False)
    ProblemReportFactory(user=student, question=questions[0])
    regrade = RegradeRunFactory(created_by=instructor, submission_ids=[submission.pk])
    return {
        "visitor": ["/lti/setup/"],
        "student": [
            f"/runs/{run.pk}/",
            f"/rung-attempts/{attempt.pk}/",
            f"/exams/{paper.pk}/review",
            "/exercises/iou/ladder/worked",
            "/exercises/iou/ladder/faded",
            "/exercises/iou/ladder/parsons",
            f"/courses/demo/submissions/{submission.pk}/",
            f"/courses/join/{demo.invite_code}/",
        ],
        "instructor": [
            f"/instructor/items/{questions[0].slug}/parameters",
            f"/instructor/regrade/runs/{regrade.pk}/",
            f"/courses/demo/staff/regrade/runs/{regrade.pk}/",
            "/lti/setup/",
        ],
    }


@pytest.mark.timeout(900)
@pytest.mark.parametrize("persona", list(PERSONAS))
def test_every_page_a_persona_reaches_passes_axe(
    browser, live_server, site, persona
) -> None:
    axe_source()
    opened, found = _crawl(browser, live_server.url, persona, site)
    found = {url: lines for url, lines in found.items() if lines}
    assert found == {}, "\n".join(
        f"{url}\n  " + "\n  ".join(lines) for url, lines in found.items()
    )
    assert len(opened) >= len(PERSONAS[persona])


@pytest.mark.timeout(900)
def test_every_page_kind_is_crawled_or_named(browser, live_server, site) -> None:
    """A new page is checked the day it is added: its route is reached by a
    crawl, or NOT_CRAWLED says why not."""
    axe_source()
    reached: set[str] = set()
    for persona in set(PERSONAS) - {"admin"}:  # admin routes are Django's
        reached |= _crawl(browser, live_server.url, persona, site, checked=False)[0]
    routes = _names(get_resolver().url_patterns)
    missing = {
        name: route
        for name, route in routes.items()
        if route not in reached and name.split(":")[-1] not in NOT_CRAWLED
    }
    assert missing == {}, "pages no crawl reaches: " + json.dumps(missing, indent=1)
    stale = set(NOT_CRAWLED) - {name.split(":")[-1] for name in routes}
    assert stale == set(), f"NOT_CRAWLED names routes that do not exist: {stale}"
