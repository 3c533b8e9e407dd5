"""/lti/…: the tool's endpoints for the platforms, and its staff pages."""

from django.urls import path

from tutor.lti.views import deep_link, protocol, staff

app_name = "lti"

urlpatterns = [
    path("login/", protocol.login_view, name="login"),
    path("launch/", protocol.launch_view, name="launch"),
    path("jwks/", protocol.jwks_view, name="jwks"),
    path("continue/<str:token>/", protocol.continue_view, name="continue"),
    path("deep-link/", deep_link.answer_view, name="deep-link"),
    path("setup/", staff.setup_view, name="setup"),
    path("courses/<str:code>/grades/", staff.grades_view, name="grades"),
    path(
        "courses/<str:code>/grades/resend",
        staff.grades_resend_view,
        name="grades-resend",
    ),
    path("courses/<str:code>/roster/", staff.roster_view, name="roster"),
    path("courses/<str:code>/roster/sync", staff.roster_sync_view, name="roster-sync"),
]
