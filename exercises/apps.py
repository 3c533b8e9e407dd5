from django.apps import AppConfig


class ExercisesConfig(AppConfig):
    name = "exercises"
    verbose_name = "Course content and grading"

    def ready(self) -> None:
        from exercises import roles

        roles.connect()
