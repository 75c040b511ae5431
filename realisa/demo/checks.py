"""The demo mode never on a host others can reach: its mailbox shows every code and every
password link, and its accounts share one published password."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error

from realisa.lib.client_ip import parse_address

LOCAL_NAMES = {"localhost", "testserver"}  # testserver: Django's test client


def is_local(host: str) -> bool:
    """Whether the ALLOWED_HOSTS entry ``host`` names only the machine itself: localhost and
    its sub-domains (``.localhost``, ``*.localhost``, RFC 6761), a loopback address."""
    name = host.strip().lower().rstrip(".")
    if name in LOCAL_NAMES or name.endswith(".localhost"):
        return True
    address = parse_address(name)
    return address is not None and address.is_loopback


def demo_on_local_hosts_only(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """An error when REALISA_DEMO is on and ALLOWED_HOSTS names another host, whatever
    DEBUG says (the hosts are checked, not the Host header of some request)."""
    public = [host for host in settings.ALLOWED_HOSTS if not is_local(host)]
    if not settings.DEMO_MODE or not public:
        return []
    return [
        Error(
            "Le mode démonstration (REALISA_DEMO) est refusé sur un hôte accessible à "
            f"d'autres machines : ALLOWED_HOSTS contient {', '.join(public)}.",
            hint="Servez la démonstration sur 127.0.0.1 ou localhost (make demo), ou retirez "
            "REALISA_DEMO : sa boîte mail montre à tous les codes et les liens de mot de passe.",
            id="demo.E001",
        )
    ]
