"""What tests/test_permission_matrix.py needs for the « Jetons d'API » pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from realisa.api.tokens import create_token


def of_admin_token(scene: Any) -> list[Any]:
    """A token of the first organisation's admin: only they may revoke it."""
    token, _ = create_token(
        scene.world.of_admin, name="Logiciel", expires_on=timezone.localdate() + timedelta(days=9)
    )
    return [token.pk]


def new_token(scene: Any) -> dict[str, str]:
    return {
        "name": "Logiciel",
        "expires_on": f"{timezone.localdate() + timedelta(days=30):%Y-%m-%d}",
    }
