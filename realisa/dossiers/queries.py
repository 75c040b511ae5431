"""« Mes dossiers » as its table lists them: a page of rows holding what the table prints.

The list is every role's first page. Its rows are read with ``values()``, the columns the
table shows, in the order of the dossier's list indexes (``Dossier.Meta``): two queries
a page (the count and the rows), whatever the number of dossiers. Model instances of the
dossier and its beneficiary, every column of both, took as long again as the query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F

from realisa.dossiers.models import DossierQuerySet, formal_name, short_dates

PAGE_SIZE = 20


@dataclass(frozen=True)
class DossierRow:
    """One dossier as the table lists it."""

    number: str
    training_title: str
    start_date: date
    end_date: date
    civility: str  # the beneficiary's
    first_name: str
    last_name: str
    organisation_name: str = ""  # only for the roles whose table has the column

    @property
    def beneficiary(self) -> str:
        """« Mme Julie MARTIN »."""
        return formal_name(self.civility, self.first_name, self.last_name)

    @property
    def dates(self) -> str:
        """« du 05/01/2026 au 26/06/2026 »."""
        return short_dates(self.start_date, self.end_date)


def dossier_page(
    dossiers: DossierQuerySet, page_number: str | None, *, organisation: bool
) -> Page[DossierRow]:
    """Page ``page_number`` of ``dossiers`` (already scoped and searched) as ``DossierRow``s,
    with the organisation's name when ``organisation``."""
    columns = {
        "civility": F("beneficiary__civility"),
        "first_name": F("beneficiary__first_name"),
        "last_name": F("beneficiary__last_name"),
        **({"organisation_name": F("organisation__name")} if organisation else {}),
    }
    rows = dossiers.values("number", "training_title", "start_date", "end_date", **columns)
    page: Page[Any] = Paginator(rows, PAGE_SIZE).get_page(page_number)
    page.object_list = [DossierRow(**row) for row in page.object_list]
    return page
