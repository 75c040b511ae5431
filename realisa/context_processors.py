"""What every page's layout reads: the funder's name, the demo banner, the navigation."""

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
        ("Journal", "funder:journal"),
        ("Administration", "admin:index"),
    ],
    Role.OF_ADMIN: [
        ("Mes dossiers", "dossiers:list"),
        ("Importer des heures", "certificates:hours_import"),
        ("Certifier en lot", "certificates:batch_new"),
        ("Votre identité", "organisations:identity"),
        ("Utilisateurs", "organisations:members"),
    ],
    Role.OF_USER: [
        ("Mes dossiers", "dossiers:list"),
        ("Importer des heures", "certificates:hours_import"),
        ("Certifier en lot", "certificates:batch_new"),
    ],
    Role.BENEFICIARY: [("Mes dossiers", "dossiers:list"), ("Mes certificats", "certificates:mine")],
    Role.EMPLOYER: [
        ("Dossiers de mes salariés", "dossiers:list"),
        ("Mes certificats", "certificates:mine"),
    ],
}


# The roles the API serves (docs/api.md): an organisation's software enters the hours and
# certifies them (its admin also registers webhooks); the funder's system reads the feed,
# transmits and records payments. A beneficiary's or an employer's token could only read
# the dossiers and PDFs their pages already show, so « Jetons d'API » is not theirs.
API_ROLES = frozenset({Role.AGENT, Role.OF_ADMIN, Role.OF_USER})
TOKENS = ("Jetons d'API", "tokens:list")  # « Mon compte »: the person's own API tokens


def links_of(user: Any) -> list[tuple[str, str]]:
    """The pages of the navigation that ``user``'s role can use, by label and URL name."""
    if not (user.is_authenticated and user.is_active):
        return []
    links = NAVIGATION.get(user.role, [])
    return [*links, TOKENS] if user.role in API_ROLES else links


def portal(request: HttpRequest) -> dict[str, Any]:
    """What every page shows: the funder, the demo banner, the navigation of the role."""
    links = links_of(request.user)
    navigation = []
    for label, name in links:
        url = reverse(name)
        navigation.append({"label": label, "url": url, "current": request.path.startswith(url)})
    return {
        "funder_name": settings.FUNDER_NAME,
        "demo_mode": settings.DEMO_MODE,
        "navigation": navigation,
    }
