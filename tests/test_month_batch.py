"""The month-start batch makes every missing PDF of a month, once, even when re-run."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from realisa.choices import VersionReason
from realisa.documents import batch
from realisa.documents.models import CertificateVersion
from realisa.documents.services import generate_version
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
    assert batch.run(MARCH) == 4
    assert batch.missing(MARCH) == []
    made = CertificateVersion.objects.filter(certificate_id__in=march)
    assert made.count() == 4
    assert {v.reason for v in made} == {VersionReason.ENTRY, VersionReason.CERTIFICATION}
    assert CertificateVersion.objects.filter(certificate__month=date(2026, 4, 1)).count() == 0


def test_an_interrupted_batch_run_again_makes_each_pdf_once(march: list[int]) -> None:
    assert batch.generate_missing(march[0]) is True  # the first chunk got this far
    assert batch.generate_missing(march[0]) is False
    assert batch.run(MARCH) == 3
    assert batch.run(MARCH) == 0
    for pk in march:
        assert CertificateVersion.objects.filter(certificate_id=pk).count() == 1


def test_the_command_takes_a_month(march: list[int], capsys: pytest.CaptureFixture[str]) -> None:
    call_command("generate_month_pdfs", "2026-03")
    assert "4 certificat(s) de 03/2026 sans PDF" in capsys.readouterr().out
    with pytest.raises(CommandError, match="n'est pas un mois"):
        call_command("generate_month_pdfs", "mars")
