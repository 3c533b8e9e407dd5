"""WSGI entry point (gunicorn tutor.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutor.settings")

application = get_wsgi_application()

# Before the first request, in the process's main thread (gunicorn's worker,
# or runserver before it listens): see tutor/warm.py.
from tutor.warm import warm_web_process  # noqa: E402 - needs Django set up

warm_web_process()
