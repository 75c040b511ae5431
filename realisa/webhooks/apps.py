from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "realisa.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        # Imported for their decorators: the deliveries follow the audit events (@subscribe),
        # and the deployment check of the secrets' key (@register).
        from realisa.webhooks import checks, handlers  # noqa: F401
