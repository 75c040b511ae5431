"""enter_hours: who may enter, when, what it stores and what it records."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from realisa.audit.models import AuditEvent
from realisa.certificates.entry import (
    HoursEntry,
    InvalidEntry,
    NotAMember,
    StaleEntry,
    enter_hours,
)
from realisa.certificates.lifecycle import NotNow
from realisa.certificates.models import Certificate
from realisa.certificates.rules import DayHours, Hours
from realisa.choices import MonthStatus
from realisa.dossiers.models import Dossier
from tests.certificates.conftest import HOUR, MARCH, PLANNED_DAYS, make_online_ready
from tests.conftest import World
from tests.factories import CertificateFactory, PaymentFactory

TOTALS = Hours(centre=20 * HOUR, internship=7 * HOUR, absence=HOUR)


def enter(
    dossier: Dossier, actor: Any, *, version: int = 0, month: date = MARCH, **fields: Any
) -> Any:
    entry = HoursEntry(**{"hours": TOTALS, "certifies_entry": True, **fields})
    return enter_hours(dossier, month, actor=actor, entry=entry, expected_version=version)


def grid(*rows: tuple[date, int, int, int]) -> list[DayHours]:
    return [DayHours(day, Hours(c * HOUR, i * HOUR, a * HOUR)) for day, c, i, a in rows]


def test_the_first_entry_creates_the_month_as_entered(world: World, dossier: Dossier) -> None:
    result = enter(dossier, world.of_user)
    certificate = Certificate.objects.get(dossier=dossier, month=MARCH)
    assert certificate == result.certificate
    assert certificate.status == MonthStatus.ENTERED
    assert (certificate.centre_minutes, certificate.internship_minutes) == (1200, 420)
    assert certificate.absence_minutes == 60
    assert certificate.version == 1
    assert certificate.entered_by == world.of_user and certificate.entered_at is not None
    assert certificate.certifies_entry is True
    assert result.warning is None  # 20 + 7 + 1 = 28 h, the plan


def test_saving_records_the_old_and_new_hours(world: World, dossier: Dossier) -> None:
    enter(dossier, world.of_user)
    enter(dossier, world.of_admin, version=1, hours=Hours(centre=18 * HOUR, absence=3 * HOUR))
    first, second = AuditEvent.objects.filter(action="hours.entered").order_by("id")
    assert first.payload["old"] is None
    assert first.payload["new"] == {"centre": 1200, "internship": 420, "absence": 60}
    assert second.payload["old"] == first.payload["new"]
    assert second.payload["new"] == {"centre": 1080, "internship": 0, "absence": 180}
    assert second.payload["version"] == 2 and second.actor == world.of_admin
    assert Certificate.objects.get().version == 2


def test_a_stale_version_is_refused_and_changes_nothing(world: World, dossier: Dossier) -> None:
    enter(dossier, world.of_user)
    with pytest.raises(StaleEntry) as refused:
        enter(dossier, world.of_admin, version=0, hours=Hours(centre=HOUR))
    assert "Ces heures ont été modifiées entre-temps" in refused.value.message
    assert refused.value.certificate is not None and refused.value.certificate.version == 1
    assert Certificate.objects.get().centre_minutes == 20 * HOUR
    assert AuditEvent.objects.filter(action="hours.entered").count() == 1


def test_a_payment_locks_the_month(world: World, dossier: Dossier) -> None:
    PaymentFactory(dossier=dossier, period_start=date(2026, 3, 1), period_end=date(2026, 3, 31))
    with pytest.raises(NotNow) as refused:
        enter(dossier, world.of_user)
    assert refused.value.message == (
        "La saisie n'est plus disponible car des règlements ont été faits dans la période"
    )
    assert not Certificate.objects.exists()


def test_a_payment_locks_even_entered_hours(world: World, dossier: Dossier) -> None:
    enter(dossier, world.of_user)
    PaymentFactory(dossier=dossier, period_start=date(2026, 3, 1), period_end=date(2026, 3, 31))
    with pytest.raises(NotNow):
        enter(dossier, world.of_user, version=1)


def test_an_advance_does_not_lock(world: World, dossier: Dossier) -> None:
    PaymentFactory(
        dossier=dossier, period_start=MARCH, period_end=date(2026, 3, 31), is_advance=True
    )
    assert enter(dossier, world.of_user).certificate.status == MonthStatus.ENTERED


@time_machine.travel(date(2026, 3, 30), tick=False)
def test_a_month_not_yet_open_is_refused(world: World, dossier: Dossier) -> None:
    with pytest.raises(NotNow) as refused:
        enter(dossier, world.of_user)
    assert refused.value.message == (
        "La saisie n'est pas disponible : la saisie de ce mois ouvre le 31/03/2026."
    )


@pytest.mark.parametrize(
    "status",
    [
        MonthStatus.CERTIFIED,
        MonthStatus.VALIDATED,
        MonthStatus.TRANSMITTED,
    ],
)
def test_a_month_past_entry_is_never_changed(
    world: World, dossier: Dossier, status: MonthStatus
) -> None:
    CertificateFactory(dossier=dossier, month=MARCH, status=status, version=3)
    with pytest.raises(NotNow) as refused:
        enter(dossier, world.of_user, version=3)
    assert f"« {status.label} »" in refused.value.message
    assert Certificate.objects.get().status == status


def test_a_month_contested_by_the_beneficiary_can_be_corrected(
    world: World, dossier: Dossier
) -> None:
    CertificateFactory(dossier=dossier, month=MARCH, status=MonthStatus.CONTESTED, version=3)
    certificate = enter(dossier, world.of_user, version=3).certificate
    assert certificate.status == MonthStatus.ENTERED
    assert certificate.version == 4


def test_a_month_outside_the_training_is_refused(world: World, dossier: Dossier) -> None:
    with pytest.raises(NotNow, match="ne fait pas partie de la formation"):
        enter(dossier, world.of_user, month=date(2026, 7, 1))


@pytest.mark.parametrize(
    "role", ["agent", "beneficiary", "employer", "other_of_admin", "other_of_user"]
)
def test_only_the_organisation_members_enter_hours(
    world: World, dossier: Dossier, role: str
) -> None:
    with pytest.raises(NotAMember):
        enter(dossier, world.user(role))
    assert not Certificate.objects.exists()


def test_the_certification_box_is_required(world: World, dossier: Dossier) -> None:
    with pytest.raises(InvalidEntry) as refused:
        enter(dossier, world.of_user, certifies_entry=False)
    assert refused.value.errors == {
        "certifies_entry": "Cochez « Je certifie la saisie des heures » pour valider."
    }


def test_the_ip_consent_is_required_to_certify_online(world: World, dossier: Dossier) -> None:
    make_online_ready(dossier.organisation)
    world.of_user.can_certify = True
    world.of_user.save()
    with pytest.raises(InvalidEntry) as refused:
        enter(dossier, world.of_user)
    assert list(refused.value.errors) == ["accepts_ip_use"]
    assert enter(dossier, world.of_user, accepts_ip_use=True).certificate.accepts_ip_use


def test_totals_above_the_plan_need_a_reason(world: World, dossier: Dossier) -> None:
    """Above the plan is accepted with a « Motif de l'écart » (test_hours_as_they_happen)."""
    with pytest.raises(InvalidEntry) as refused:
        enter(dossier, world.of_user, hours=Hours(centre=29 * HOUR, absence=HOUR))
    assert (
        "la présence du mois (29 h) dépasse le prévu du mois (28 h)"
        in (refused.value.errors["gap_reason"])
    )


