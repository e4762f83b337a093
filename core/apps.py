from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The bottom layer. An app only for its one table: the files the worker generates (core/generated.py)."""

    name = "core"
    verbose_name = "Groeiwijzer (basis)"
