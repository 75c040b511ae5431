"""``seed_demo --scale N``: N generated dossiers, with calendars, hours and states."""

from __future__ import annotations

from datetime import date

import pytest

from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus
from realisa.demo.scale import build_scale
from realisa.dossiers.models import Dossier, Payment, PlannedDay
from realisa.organisations.models import Organisation

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
    assert Dossier.objects.filter(organisation__name="Organisme de formation 1").count() >= 3


@pytest.mark.django_db
def test_scale_makes_every_state_and_pays_what_was_transmitted() -> None:
    build_scale(400, today=TODAY, calendars=False)
    statuses = set(Certificate.objects.values_list("status", flat=True))
    assert statuses == {
        MonthStatus.ENTERED,
        MonthStatus.CERTIFIED,
        MonthStatus.VALIDATED,
        MonthStatus.CONTESTED,
        MonthStatus.TRANSMITTED,
    }
    assert Organisation.objects.filter(name__startswith="Organisme de formation").count() == 7
    largest = Dossier.objects.filter(organisation__name="Organisme de formation 1").count()
    assert largest == 400 // 20
    for certificate in Certificate.objects.filter(status=MonthStatus.TRANSMITTED)[:50]:
        paid = Payment.objects.filter(
            dossier=certificate.dossier,
            is_advance=False,
            period_end__gte=certificate.month,
        )
        assert paid.exists() and certificate.transmitted_at is not None
    online = Certificate.objects.filter(certification_method="online", status="validated")
    assert online.exists() and not online.filter(validated_at=None).exists()
