"""``seed_demo --scale N``: N generated dossiers, with calendars, hours and states."""

from __future__ import annotations

from datetime import date

import pytest

from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus
from realisa.demo.scale import build_scale
from realisa.dossiers.models import Dossier, PlannedDay

TODAY = date(2026, 11, 27)


@pytest.mark.django_db
def test_scale_creates_n_realistic_dossiers_once() -> None:
    assert build_scale(40, today=TODAY) == 40
    assert build_scale(40, today=TODAY) == 0  # run again: nothing more
    assert build_scale(50, today=TODAY) == 10  # a larger N completes
    dossiers = Dossier.objects.filter(number__startswith="SC-")
    assert dossiers.count() == 50
    for dossier in dossiers:
        days = PlannedDay.objects.filter(dossier=dossier)
        assert days.count() * 7 * 60 == dossier.planned_minutes > 0
        assert all(d.date.weekday() < 5 for d in days)
        for certificate in Certificate.objects.filter(dossier=dossier):
            assert certificate.month <= TODAY
            assert certificate.presence_minutes + certificate.absence_minutes <= (
                dossier.planned_minutes
            )
    statuses = set(Certificate.objects.values_list("status", flat=True))
    assert statuses == {MonthStatus.CERTIFIED, MonthStatus.ENTERED}
