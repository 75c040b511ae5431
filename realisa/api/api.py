"""API v1: one NinjaAPI, its routers, its problem details and its OpenAPI description."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from realisa.api import problems
from realisa.api.auth import TokenAuth
from realisa.api.endpoints import (
    dossiers,
    funder,
    funder_dossiers,
    hours,
    hours_import,
    online,
    paper,
    webhooks,
)

ERROR_TYPE = problems.CONTENT_TYPE


class RealisaApi(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Errors are documented as ``application/problem+json``, as they are sent."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for code, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(code) >= 400 and "application/json" in content:
                        content[ERROR_TYPE] = content.pop("application/json")
        return schema


api = RealisaApi(
    title="Réalisa — API v1",
    version="1",
    description=(
        "Les certificats de réalisation pour les logiciels des organismes de formation et "
        "le système de paiement du financeur. Jeton personnel (« Mon compte » → « Jetons "
        "d'API ») dans l'en-tête `Authorization: Bearer …`. Erreurs : RFC 9457, en français. "
        "Guide et exemple complet : docs/api.md."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)
api.add_router("", dossiers.router)
api.add_router("", hours.router)
api.add_router("", hours_import.router)
api.add_router("", paper.router)
api.add_router("", online.router)
api.add_router("/funder", funder.router)
api.add_router("/funder", funder_dossiers.router)
api.add_router("/webhooks", webhooks.router)
