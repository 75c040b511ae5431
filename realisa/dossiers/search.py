"""The dossier search of every list: « Mes dossiers », the funder's month list and ready list."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from realisa.dossiers.models import Beneficiary, Dossier
from realisa.organisations.models import Organisation

WORDS = 8  # a search reads at most this many words


def dossier_search(text: str, path: str = "", *, organisation: bool = True) -> Q:
    """Each word of ``text`` matches one of the dossier's searchable fields: its number, the
    beneficiary's names and, with ``organisation``, the organisation's name or SIRET (which
    an organisation's own list does not need). ``path`` leads from the list's model to the
    dossier (« dossier__ » from a certificate).

    Each word's dossiers are found from each table on its own (on PostgreSQL, from the
    trigram indexes of migration dossiers 0006), as one union of dossier ids: the database
    then reads those few dossiers, rather than joining every dossier to its beneficiary and
    organisation to test each one (1.3 s at 100,000 dossiers; docs/performance.md)."""
    dossier = f"{path[:-2]}__in" if path else "pk__in"
    where = Q()
    for word in text.split()[:WORDS]:
        named = Beneficiary.objects.filter(
            Q(last_name__icontains=word) | Q(first_name__icontains=word)
        )
        ids = _ids(number__icontains=word).union(_ids(beneficiary__in=named))
        if organisation:
            digits = word.replace(".", "")
            found = Organisation.objects.filter(
                Q(name__icontains=word) | Q(siret__startswith=digits)
            )
            ids = ids.union(_ids(organisation__in=found))
        where &= Q(**{dossier: ids})
    return where


def _ids(**lookup: Any) -> QuerySet[Dossier, Any]:
    """The ids of the dossiers found by ``lookup``, unordered: a part of a union."""
    return Dossier.objects.filter(**lookup).order_by().values("pk")
