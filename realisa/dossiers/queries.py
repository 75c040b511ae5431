"""« Mes dossiers » as its table lists them: a page of rows read as plain values.

The list is every role's first page. Model instances of the dossier and its beneficiary,
every column of both, cost twice what the query does; the rows carry only what the
table prints (``docs/performance.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator

from realisa.dossiers.models import DossierQuerySet, formal_name, short_dates
from realisa.lib.links import link

PAGE_SIZE = 20


@dataclass(frozen=True)
class DossierRow:
    number: str
    beneficiary: str  # « Mme Julie MARTIN »
    organisation: str  # "" where the table has no such column
    training_title: str
    start_date: date
    end_date: date

    @property
    def url(self) -> str:
        """The dossier's months, as ``Dossier.get_absolute_url``."""
        return link("dossiers:certificates", self.number)

    @property
    def dates(self) -> str:
        return short_dates(self.start_date, self.end_date)


def dossier_page(
    dossiers: DossierQuerySet, page_number: str | None, *, organisation: bool
) -> Page[DossierRow]:
    """Page ``page_number`` of ``dossiers`` (already scoped and searched) as ``DossierRow``s,
    with the organisation's name when ``organisation``."""
    columns = [
        *("number", "training_title", "start_date", "end_date"),
        *("beneficiary__civility", "beneficiary__first_name", "beneficiary__last_name"),
        *(["organisation__name"] if organisation else []),
    ]
    page = Paginator(dossiers.values_list(*columns), PAGE_SIZE).get_page(page_number)
    page.object_list = [
        DossierRow(
            number=number,
            beneficiary=formal_name(civility, first_name, last_name),
            organisation=name[0] if name else "",
            training_title=title,
            start_date=start,
            end_date=end,
        )
        for number, title, start, end, civility, first_name, last_name, *name in page.object_list
    ]
    return page
