"""Deployment check: in production, the webhooks' secrets have their own key."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

from realisa.webhooks.cipher import configured_keys

MISSING_KEY = Warning(
    "WEBHOOK_SECRET_KEY n'est pas défini : les secrets des webhooks sont chiffrés avec une "
    "clé dérivée de SECRET_KEY.",
    hint="Définissez WEBHOOK_SECRET_KEY (ou WEBHOOK_SECRET_KEY_FILE), une chaîne longue et "
    "aléatoire gardée à part de la base de données.",
    id="webhooks.W001",
)


@register(Tags.security, deploy=True)
def webhook_secret_key(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG or settings.DEMO_MODE or configured_keys():
        return []
    return [MISSING_KEY]
