from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yiwang.core"
    label = "core"
    verbose_name = "平台内核"

    def ready(self) -> None:
        # Registers the calendar tables with the audit chain.
        from yiwang.core import calendar  # noqa: F401
