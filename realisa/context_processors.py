from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from realisa.choices import Role

NAVIGATION: dict[str, list[tuple[str, str]]] = {
    Role.AGENT: [
        ("Suivi des certificats", "funder:dashboard"),
        ("Dossiers", "dossiers:list"),
        ("Transmission des heures", "funder:transmissions"),
        ("Contrôle des justificatifs", "funder:review_queue"),
        ("Administration", "admin:index"),
    ],
    Role.OF_ADMIN: [
        ("Mes dossiers", "dossiers:list"),
        ("Votre identité", "organisations:identity"),
        ("Utilisateurs", "organisations:members"),
    ],
    Role.OF_USER: [("Mes dossiers", "dossiers:list")],
    Role.BENEFICIARY: [("Mes dossiers", "dossiers:list"), ("Mes certificats", "certificates:mine")],
    Role.EMPLOYER: [
        ("Dossiers de mes salariés", "dossiers:list"),
        ("Mes certificats", "certificates:mine"),
    ],
}


def portal(request: HttpRequest) -> dict[str, Any]:
    """What every page shows: the funder, the demo banner, the navigation of the role."""
    user = request.user
    links = NAVIGATION.get(getattr(user, "role", ""), []) if user.is_authenticated else []
    if user.is_authenticated:  # « Mon compte »: every role's own API tokens
        links = [*links, ("Jetons d'API", "tokens:list")]
    navigation = []
    for label, name in links:
        url = reverse(name)
        navigation.append({"label": label, "url": url, "current": request.path.startswith(url)})
    return {
        "funder_name": settings.FUNDER_NAME,
        "demo_mode": settings.DEMO_MODE,
        "navigation": navigation,
    }
