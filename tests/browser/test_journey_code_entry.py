"""On a phone, of.user types the code of certification 2 badly: « 12 » is explained next to
the field and costs no try; three wrong codes lock it, and « Demander un nouveau code »
right there e-mails a new one. The demo's month entered for certification 2 is used."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.db.models import F
from django.utils import timezone
from playwright.sync_api import Page, expect

from realisa.certificates.models import OneTimeCode
from realisa.dossiers.periods import shift_month
from realisa.notifications.models import OutboxEmail
from tests.browser.conftest import PHONE, assert_fits_phone, login, visit


def _last_code() -> str:
    email = OutboxEmail.objects.filter(kind="online_code").latest("pk")
    return re.search(r"^(\d{4})$", email.body_text, re.MULTILINE).group(1)  # type: ignore[union-attr]


def test_a_malformed_code_costs_no_try_and_the_lock_offers_a_new_code(
    page: Page, live_server: Any, demo_world: Any
) -> None:
    page.set_viewport_size(PHONE)
    today = timezone.localdate()
    month = shift_month(today.replace(day=1), -2)  # FPE-…-0006's month entered for it
    login(page, live_server, "of.user")
    visit(page, f"{live_server.url}/certificats/FPE-{today.year}-0006/{month.year}/{month.month}/")
    page.get_by_role("link", name="Certifier en 100 % dématérialisé").click()
    page.get_by_role("button", name="Envoyer le code de vérification par email").click()
    page.get_by_role("link", name="Continuer").click()
    field = page.get_by_role("textbox", name="Code de vérification")
    assert field.get_attribute("inputmode") == "numeric"
    assert field.get_attribute("autocomplete") == "one-time-code"

    field.fill("12")
    page.get_by_role("button", name="Valider le code").click()
    expect(page.locator("#id_code_erreur")).to_contain_text(
        "Le code compte 4 chiffres ; vous en avez saisi 2. Cet essai n'est pas compté."
    )
    expect(field).to_have_value("12")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert_fits_phone(page)
    assert OneTimeCode.objects.latest("pk").attempts == 0

    wrong = f"{(int(_last_code()) + 1) % 10_000:04d}"
    for _ in range(3):
        field.fill(wrong)
        page.get_by_role("button", name="Valider le code").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("trois essais erronés, ce code n'est plus valable")
    assert_fits_phone(page)

    # Three tries took a minute: past the 30 seconds between two codes.
    OneTimeCode.objects.update(created_at=F("created_at") - timedelta(minutes=1))
    sent = OutboxEmail.objects.filter(kind="online_code").count()
    alert.get_by_role("button", name="Demander un nouveau code").click()
    expect(page.get_by_role("status").first).to_contain_text("Le code de vérification a été envoyé")
    assert OutboxEmail.objects.filter(kind="online_code").count() == sent + 1
