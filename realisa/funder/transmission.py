"""« Transmission des heures »: the funder sends the ready months on for payment.

A month is ready when certified on paper (certification 1) or, certified online
(certification 2), once validated by the beneficiary. ``create_transmission`` locks the
selected months, writes the batch with its CSV and JSON files, and moves each month to
« Transmis » through the lifecycle (``Event.TRANSMITTED``).
The same selection submitted twice gives back the first batch; a month already
transmitted is refused, and the database's one ``TransmittedMonth`` per month holds even if
some code forgot to check. A month transmitted before, reopened and certified again, is
sent as a correction of its last line (``funder.corrections``).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.formats import date_format

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.certificates import abilities, lifecycle
from realisa.certificates.abilities import facts_of_certificate
from realisa.certificates.lifecycle import Event
from realisa.certificates.models import READY, Certificate
from realisa.choices import MonthStatus
from realisa.funder.corrections import (
    claim,
    corrections_of,
    is_intact,
    line_facts,
    new_lines,
    release,
)
from realisa.funder.exports import transmission_csv, transmission_json
from realisa.funder.models import (
    Transmission,
    TransmissionCancellation,
    TransmissionDownload,
    TransmissionLine,
    TransmittedMonth,
)
from realisa.lib.errors import Conflict, Invalid
from realisa.organisations.models import Organisation


class TransmissionRefused(Conflict):
    """The selection cannot be transmitted (empty, gone, not ready)."""


def ready_certificates(
    *, organisation: Organisation | None = None, month: date | None = None, number: str = ""
) -> QuerySet[Certificate]:
    """The months ready to transmit, the oldest month first; those of one
    organisation, one month or dossiers whose number holds ``number`` when given. Each
    says whether it was transmitted before (``was_transmitted``: its line will correct)."""
    sent = TransmittedMonth.objects.filter(certificate=OuterRef("pk"))
    certificates = Certificate.objects.filter(READY).annotate(was_transmitted=Exists(sent))
    if organisation is not None:
        certificates = certificates.filter(dossier__organisation=organisation)
    if month is not None:
        certificates = certificates.filter(month=month)
    if number:
        certificates = certificates.filter(dossier__number__icontains=number)
    # in the order of their index (``certificate_ready``): a page is read, not sorted
    return certificates.select_related("dossier__organisation", "dossier__beneficiary").order_by(
        "month", "dossier_id"
    )


@dataclass(frozen=True)
class Selection:
    """What the agent is about to transmit: the confirmation step's figures."""

    ids: list[int]
    presence_minutes: int
    absence_minutes: int
    organisations: list[tuple[str, int]]  # name, months
    corrections: int  # months transmitted before: their lines are corrections

    @property
    def count(self) -> int:
        return len(self.ids)


def selection(certificates: Iterable[Certificate]) -> Selection:
    """The selected months' count, hours totals, organisations and corrections (the months
    of ``ready_certificates``)."""
    rows = list(certificates)
    by_organisation = Counter(c.dossier.organisation.name for c in rows)
    return Selection(
        ids=[c.pk for c in rows],
        presence_minutes=sum(c.presence_minutes for c in rows),
        absence_minutes=sum(c.absence_minutes for c in rows),
        organisations=sorted(by_organisation.items()),
        corrections=sum(1 for c in rows if getattr(c, "was_transmitted", False)),
    )


def is_ready(certificate: Certificate) -> bool:
    """Certified on paper, or validated by the beneficiary after certification 2."""
    return abilities.is_ready(facts_of_certificate(certificate, has_pdf=True))


def batch_key(certificate_ids: Iterable[int]) -> str:
    return hashlib.sha256(",".join(str(i) for i in sorted(certificate_ids)).encode()).hexdigest()


def _label(certificate: Certificate) -> str:
    return f"{certificate.dossier.number} ({date_format(certificate.month, 'F Y')})"


def create_transmission(
    certificate_ids: Iterable[int], *, actor: User, request: HttpRequest | None = None
) -> tuple[Transmission, bool]:
    """Transmit the selected months in one batch; (batch, created). Creating the same
    selection again returns the existing batch with ``created`` false, while its months are
    still transmitted by it; once one was reopened and certified again, it is a new batch
    whose line corrects it."""
    ids = sorted(set(certificate_ids))
    if not ids:
        raise TransmissionRefused("Sélectionnez au moins un mois à transmettre.")
    key = batch_key(ids)
    with transaction.atomic():
        certificates = lifecycle.locked_many(ids)
        batches = Transmission.objects.filter(key=key)
        existing = batches.filter(cancellation__isnull=True).first()
        # Not intact: one of its months was reopened since; this selection corrects it.
        if existing is not None and is_intact(existing):
            return existing, False
        _check_ready(certificates, len(ids))
        transmission, lines = _store(key, batches.count(), certificates, actor, request)
        for line in lines:
            lifecycle.apply(
                line.certificate,
                Event.TRANSMITTED,
                actor=actor,
                request=request,
                changes={"transmitted_at": transmission.created_at},
                payload={"transmission": transmission.pk, **line_facts(line)},
            )
    return transmission, True


