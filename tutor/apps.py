from django.apps import AppConfig


class TutorConfig(AppConfig):
    name = "tutor"
    verbose_name = "Tutor"

    def ready(self) -> None:
        from tutor import receivers  # noqa: F401 - connects mastery and code review
        from tutor.celery import ensure_filesystem_broker

        ensure_filesystem_broker()
