from django.apps import AppConfig


class LtiConfig(AppConfig):
    name = "tutor.lti"
    label = "lti"
    verbose_name = "LTI 1.3"

    def ready(self) -> None:
        from tutor.lti import receivers  # noqa: F401 - connects the receivers