def _check_ready(certificates: list[Certificate], selected: int) -> None:
    if len(certificates) != selected:
        raise TransmissionRefused("Un des mois sélectionnés n'existe plus.")
    refused = [c for c in certificates if not is_ready(c)]
    if refused:
        names = ", ".join(_label(c) for c in refused)
        raise TransmissionRefused(
            f"Ces mois ne sont pas prêts à transmettre ou ont déjà été transmis : {names}."
        )


def _store(
    key: str,
    attempt: int,
    certificates: list[Certificate],
    actor: User,
    request: HttpRequest | None,
) -> tuple[Transmission, list[TransmissionLine]]:
    """The batch with its files and lines, its months' current lines, and its audit event."""
    now = timezone.now()
    lines = new_lines(certificates)
    csv_data = transmission_csv(lines)
    json_data = transmission_json(lines, created_at=now)
    transmission = Transmission.objects.create(
        key=key,
        attempt=attempt,
        created_at=now,
        created_by=actor,
        line_count=len(certificates),
        csv_data=csv_data,
        csv_sha256=hashlib.sha256(csv_data).hexdigest(),
        json_data=json_data,
        json_sha256=hashlib.sha256(json_data).hexdigest(),
    )
    for line in lines:
        line.transmission = transmission
    TransmissionLine.objects.bulk_create(lines)
    claim(lines)
    record(
        EventType.TRANSMISSION_CREATED,
        actor=actor,
        obj=transmission,
        payload={
            "months": len(certificates),
            "csv_sha256": transmission.csv_sha256,
            "json_sha256": transmission.json_sha256,
            "corrections": corrections_of(lines),
        },
        request=request,
    )
    return transmission, lines


# --- a batch made by mistake ---------------------------------------------------------


def is_final(transmission: Transmission) -> bool:
    """Its file was taken (on the portal or by the API): the payment system may hold it."""
    return TransmissionDownload.objects.filter(transmission=transmission).exists()


def cancel_refusal(transmission: Transmission) -> str:
    """Why ``transmission`` cannot be cancelled, in French; "" when it can."""
    if TransmissionCancellation.objects.filter(transmission=transmission).exists():
        return "Cette transmission est déjà annulée."
    if is_final(transmission):
        return (
            "Le fichier de cette transmission a déjà été téléchargé ou récupéré par l'API : "
            "elle est définitive. Pour corriger un mois, rouvrez-le."
        )
    if not is_intact(transmission):
        return (
            "Un mois de cette transmission a été rouvert depuis pour être corrigé : elle ne "
            "peut plus être annulée."
        )
    return ""


def cancel_transmission(
    transmission: Transmission, *, actor: User, reason: str, request: HttpRequest | None = None
) -> TransmissionCancellation:
    """Cancel a batch made by mistake, before anyone took its file: its months go back to
    the status they had (certified, or validated), ready to transmit again; the batch and
    its lines stay, marked cancelled, in the history. A correction's month is current
    again at the line it corrected: its next line corrects that one."""
    reason = " ".join(reason.split())
    if not reason:
        raise Invalid(errors={"reason": "Indiquez le motif de l'annulation."})
    with transaction.atomic():
        locked = Transmission.objects.select_for_update().get(pk=transmission.pk)
        refusal = cancel_refusal(locked)
        if refusal:
            raise TransmissionRefused(refusal)
        lines = list(locked.lines.all())
        release(lines)
        for certificate in lifecycle.locked_many(line.certificate_id for line in lines):
            back_to = MonthStatus.VALIDATED if certificate.validated_at else MonthStatus.CERTIFIED
            lifecycle.apply(
                certificate,
                Event.TRANSMISSION_CANCELLED,
                actor=actor,
                request=request,
                back_to=back_to,
                changes={"transmitted_at": None},
                payload={"transmission": locked.pk, "reason": reason},
            )
        cancellation = TransmissionCancellation.objects.create(
            transmission=locked, cancelled_by=actor, reason=reason
        )
        record(
            EventType.TRANSMISSION_BATCH_CANCELLED,
            actor=actor,
            obj=locked,
            payload={"months": len(lines), "reason": reason},
            request=request,
        )
    return cancellation


def record_download(transmission: Transmission, *, kind: str, via: str, actor: User | None) -> None:
    """The batch's file was taken: from now on the batch is final."""
    TransmissionDownload.objects.create(
        transmission=transmission, kind=kind, via=via, downloaded_by=actor
    )


def taken_file(
    transmission: Transmission, kind: str, *, via: str, actor: User | None
) -> HttpResponse:
    """The batch's CSV or JSON file as it was written, to download; taking it makes the
    batch final (``record_download``), from the portal and from the API alike."""
    record_download(transmission, kind=kind, via=via, actor=actor)
    data = bytes(transmission.csv_data if kind == "csv" else transmission.json_data)
    content_type = "text/csv; charset=utf-8" if kind == "csv" else "application/json"
    response = HttpResponse(data, content_type=content_type)
    name = f"transmission-{transmission.pk}-{transmission.created_at:%Y%m%d}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
