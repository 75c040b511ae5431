"""« Mes dossiers » as its table lists them: a page of dossiers with what each row shows.

The list is every role's first page, so each page costs two queries whatever the number
of dossiers: the count, and the page's dossiers joined to their beneficiary (and to their
organisation, for the roles whose table has that column). The page is read in the order
of the dossier's list indexes (``Dossier.Meta``).
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator

from realisa.dossiers.models import Dossier, DossierQuerySet

PAGE_SIZE = 20


def dossier_page(
    dossiers: DossierQuerySet, page_number: str | None, *, organisation: bool
) -> Page[Dossier]:
    """Page ``page_number`` of ``dossiers`` (already scoped and searched), each dossier with
    its beneficiary, and its organisation when ``organisation`` (the table shows its name)."""
    related = ["beneficiary", "organisation"] if organisation else ["beneficiary"]
    return Paginator(dossiers.select_related(*related), PAGE_SIZE).get_page(page_number)
