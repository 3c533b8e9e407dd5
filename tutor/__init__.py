"""The Django project and the student's journey through it."""

from tutor.celery import app as celery_app

__all__ = ["celery_app"]
