"""Settings, read from the environment (12-factor).

Every value comes from an environment variable; a `.env` file at the project
root (written by `make run` / `make test` for a first run, never committed) is
read first and never overrides the real environment. Bad values fail loudly at
start-up rather than silently falling back.

With nothing set beyond what `.env` holds, the site runs on the embedded
default: a SQLite file under `var/` and a filesystem message broker under
`var/broker/`, so no PostgreSQL or Redis is needed for a first run.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

from tutor.env import envbool, envfloat, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env", override=False)


DEBUG = envbool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or run `make run` "
            "once: it writes a development .env with DEBUG=True and a random key."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG"  # noqa: S105

ALLOWED_HOSTS = envlist(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "exercises",
    "tutor",
    "tutor.courses",
    "tutor.lti",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tutor.content_security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tutor.views.errors.ReadableErrorsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tutor.lti.framing.LtiFramingMiddleware",  # after XFrameOptions: sees it first
    # Last, as django-axes asks: it turns a locked-out sign-in into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tutor.urls"
WSGI_APPLICATION = "tutor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tutor.context_processors.site",
            ],
        },
    },
]

# A process keeps its database connection for a minute (checked before reuse)
# instead of opening one per request: on PostgreSQL every new connection is a
# new server process (measured under the load test: 24 → 33 requests/s).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the local worker writes a report.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2id (tutor/hashers.py); the others only verify older hashes, which
# are stored again with the first at the next sign-in.
PASSWORD_HASHERS = [
    "tutor.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes' backend first: it refuses a locked-out sign-in before the
# password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
SIGNUP_ENABLED = envbool("SIGNUP_ENABLED", True)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# In development WhiteNoise serves straight from the source folders.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tutor@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)

# --- Security: secure by default once DEBUG is off (`check --deploy` clean) ---
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The health check is fetched over plain HTTP from inside the compose network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Sign-in throttling (django-axes) ---------------------------------------------
# After LOGIN_FAILURE_LIMIT failed sign-ins for one account, or from one address,
# within LOGIN_LOCKOUT_MINUTES, sign-ins for that account or from that address are
# refused with a 429 page for LOGIN_LOCKOUT_MINUTES; every refused try restarts the
# wait. Behind a proxy that hides clients' addresses (REMOTE_ADDR is the proxy's),
# or a classroom behind one NAT address, set LOGIN_LOCKOUT_BY_ADDRESS=False.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS: list[str] = (
    ["username", "ip_address"]
    if envbool("LOGIN_LOCKOUT_BY_ADDRESS", True)
    else ["username"]
)
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "tutor.login_lockout.lockout_response"
# A successful sign-in clears the failures against that account only (axes' own
# reset would clear the whole address's, other accounts' included).
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "tutor.login_lockout.AccountResetHandler"
AXES_VERBOSE = False  # no banner at every start-up; failures are still logged

# --- Content-Security-Policy (django-csp) -------------------------------------------
# Scripts and style sheets only from the site itself: no inline script, no eval
# (htmx's eval features are switched off in base.html's htmx-config). Style
# attributes stay allowed: the mastery bars, item-analysis bars and matrix grids
# are sized with them (dashboard, mastery_chart, items, inputs/grid templates);
# nothing else needs them. The one inline <style> allowed is the code
# editor's layout sheet, which static/src/editor.js adds; its hash is that of
# node_modules/prism-code-editor/dist/layout.css (tests/tutor/test_csp.py checks it).
# Inline PDFs get no policy: it would blank the PDF viewer (content_security.py).
PRISM_EDITOR_LAYOUT_HASH = "'sha256-7sYX9MzNZg1T+RNGgbjKo/gCxcD8FF6lYU06//bvx7Q='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, PRISM_EDITOR_LAYOUT_HASH],
        "style-src-attr": [UNSAFE_INLINE],
        # Pico's form controls draw their icons with data: SVGs.
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Grading ------------------------------------------------------------------
# Limits on one grading task (seconds). The soft limit raises inside the task so
# it can record an error; the hard limit kills the worker process. The sweeper
# re-enqueues submissions left queued or running past the hard limit.
GRADING_SOFT_TIME_LIMIT = envint("GRADING_SOFT_TIME_LIMIT", 60, minimum=1)
GRADING_HARD_TIME_LIMIT = envint("GRADING_HARD_TIME_LIMIT", 75, minimum=2)
if GRADING_HARD_TIME_LIMIT <= GRADING_SOFT_TIME_LIMIT:
    raise ImproperlyConfigured("GRADING_HARD_TIME_LIMIT must exceed the soft limit")
GRADING_MAX_ATTEMPTS = envint("GRADING_MAX_ATTEMPTS", 3, minimum=1)
GRADING_SWEEP_INTERVAL = envfloat("GRADING_SWEEP_INTERVAL", 30.0, minimum=0.1)
# A queued submission whose message may have been lost (broker restarted or
# down at enqueue time) is enqueued again after this many seconds.
GRADING_REQUEUE_AFTER = envint("GRADING_REQUEUE_AFTER", 60, minimum=1)
GRADING_MAX_SOURCE_BYTES = envint("GRADING_MAX_SOURCE_BYTES", 64 * 1024, minimum=1)
GRADING_SUBMISSIONS_PER_MINUTE = envint("GRADING_SUBMISSIONS_PER_MINUTE", 6, minimum=1)
# "Run" (ungraded, on the worked examples or the student's own input): its own
# budget, a token bucket per student (CodeRunner's default is 200 an hour).
CODE_RUNS_PER_5_MINUTES = envint("CODE_RUNS_PER_5_MINUTES", 20, minimum=1)
CODE_RUNS_PER_HOUR = envint("CODE_RUNS_PER_HOUR", 200, minimum=1)
# Per-job sandbox defaults; an exercise may set its own.
SANDBOX_CPU_SECONDS = envfloat("SANDBOX_CPU_SECONDS", 5.0, minimum=0.1)
SANDBOX_WALL_SECONDS = envfloat("SANDBOX_WALL_SECONDS", 11.0, minimum=0.1)
SANDBOX_MEMORY_MB = envint("SANDBOX_MEMORY_MB", 1024, minimum=64)

# --- Cheat-sheet PDFs -------------------------------------------------------------
# Chromium lays out the sheets' MathML; without it the PDF link answers 503 and
# the HTML and Markdown sheets still work.
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PDF_TIMEOUT_SECONDS = envfloat("PDF_TIMEOUT_SECONDS", 30.0, minimum=1.0)

# --- Celery ---------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL or "filesystem://"
# Messages carry a priority (exercises/coding/queue.py: fairness); these are
# the broker's steps, on Redis the lowest served first.
GRADING_PRIORITY_STEPS = [0, 3, 6, 9]
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded default: messages are files under var/broker/, consumed by
    # the local worker that `make run` starts beside the web server; written
    # atomically (tutor/broker_files.py).
    CELERY_BROKER_TRANSPORT = "tutor.broker_files:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.2,
    }
else:
    # Unacknowledged messages come back after this long; it must exceed the
    # hard limit or a slow grading would be delivered twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": GRADING_HARD_TIME_LIMIT * 4,
        "priority_steps": GRADING_PRIORITY_STEPS,
    }
# A web process imports the question generators (torch) before it serves
# (tutor/warm.py), so that no request pays the seven-second import.
WARM_WEB_PROCESS = envbool("WARM_WEB_PROCESS", True)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A pool process starts its sandbox host before it takes work (about four
# seconds of importing torch; tutor/celery.py): Celery's default four-second
# allowance for a process to start is too short for that.
CELERY_WORKER_PROC_ALIVE_TIMEOUT = 60.0
CELERY_TASK_SOFT_TIME_LIMIT = GRADING_SOFT_TIME_LIMIT
CELERY_TASK_TIME_LIMIT = GRADING_HARD_TIME_LIMIT
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "exercises.tasks.grade_submission": {"queue": "grading"},
    "exercises.tasks.sweep_submissions": {"queue": "default"},
    # Regrading runs the sandbox, so it goes where the warm hosts are.
    "exercises.tasks.regrade_run": {"queue": "grading"},
    "exercises.tasks.sweep_regrades": {"queue": "default"},
    # Validating an own exercise runs instructor code in the sandbox.
    "exercises.tasks.validate_exercise": {"queue": "grading"},
    "exercises.tasks.sweep_validations": {"queue": "default"},
    # Runs have their own queue, so that they never delay a verdict; ladder
    # rungs are graded like submissions.
    "exercises.tasks.run_code": {"queue": "runs"},
    "exercises.tasks.sweep_runs": {"queue": "default"},
    "exercises.tasks.check_rung": {"queue": "grading"},
    "exercises.tasks.sweep_rungs": {"queue": "default"},
    "tutor.lti.tasks.*": {"queue": "default"},  # LMS grades and rosters: no sandbox
}
CELERY_BEAT_SCHEDULE = {
    "sweep-submissions": {
        "task": "exercises.tasks.sweep_submissions",
        "schedule": GRADING_SWEEP_INTERVAL,
    },
    "sweep-regrades": {
        "task": "exercises.tasks.sweep_regrades",
        "schedule": GRADING_SWEEP_INTERVAL,
    },
    "sweep-validations": {
        "task": "exercises.tasks.sweep_validations",
        "schedule": GRADING_SWEEP_INTERVAL,
    },
    "sweep-runs": {
        "task": "exercises.tasks.sweep_runs",
        "schedule": GRADING_SWEEP_INTERVAL,
    },
    "sweep-rungs": {
        "task": "exercises.tasks.sweep_rungs",
        "schedule": GRADING_SWEEP_INTERVAL,
    },
    "lti-passback-sweep": {
        "task": "tutor.lti.tasks.passback_sweep",
        "schedule": GRADING_SWEEP_INTERVAL,
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- LTI 1.3 tool: its private keys (PEM files) and cache (README, tutor/lti/) ---
LTI_KEYS_DIR = Path(os.environ.get("LTI_KEYS_DIR", VAR_DIR / "lti-keys"))
LTI_PASSBACK_MAX_TRIES = envint("LTI_PASSBACK_MAX_TRIES", 6, minimum=1)
# Launch state, nonces, key sets and tokens, shared by every process.
LTI_CACHE = "redis.RedisCache" if REDIS_URL else "filebased.FileBasedCache"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "lti": {"BACKEND": f"django.core.cache.backends.{LTI_CACHE}"},
}
CACHES["lti"]["LOCATION"] = REDIS_URL or str(VAR_DIR / "lti-cache")
# With Redis, sessions are read from it and written through to the database, their
# record; never from a per-process cache, which could serve a session ended elsewhere.
if REDIS_URL:
    CACHES["sessions"] = {**CACHES["lti"], "KEY_PREFIX": "sessions"}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "sessions"
LTI_IFRAME_SESSIONS = envbool("LTI_IFRAME_SESSIONS", False)
if LTI_IFRAME_SESSIONS:  # SameSite=None cookies, which browsers keep over HTTPS only
    if not (SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE):
        raise ImproperlyConfigured("LTI_IFRAME_SESSIONS needs secure cookies")
    SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "None"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # django-axes says at INFO what it does at every sign-in; failures and
        # lockouts come at WARNING.
        "axes": {"level": "WARNING"},
    },
}