def test_without_a_plan_the_totals_are_bounded_by_24_hours_a_day(world: World) -> None:
    dossier = world.dossier  # no planned day: February has 28 days in the training
    with pytest.raises(InvalidEntry, match="24 heures par jour sur 28 jours de la période"):
        enter(dossier, world.of_user, month=date(2026, 2, 1), hours=Hours(centre=673 * HOUR))
    assert enter(dossier, world.of_user, month=date(2026, 2, 1), hours=Hours(centre=600 * HOUR))


def test_totals_below_the_plan_are_saved_with_a_warning(world: World, dossier: Dossier) -> None:
    result = enter(dossier, world.of_user, hours=Hours(centre=20 * HOUR))
    assert result.warning == (
        "Présence + absence = 20 h, soit 8 h de moins que le total prévu du mois (28 h)."
    )


def test_a_paperless_month_stores_its_days_and_sums_them(world: World, paperless: Dossier) -> None:
    days = grid(
        (date(2026, 3, 2), 7, 0, 0),
        (date(2026, 3, 3), 4, 0, 3),
        (date(2026, 3, 4), 7, 0, 0),
        (date(2026, 3, 5), 0, 7, 0),
    )
    certificate = enter(paperless, world.of_user, days=days).certificate
    assert (certificate.centre_minutes, certificate.internship_minutes) == (18 * HOUR, 7 * HOUR)
    assert certificate.absence_minutes == 3 * HOUR
    stored = [(d.date, d.centre_minutes, d.absence_minutes) for d in certificate.days.all()]
    assert stored[1] == (date(2026, 3, 3), 4 * HOUR, 3 * HOUR) and len(stored) == 4


def test_a_correction_replaces_the_days(world: World, paperless: Dossier) -> None:
    enter(paperless, world.of_user, days=grid(*((d, 7, 0, 0) for d in list(PLANNED_DAYS)[:3])))
    enter(paperless, world.of_user, version=1, days=grid((date(2026, 3, 2), 1, 0, 0)))
    certificate = Certificate.objects.get()
    assert [d.date for d in certificate.days.all()] == [date(2026, 3, 2)]
    assert certificate.centre_minutes == HOUR


def test_a_day_outside_the_month_is_refused(world: World, paperless: Dossier) -> None:
    with pytest.raises(InvalidEntry) as refused:
        enter(paperless, world.of_user, days=grid((date(2026, 4, 7), 7, 0, 0)))
    assert refused.value.errors == {
        "day:2026-04-07": "Le 07/04/2026 n'est pas un jour de ce mois pendant la formation "
        "(du 01/03/2026 au 31/03/2026)."
    }


def test_a_day_above_its_plan_is_saved(world: World, paperless: Dossier) -> None:
    certificate = enter(paperless, world.of_user, days=grid((date(2026, 3, 2), 8, 0, 1)))
    assert certificate.certificate.centre_minutes == 8 * HOUR


def test_a_paperless_month_needs_its_days(world: World, paperless: Dossier) -> None:
    with pytest.raises(InvalidEntry, match="Saisissez les heures jour par jour"):
        enter(paperless, world.of_user)
