"""The oracle of the funder's computed statuses: each month of a dossier and its status, as
the organisation's table computes it from the dossier's rows (``status.month_status``).
The dashboard's SQL and the months' summary are compared with it."""

from __future__ import annotations

from datetime import date

from realisa.certificates.lifecycle import breaks_of, paid_periods
from realisa.certificates.status import month_status
from realisa.choices import MonthStatus
from realisa.dossiers.models import Dossier


def statuses_by_the_rules(dossier_id: int, today: date) -> dict[date, MonthStatus]:
    dossier = Dossier.objects.get(pk=dossier_id)
    stored = {c.month: c.status for c in dossier.certificates.all()}
    payments, breaks = paid_periods(dossier), breaks_of(dossier)
    return {
        period.month: month_status(
            period, today=today, payments=payments, stored=stored.get(period.month), breaks=breaks
        )
        for period in dossier.months(held=stored)
    }
