"""The dossier search of every list: « Mes dossiers », the funder's month list and ready list."""

from __future__ import annotations

from django.db.models import Q

WORDS = 8  # a search reads at most this many words


def dossier_search(text: str, path: str = "", *, organisation: bool = True) -> Q:
    """Each word of ``text`` matches one of the dossier's searchable fields: its number, the
    beneficiary's names and, with ``organisation``, the organisation's name or SIRET (which
    an organisation's own list does not need). ``path`` leads from the list's model to the
    dossier (« dossier__ » from a certificate)."""
    where = Q()
    for word in text.split()[:WORDS]:
        match = (
            Q(**{f"{path}number__icontains": word})
            | Q(**{f"{path}beneficiary__last_name__icontains": word})
            | Q(**{f"{path}beneficiary__first_name__icontains": word})
        )
        if organisation:
            digits = word.replace(".", "")
            match |= Q(**{f"{path}organisation__name__icontains": word}) | Q(
                **{f"{path}organisation__siret__startswith": digits}
            )
        where &= match
    return where
