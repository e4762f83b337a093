from django.apps import AppConfig


class GroeiwijzerConfig(AppConfig):
    """The project as an app: its management commands (`scheduler`) and the task admin."""

    name = "groeiwijzer"

    def ready(self) -> None:
        from core.logging import follow_tasks

        follow_tasks()  # in the tasks worker each task's log lines carry the task's id
