from django.apps import AppConfig


class WatchConfig(AppConfig):
    name = "watch"
    verbose_name = "Watch"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the change-log receiver)
