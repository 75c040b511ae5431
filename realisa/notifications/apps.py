from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    verbose_name = "Notifications"
    name = "realisa.notifications"
    label = "notifications"

    def ready(self) -> None:
        # Imported for its @subscribe decorators: the e-mails follow the audit events.
        from realisa.notifications import handlers  # noqa: F401
