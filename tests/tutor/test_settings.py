"""Settings come from the environment and fail loudly on bad values."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # The browser tests allow async-unsafe ORM calls in this process; a
    # production check must not inherit that.
    dropped = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {
        key: value for key, value in os.environ.items() if key not in dropped
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "tutor.example.com",
}


def test_production_settings_pass_the_deploy_check() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_missing_secret_key_is_refused_when_debug_is_off() -> None:
    result = manage("check", DEBUG="False", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_malformed_value_fails_at_start_up() -> None:
    result = manage("check", GRADING_MAX_ATTEMPTS="three", **PRODUCTION)
    assert result.returncode != 0 and "GRADING_MAX_ATTEMPTS='three'" in result.stderr
    result = manage("check", DEBUG="maybe")
    assert result.returncode != 0 and "use True or False" in result.stderr


def test_database_and_broker_come_from_urls() -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.CELERY_BROKER_URL)"
    )
    result = manage(
        "shell",
        "-v0",
        "-c",
        code,
        DATABASE_URL="postgres://u:p@db.example:5432/tutor",
        REDIS_URL="redis://cache.example:6379/2",
        **PRODUCTION,
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "tutor",
        "redis://cache.example:6379/2",
    ]
    default = manage("shell", "-v0", "-c", code, **PRODUCTION).stdout.split()
    assert default[0] == "django.db.backends.sqlite3" and default[2] == "filesystem://"


def test_the_compose_file_runs_one_image_on_the_settings_variables() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "redis", "postgres"} <= services.keys()
    for name, service in services.items():
        assert "image" in service or "build" in service, name
    assert services["worker"]["image"] == services["web"]["image"]
    assert "gunicorn" in services["web"]["command"]
    assert "celery -A tutor worker" in services["worker"]["command"]
    assert "grading" in services["worker"]["command"]
    assert (
        "SYS_ADMIN" in services["worker"]["cap_add"]
    )  # the sandbox sets up namespaces
    assert services["web"]["environment"] == services["worker"]["environment"]
    settings_source = (ROOT / "tutor" / "settings.py").read_text()
    read = set(
        re.findall(r'env(?:bool|int|float|list)?\(\s*"([A-Z_]+)"', settings_source)
    )
    read |= set(re.findall(r'os\.environ\.get\(\s*"([A-Z_]+)"', settings_source))
    for variable in services["web"]["environment"]:
        assert variable in read, (
            f"{variable} is set by compose but not read by settings"
        )
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings_source
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert (
        "collectstatic" in dockerfile and "download.pytorch.org/whl/cpu" in dockerfile
    )


def _gunicorn_settings(**env: str) -> dict[str, str]:
    """The settings gunicorn reads from gunicorn.conf.py (its own parser),
    with WEB_CONCURRENCY only if given."""
    environment = {k: v for k, v in os.environ.items() if k != "WEB_CONCURRENCY"}
    printed = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--print-config"],
        cwd=ROOT, env={**environment, **env}, capture_output=True, text=True,
        timeout=120, check=True,
    ).stdout  # fmt: skip
    return {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in printed.splitlines())
    }


def test_gunicorn_preloads_the_site_with_a_worker_per_core() -> None:
    default = _gunicorn_settings()
    assert default["wsgi_app"] == "tutor.wsgi"
    assert default["preload_app"] == "True"
    assert default["workers"] == str(os.cpu_count())
    assert _gunicorn_settings(WEB_CONCURRENCY="5")["workers"] == "5"
    # The image and the compose file run it with this file.
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert "--config gunicorn.conf.py" in compose["services"]["web"]["command"]
    assert '"--config", "gunicorn.conf.py"' in (ROOT / "Dockerfile").read_text()
