"""The code of certification 2: one test per rule, with the clock moved."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest

from realisa.audit.models import AuditEvent
from realisa.certificates import codes
from realisa.certificates.lifecycle import AlreadyDone
from realisa.certificates.models import Certificate, OneTimeCode, OnlineSuspension
from realisa.certificates.online import OnlineRefused, certify_online, request_code
from realisa.choices import CodeVoidReason, MonthStatus
from realisa.notifications.models import OutboxEmail
from tests.conftest import World
from tests.online.conftest import HOUR, IP, TOTALS, Hours, enter, web

pytestmark = pytest.mark.django_db


def send(certificate: Certificate, world: World) -> codes.IssuedCode:
    return request_code(certificate, actor=world.of_user, request=web(world.of_user))


def type_code(certificate: Certificate, world: World, code: str) -> Certificate:
    return certify_online(certificate, code, actor=world.of_user, request=web(world.of_user))


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10_000:04d}"


def test_a_code_is_four_digits_e_mailed_and_stored_only_as_an_hmac(
    ready: World, entered: Certificate
) -> None:
    issued = send(entered, ready)

    assert re.fullmatch(r"\d{4}", issued.code)
    row = OneTimeCode.objects.get()
    assert issued.code not in row.code_hmac and len(row.code_hmac) == 64
    assert row.sent_to == ready.of_user.email
    assert row.version_sha256 == entered.versions.get().sha256
    email = OutboxEmail.objects.get(kind="online_code")
    assert email.to == [ready.of_user.email]
    assert issued.code in email.body_text and "Attention code valable ¼ d'heure" in email.body_text
    assert issued.code not in email.subject


def test_the_right_code_within_15_minutes_certifies_online(
    ready: World, entered: Certificate, clock: Any
) -> None:
    issued = send(entered, ready)
    clock.shift(timedelta(minutes=14, seconds=59))

    certificate = type_code(entered, ready, issued.code)

    assert certificate.status == MonthStatus.CERTIFIED
    assert certificate.certification_method == "online"
    assert certificate.certified_by == ready.of_user and str(certificate.certified_ip) == IP


def test_a_code_expires_after_15_minutes(ready: World, entered: Certificate, clock: Any) -> None:
    issued = send(entered, ready)
    clock.shift(timedelta(minutes=15))

    with pytest.raises(OnlineRefused, match="Ce code a expiré : il était valable ¼ d'heure"):
        type_code(entered, ready, issued.code)

    assert OneTimeCode.objects.get().void_reason == CodeVoidReason.EXPIRED
    assert AuditEvent.objects.filter(action="online.code_expired").count() == 1
    assert Certificate.objects.get().status == MonthStatus.ENTERED


def test_a_used_code_cannot_be_replayed(ready: World, entered: Certificate) -> None:
    issued = send(entered, ready)
    type_code(entered, ready, issued.code)

    with pytest.raises(AlreadyDone):
        type_code(entered, ready, issued.code)

    assert OneTimeCode.objects.get().used_at is not None
    assert AuditEvent.objects.filter(action="certificate.certified").count() == 1
    assert entered.versions.count() == 2  # the entry's, then one sealed certification


def test_a_code_is_bound_to_its_certificate(
    ready: World, entered: Certificate, monkeypatch: pytest.MonkeyPatch, clock: Any
) -> None:
    february = enter(ready, month=date(2026, 2, 1), gap_reason="Rattrapage hors calendrier")
    digits = iter(["1111", "2222"])
    monkeypatch.setattr(codes, "new_code", lambda: next(digits))
    february_code = send(february, ready).code
    send(entered, ready)

    with pytest.raises(OnlineRefused, match="Code erroné"):
        type_code(entered, ready, february_code)  # February's code typed on March

    assert Certificate.objects.get(pk=entered.pk).status == MonthStatus.ENTERED
    assert type_code(february, ready, february_code).status == MonthStatus.CERTIFIED
    same = [codes.code_digest(1, certificate, "a" * 64, "1234") for certificate in (1, 2)]
    assert same[0] != same[1]


def test_three_wrong_tries_void_the_code_and_the_fourth_fails(
    ready: World, entered: Certificate
) -> None:
    issued = send(entered, ready)
    messages = []
    for _ in range(3):
        with pytest.raises(OnlineRefused) as refused:
            type_code(entered, ready, wrong(issued.code))
        messages.append(refused.value.message)

    with pytest.raises(OnlineRefused, match="Aucun code de vérification n'est en cours"):
        type_code(entered, ready, issued.code)  # the right code, on the 4th try

    assert messages[0] == "Code erroné. Il vous reste 2 essais pour ce code."
    assert messages[1] == "Code erroné. Il vous reste 1 essai pour ce code."
    assert messages[2].startswith("Code erroné : trois essais erronés")
    code = OneTimeCode.objects.get()
    assert (code.attempts, code.void_reason) == (3, CodeVoidReason.TOO_MANY_ATTEMPTS)
    assert AuditEvent.objects.filter(action=codes.WRONG_CODE).count() == 3


def test_codes_are_sent_30_seconds_apart_at_most_3_an_hour(
    ready: World, entered: Certificate, clock: Any
) -> None:
    first = send(entered, ready)
    with pytest.raises(OnlineRefused, match="attendez 30 secondes"):
        send(entered, ready)
    clock.shift(timedelta(seconds=30))
    send(entered, ready)
    clock.shift(timedelta(seconds=30))
    third = send(entered, ready)
    clock.shift(timedelta(minutes=10))
    with pytest.raises(OnlineRefused, match=r"Trois codes ont déjà été envoyés .* à 10:00"):
        send(entered, ready)
    clock.shift(timedelta(minutes=49))  # one hour after the first code
    send(entered, ready)

    assert OneTimeCode.objects.count() == 4
    assert AuditEvent.objects.filter(action="online.code_request_refused").count() == 2
    assert first.record.pk != third.record.pk


def test_a_new_code_voids_the_previous_one(ready: World, entered: Certificate, clock: Any) -> None:
    old = send(entered, ready)
    clock.shift(timedelta(seconds=30))
    new = send(entered, ready)

    old.record.refresh_from_db()
    assert old.record.void_reason == CodeVoidReason.REPLACED
    if old.code != new.code:
        with pytest.raises(OnlineRefused, match="Code erroné"):
            type_code(entered, ready, old.code)
    assert type_code(entered, ready, new.code).status == MonthStatus.CERTIFIED


def test_hours_changed_after_sending_void_the_code(ready: World, entered: Certificate) -> None:
    issued = send(entered, ready)
    enter(ready, version=1, hours=Hours(centre=19 * HOUR, internship=7 * HOUR, absence=2 * HOUR))

    with pytest.raises(OnlineRefused, match="Les heures ont été modifiées depuis l'envoi"):
        type_code(entered, ready, issued.code)

    assert OneTimeCode.objects.get().void_reason == CodeVoidReason.HOURS_CHANGED
    assert Certificate.objects.get().status == MonthStatus.ENTERED


def _fail_three_times(certificate: Certificate, world: World) -> None:
    issued = send(certificate, world)
    for _ in range(3):
        with pytest.raises(OnlineRefused):
            type_code(certificate, world, wrong(issued.code))


def test_ten_wrong_codes_in_24_hours_suspend_the_user_until_an_agent_lifts_it(
    ready: World, entered: Certificate, clock: Any
) -> None:
    for _ in range(3):  # 9 wrong codes, three codes 30 s apart
        _fail_three_times(entered, ready)
        clock.shift(timedelta(seconds=30))
    clock.shift(timedelta(hours=1))
    issued = send(entered, ready)
    with pytest.raises(
        OnlineRefused, match="votre certification 100 % dématérialisée est suspendue"
    ):
        type_code(entered, ready, wrong(issued.code))  # the 10th

    suspension = OnlineSuspension.objects.get()
    assert suspension.user == ready.of_user and suspension.is_active
    alert = OutboxEmail.objects.get(kind="online_suspended")
    assert alert.to == ["certificats@transitionspro-ge.localhost"]
    clock.shift(timedelta(seconds=30))
    with pytest.raises(OnlineRefused, match="suspendue"):
        send(entered, ready)
    with pytest.raises(OnlineRefused, match="suspendue"):
        type_code(entered, ready, issued.code)  # even the right code

    codes.lift_suspension(suspension, actor=ready.agent, request=None)
    assert type_code(entered, ready, send(entered, ready).code).status == MonthStatus.CERTIFIED
    assert AuditEvent.objects.filter(action="online.suspension_lifted").count() == 1


def test_wrong_codes_older_than_24_hours_do_not_count(
    ready: World, entered: Certificate, clock: Any
) -> None:
    for _ in range(3):
        _fail_three_times(entered, ready)
        clock.shift(timedelta(seconds=30))
    clock.shift(timedelta(hours=24))
    issued = send(entered, ready)
    with pytest.raises(OnlineRefused, match="Il vous reste 2 essais"):
        type_code(entered, ready, wrong(issued.code))

    assert not OnlineSuspension.objects.exists()


def test_every_request_send_failure_and_success_is_audited_with_ip_and_browser(
    ready: World, entered: Certificate
) -> None:
    issued = send(entered, ready)
    with pytest.raises(OnlineRefused):
        type_code(entered, ready, wrong(issued.code))
    type_code(entered, ready, issued.code)

    actions = [
        "online.code_requested",
        "online.code_sent",
        codes.WRONG_CODE,
        "online.code_verified",
        "certificate.certified",
    ]
    events = AuditEvent.objects.filter(action__in=actions).order_by("id")
    assert [event.action for event in events] == actions
    assert {(event.ip, event.user_agent) for event in events} == {
        (IP, "Mozilla/5.0 (test) Firefox/128.0")
    }
    assert events.get(action="online.code_verified").payload["tries"] == 2
    assert TOTALS.centre == entered.centre_minutes
