"""``retimestamp_documents``: a new document time-stamp before the old one expires, stored
as the certificate's next version, which the file check and the offline validator accept."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader

from bench.loopback_tsa import LoopbackTSA
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.audit.models import AuditEvent
from realisa.choices import VersionReason
from realisa.documents.models import CertificateVersion
from realisa.documents.seal_ltv import long_term_check, retimestamp, timestamp_expiry
from realisa.documents.sealing import LEVEL_B_LTA, seal_pdf
from realisa.documents.sealing_keys import timestamper
from realisa.documents.services import about, new_reference
from realisa.funder.stored_files import check_files
from tests.documents.conftest import make_certificate
from tests.tsa import loopback_tsa, use_loopback_tsa

__all__ = ["loopback_tsa"]  # the session fixture, imported to be found

TEN_YEARS = 365 * 10


def sealed_version(pdf: bytes) -> CertificateVersion:
    """A certificate's version 1: ``pdf`` sealed, stored, its SHA-256 in the chain."""
    certificate = make_certificate()
    sealed = seal_pdf(pdf, appearance=None, reason="Essai", organisation="Formapro Est").pdf
    version = CertificateVersion(
        certificate=certificate,
        number=1,
        reference=new_reference(),
        sha256=hashlib.sha256(sealed).hexdigest(),
        reason=VersionReason.CERTIFICATION,
        status=certificate.status,
        centre_minutes=certificate.centre_minutes,
        internship_minutes=certificate.internship_minutes,
        absence_minutes=certificate.absence_minutes,
        created_at=timezone.now(),
    )
    version.file.save("certificat.pdf", ContentFile(sealed), save=False)
    version.save()
    record(EventType.PDF_SEALED, obj=certificate, payload=about(version))
    return version


def test_a_b_lt_seal_renewed_is_b_lta_and_lasts_longer(
    settings: Any, loopback_tsa: LoopbackTSA, pdf: bytes
) -> None:
    use_loopback_tsa(settings, loopback_tsa, archival=False)
    lt = seal_pdf(pdf, appearance=None, reason="Essai", organisation="Formapro Est").pdf

    renewed = retimestamp(lt, timestamper(loopback_tsa.url, 2))

    reader = PdfFileReader(io.BytesIO(renewed))
    assert len(reader.embedded_timestamp_signatures) == 1
    check = long_term_check(renewed)
    assert check.ok and check.ltv and check.level == LEVEL_B_LTA
    assert timestamp_expiry(renewed) > timezone.now() + timedelta(days=365 * 29)


@pytest.mark.django_db
def test_without_confirm_the_command_only_lists(pdf: bytes) -> None:
    version = sealed_version(pdf)  # B-B: its seal expires in 10 years
    out = io.StringIO()

    call_command("retimestamp_documents", "--margin-days", str(TEN_YEARS + 1), stdout=out)

    assert f"À horodater : {version.reference} (version 1)" in out.getvalue()
    assert CertificateVersion.objects.count() == 1
    out = io.StringIO()
    call_command("retimestamp_documents", stdout=out)  # a year's margin: not due
    assert "0 document à horodater, 0 horodaté, 0 échec." in out.getvalue()


@pytest.mark.django_db
def test_confirm_stores_a_new_version_that_the_file_check_accepts(
    settings: Any, loopback_tsa: LoopbackTSA, pdf: bytes
) -> None:
    old = sealed_version(pdf)
    use_loopback_tsa(settings, loopback_tsa, archival=True)
    margin = str(TEN_YEARS + 1)

    call_command(
        "retimestamp_documents", "--margin-days", margin, "--confirm", stdout=io.StringIO()
    )

    new = CertificateVersion.objects.get(certificate=old.certificate, number=2)
    with new.file.open("rb") as stored:
        data = stored.read()
    assert new.sha256 == hashlib.sha256(data).hexdigest() != old.sha256
    assert (new.reason, new.centre_minutes) == (old.reason, old.centre_minutes)
    assert long_term_check(data).ok and long_term_check(data).level == LEVEL_B_LTA
    event = AuditEvent.objects.get(action=EventType.PDF_RETIMESTAMPED)
    assert event.payload["renews"] == old.reference and event.payload["sha256"] == new.sha256
    assert check_files().faults == []
    out = io.StringIO()  # the new version's time-stamp lasts 30 years: nothing due now
    call_command("retimestamp_documents", "--margin-days", margin, stdout=out)
    assert "0 document à horodater, 0 horodaté, 0 échec." in out.getvalue()


@pytest.mark.django_db
def test_confirm_needs_an_authority(pdf: bytes) -> None:
    with pytest.raises(CommandError, match="SIGNING_TSA_URL est vide"):
        call_command("retimestamp_documents", "--confirm")
