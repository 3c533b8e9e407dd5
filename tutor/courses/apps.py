from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "tutor.courses"
    label = "courses"
    verbose_name = "Courses and assignments"

    def ready(self) -> None:
        from tutor.courses import events  # noqa: F401 - connects the receivers
