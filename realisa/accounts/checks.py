"""``SECRET_KEY`` is required in production: it signs the sessions, the password links and
the invitations, and derives the keys that have no variable of their own. A key generated
into the data folder is for the demo and development only; it would change with a new
data folder and differ from one web host to the next."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error


def secret_key_required(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.SECRET_KEY_GENERATED or settings.DEBUG or settings.DEMO_MODE:
        return []
    return [
        Error(
            "SECRET_KEY n'est pas défini : une clé générée dans le dossier de données ne sert "
            "qu'à la démonstration (REALISA_DEMO) et au développement (DEBUG).",
            hint="Définissez SECRET_KEY (ou SECRET_KEY_FILE) : 50 caractères aléatoires au "
            "moins, les mêmes sur tous les hôtes, conservés avec les sauvegardes (voir README).",
            id="accounts.E001",
        )
    ]
