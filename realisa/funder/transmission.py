"""« Transmission des heures »: the funder sends the ready months on for payment.

A month is ready when certified on paper (certification 1) or, certified online
(certification 2), once validated by the beneficiary. ``create_transmission`` locks the
selected months, writes the batch with its CSV and JSON files, and moves each month to
« Transmis » through ``mark_transmitted``, the one function that writes that status.
The same selection submitted twice gives back the first batch; a month already
transmitted is refused, and the database's unique key on ``TransmissionLine.certificate``
holds even if some code forgot to check.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format

from realisa.api import webhooks
from realisa.audit.log import record
from realisa.certificates.models import Certificate
from realisa.choices import CertificationMethod, MonthStatus
from realisa.funder.exports import transmission_csv, transmission_json
from realisa.funder.models import Transmission, TransmissionLine

READY = Q(status=MonthStatus.CERTIFIED, certification_method=CertificationMethod.PAPER) | Q(
    status=MonthStatus.VALIDATED
)


class TransmissionRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def ready_certificates() -> QuerySet[Certificate]:
    """The months ready to transmit, by organisation, dossier and month."""
    return (
        Certificate.objects.filter(READY)
        .select_related("dossier__organisation", "dossier__beneficiary")
        .order_by("dossier__organisation__name", "dossier__number", "month")
    )


def is_ready(certificate: Certificate) -> bool:
    if certificate.status == MonthStatus.VALIDATED:
        return True
    return (
        certificate.status == MonthStatus.CERTIFIED
        and certificate.certification_method == CertificationMethod.PAPER
    )


def batch_key(certificate_ids: Iterable[int]) -> str:
    return hashlib.sha256(",".join(str(i) for i in sorted(certificate_ids)).encode()).hexdigest()


def mark_transmitted(certificate: Certificate, *, at: datetime) -> None:
    """The transition ready → « Transmis ». The caller holds the row's lock."""
    certificate.status = MonthStatus.TRANSMITTED
    certificate.transmitted_at = at
    certificate.version += 1
    certificate.save(update_fields=["status", "transmitted_at", "version"])
    webhooks.emit("certificate.transmitted", certificate)


def _label(certificate: Certificate) -> str:
    return f"{certificate.dossier.number} ({date_format(certificate.month, 'F Y')})"


def _locked(ids: list[int]) -> list[Certificate]:
    return list(
        Certificate.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("dossier__organisation", "dossier__beneficiary")
        .order_by("dossier__organisation__name", "dossier__number", "month", "pk")
    )


def create_transmission(
    certificate_ids: Iterable[int], *, actor: Any, request: HttpRequest | None = None
) -> tuple[Transmission, bool]:
    """Transmit the selected months in one batch; (batch, created). Creating the same
    selection again returns the existing batch with ``created`` false."""
    ids = sorted(set(certificate_ids))
    if not ids:
        raise TransmissionRefused("Sélectionnez au moins un mois à transmettre.")
    key = batch_key(ids)
    with transaction.atomic():
        certificates = _locked(ids)
        existing = Transmission.objects.filter(key=key).first()
        if existing is not None:
            return existing, False
        if len(certificates) != len(ids):
            raise TransmissionRefused("Un des mois sélectionnés n'existe plus.")
        refused = [c for c in certificates if not is_ready(c)]
        if refused:
            names = ", ".join(_label(c) for c in refused)
            raise TransmissionRefused(
                f"Ces mois ne sont pas prêts à transmettre ou ont déjà été transmis : {names}."
            )
        now = timezone.now()
        for certificate in certificates:
            mark_transmitted(certificate, at=now)
        csv_data = transmission_csv(certificates)
        json_data = transmission_json(certificates, created_at=now)
        transmission = Transmission.objects.create(
            key=key,
            created_at=now,
            created_by=actor,
            line_count=len(certificates),
            csv_data=csv_data,
            csv_sha256=hashlib.sha256(csv_data).hexdigest(),
            json_data=json_data,
            json_sha256=hashlib.sha256(json_data).hexdigest(),
        )
        TransmissionLine.objects.bulk_create(
            TransmissionLine(transmission=transmission, certificate=c) for c in certificates
        )
        record(
            "transmission.created",
            actor=actor,
            obj=transmission,
            payload={
                "months": len(certificates),
                "csv_sha256": transmission.csv_sha256,
                "json_sha256": transmission.json_sha256,
            },
            request=request,
        )
        for certificate in certificates:
            record(
                "certificate.transmitted",
                actor=actor,
                obj=certificate,
                payload={"transmission": transmission.pk},
                request=request,
            )
    return transmission, True
