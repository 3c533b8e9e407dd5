"""WSGI entry point (gunicorn tutor.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutor.settings")

application = get_wsgi_application()

# Before the first request, in the process's main thread (gunicorn's worker,
# or runserver before it listens): see tutor/warm.py.
from tutor.warm import return_freed_memory, warm_pages, warm_web_process  # noqa: E402

return_freed_memory()
warm_web_process()
warm_pages(application)

# What the warm-up imported lives as long as the process: kept out of the
# garbage collector's passes, it is never written to by them, so the workers
# gunicorn forks from a preloaded master keep sharing its pages.
gc.freeze()
