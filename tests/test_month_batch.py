"""The month-start batch makes every missing PDF of a month, once, even when re-run."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F

from realisa.certificates import batch, lifecycle
from realisa.certificates.models import Certificate
from realisa.certificates.tasks import queue_month
from realisa.choices import VersionReason
from realisa.documents import services
from realisa.documents.models import CertificateVersion
from realisa.documents.services import generate_version
from tests.documents.conftest import pdf_text
from tests.factories import CertificateFactory, DossierFactory

MARCH = date(2026, 3, 1)


@pytest.fixture
def march(db: None) -> list[int]:
    certificates = [CertificateFactory(dossier=DossierFactory(), month=MARCH) for _ in range(3)]
    certificates.append(CertificateFactory(dossier=DossierFactory(), month=MARCH, certified=True))
    CertificateFactory(dossier=DossierFactory(), month=date(2026, 4, 1))  # another month
    done = CertificateFactory(dossier=DossierFactory(), month=MARCH)
    generate_version(done, reason=VersionReason.ENTRY, actor=None)
    return [c.pk for c in certificates]


def test_the_batch_makes_each_missing_pdf_of_the_month(march: list[int]) -> None:
    assert batch.missing(MARCH) == march
    assert queue_month(MARCH) == 4
    assert batch.missing(MARCH) == []
    assert not Certificate.objects.filter(month=MARCH, has_pdf=False).exists()
    made = CertificateVersion.objects.filter(certificate_id__in=march)
    assert made.count() == 4
    assert {v.reason for v in made} == {VersionReason.ENTRY, VersionReason.CERTIFICATION}
    assert CertificateVersion.objects.filter(certificate__month=date(2026, 4, 1)).count() == 0


def test_an_interrupted_batch_run_again_makes_each_pdf_once(march: list[int]) -> None:
    assert batch.generate_missing(march[0]) is True  # the first chunk got this far
    assert batch.generate_missing(march[0]) is False
    assert queue_month(MARCH) == 3
    assert queue_month(MARCH) == 0
    for pk in march:
        assert CertificateVersion.objects.filter(certificate_id=pk).count() == 1


def test_the_command_takes_a_month(march: list[int], capsys: pytest.CaptureFixture[str]) -> None:
    call_command("generate_month_pdfs", "2026-03")
    assert "4 certificats de mars 2026 sans PDF" in capsys.readouterr().out
    with pytest.raises(CommandError, match="n'est pas un mois"):
        call_command("generate_month_pdfs", "mars")


def test_the_command_says_how_far_the_batch_is(
    march: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("generate_month_pdfs", "2026-03", "--status")
    assert capsys.readouterr().out == (
        "Lot de mars 2026 : 1 PDF fait sur 5 certificats, 4 en attente.\n"
    )
    assert batch.generate_missing(march[0]) is True
    assert batch.generate_missing(march[1]) is True
    call_command("generate_month_pdfs", "2026-03", "--status")
    assert "3 PDF faits sur 5 certificats, 2 en attente." in capsys.readouterr().out
    assert batch.missing(MARCH) == march[2:]  # --status queued nothing


def test_the_pdf_is_rendered_before_the_lock_and_stored_as_rendered(
    march: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    renders: list[services.Rendered] = []

    def render(certificate: Certificate, **kwargs: Any) -> services.Rendered:
        renders.append(services.render_next(certificate, **kwargs))
        return renders[-1]

    monkeypatch.setattr(batch, "render_next", render)
    assert batch.generate_missing(march[0]) is True
    (rendered,) = renders
    version = CertificateVersion.objects.get(certificate_id=march[0])
    assert (version.number, version.reference) == (1, rendered.reference)
    with version.file.open("rb") as handle:
        assert handle.read() == rendered.pdf


def test_hours_changed_between_the_render_and_the_store_are_those_of_the_pdf(
    db: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    certificate = CertificateFactory(dossier=DossierFactory(), month=MARCH)  # 140 h in centre
    render_next = batch.render_next

    def render_then_change(certificate: Certificate, **kwargs: Any) -> services.Rendered:
        rendered = render_next(certificate, **kwargs)  # the old hours, outside the lock
        Certificate.objects.filter(pk=certificate.pk).update(
            centre_minutes=100 * 60 + 15, version=F("version") + 1
        )
        return rendered

    monkeypatch.setattr(batch, "render_next", render_then_change)
    assert batch.generate_missing(certificate.pk) is True
    version = CertificateVersion.objects.get(certificate=certificate)
    assert (version.number, version.centre_minutes) == (1, 100 * 60 + 15)
    with version.file.open("rb") as handle:
        text = pdf_text(handle.read(), tmp_path)
    assert "pour une durée de 100 heures 15." in text
    assert "140 h" not in text
    assert batch.generate_missing(certificate.pk) is False


def issue(certificate: Certificate, rendered: services.Rendered) -> CertificateVersion:
    """What the batch does once it holds the lock, with a PDF rendered before it."""
    with transaction.atomic():
        locked = lifecycle.locked(certificate)
        return services.generate_version(
            locked, reason=VersionReason.ENTRY, actor=None, rendered=rendered
        )


def test_a_rendered_pdf_is_stored_only_while_it_is_current(db: None) -> None:
    certificate = CertificateFactory(dossier=DossierFactory(), month=MARCH)
    current = services.render_next(certificate)
    first = issue(certificate, current)
    assert first.reference == current.reference
    stale = services.render_next(certificate)  # version 2, from the hours as they are now
    Certificate.objects.filter(pk=certificate.pk).update(
        absence_minutes=90, version=F("version") + 1
    )
    second = issue(certificate, stale)
    assert second.number == 2
    assert second.reference != stale.reference
    assert second.absence_minutes == 90
    assert issue(certificate, stale).number == 3  # a number taken meanwhile: rendered again too


def test_a_pdf_made_meanwhile_by_another_run_is_not_made_again(
    march: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    render_next = batch.render_next

    def render_while_another_run_stores(
        certificate: Certificate, **kwargs: Any
    ) -> services.Rendered:
        rendered = render_next(certificate, **kwargs)
        generate_version(certificate, reason=VersionReason.ENTRY, actor=None)
        return rendered

    monkeypatch.setattr(batch, "render_next", render_while_another_run_stores)
    assert batch.generate_missing(march[0]) is False
    assert CertificateVersion.objects.filter(certificate_id=march[0]).count() == 1
