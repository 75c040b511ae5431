from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "realisa.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        # Imported for its @subscribe decorator: the deliveries follow the audit events.
        from realisa.webhooks import handlers  # noqa: F401
