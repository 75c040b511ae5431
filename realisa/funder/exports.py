"""The files the funder produces: a transmission's CSV and JSON, and the dashboard export.

CSV for French Excel: « ; » separator, UTF-8 with a BOM, hours with a decimal comma
(7 h 30 → « 7,50 »), dates as JJ/MM/AAAA HH:MM in Paris time. JSON for programs: minutes
and ISO 8601 timestamps. A transmission's line carries the hours it sent (stored on the
line), its reference and type; a correction also the line it corrects and the difference
(``funder.corrections``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime, tzinfo
from typing import Any

from django.utils import timezone

from realisa.choices import MonthStatus
from realisa.funder.corrections import line_facts
from realisa.funder.models import TransmissionLine

BOM = "\ufeff"
TRANSMISSION_HEADER = [
    "Dossier",
    "Bénéficiaire",
    "Organisme",
    "SIRET",
    "Mois",
    "Heures en centre",
    "Heures en stage",
    "Heures d'absence",
    "Méthode de certification",
    "Certifié le",
    "Validé par le bénéficiaire le",
    "Ligne",
    "Type",
    "Transmission corrigée",
    "Ligne corrigée",
    "Écart en centre",
    "Écart en stage",
    "Écart d'absence",
]
EXPORT_HEADER = [
    "Dossier",
    "Bénéficiaire",
    "Organisme",
    "SIRET",
    "Mois",
    "Statut",
    "Heures en centre",
    "Heures en stage",
    "Heures d'absence",
    "Méthode de certification",
    "Certifié le",
    "Transmis le",
]
METHODS = {"paper": "Certification 1", "online": "Certification 2"}


def decimal_hours(minutes: int) -> str:
    """Minutes as hours with a decimal comma: 450 → « 7,50 », -90 → « -1,50 »."""
    sign = "-" if minutes < 0 else ""
    hundredths = (abs(minutes) * 100 + 30) // 60  # rounded half up, in integers
    return f"{sign}{hundredths // 100},{hundredths % 100:02d}"


def local_time(moment: datetime | None, zone: tzinfo | None = None) -> str:
    """Paris time, as JJ/MM/AAAA HH:MM; pass ``zone`` in loops (looking it up costs)."""
    if moment is None:
        return ""
    local = moment.astimezone(zone or timezone.get_current_timezone())
    return f"{local.day:02d}/{local.month:02d}/{local.year} {local.hour:02d}:{local.minute:02d}"


class Echo:
    """A file-like object whose write returns the line: csv.writer without a buffer."""

    def write(self, value: str) -> str:
        return value


def _writer(out: Any) -> Any:
    return csv.writer(out, delimiter=";", lineterminator="\r\n")


def transmission_row(line: TransmissionLine) -> list[str]:
    certificate = line.certificate
    dossier = certificate.dossier
    return [
        dossier.number,
        dossier.beneficiary.full_name,
        dossier.organisation.name,
        dossier.organisation.siret,
        f"{certificate.month:%m/%Y}",
        decimal_hours(line.centre_minutes),
        decimal_hours(line.internship_minutes),
        decimal_hours(line.absence_minutes),
        METHODS.get(certificate.certification_method, ""),
        local_time(certificate.certified_at),
        local_time(certificate.validated_at),
        *correction_cells(line),
    ]


def correction_cells(line: TransmissionLine) -> list[str]:
    """« Ligne », « Type » and, for a correction, what it corrects and the differences."""
    cells = [line.reference, str(line.kind.label)]
    delta = line.delta
    if line.corrects is None or delta is None:
        return [*cells, "", "", "", "", ""]
    return [
        *cells,
        str(line.corrects.transmission_id),
        line.corrects.reference,
        decimal_hours(delta["centre_minutes"]),
        decimal_hours(delta["internship_minutes"]),
        decimal_hours(delta["absence_minutes"]),
    ]


def transmission_csv(lines: Iterable[TransmissionLine]) -> bytes:
    writer = _writer(Echo())
    rows = [BOM, writer.writerow(TRANSMISSION_HEADER)]
    rows.extend(writer.writerow(transmission_row(line)) for line in lines)
    return "".join(rows).encode("utf-8")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def json_line(line: TransmissionLine) -> dict[str, Any]:
    c = line.certificate
    return {
        "dossier": c.dossier.number,
        "beneficiary": c.dossier.beneficiary.full_name,
        "organisation": {
            "name": c.dossier.organisation.name,
            "siret": c.dossier.organisation.siret,
        },
        "month": f"{c.month:%Y-%m}",
        "centre_minutes": line.centre_minutes,
        "internship_minutes": line.internship_minutes,
        "absence_minutes": line.absence_minutes,
        "certification_method": c.certification_method,
        "certified_at": _iso(c.certified_at),
        "validated_at": _iso(c.validated_at),
        **line_facts(line),
    }


def transmission_json(lines: Iterable[TransmissionLine], *, created_at: datetime) -> bytes:
    months = [json_line(line) for line in lines]
    document = {"created_at": created_at.isoformat(), "months": months}
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def export_row(values: dict[str, Any], label: str, month: str, zone: tzinfo) -> list[str]:
    """One row of ``funder.month_overview.month_queryset`` as the export writes it."""
    return [
        values["number"],
        f"{values['first_name']} {values['last_name'].upper()}",
        values["organisation_name"],
        values["siret"],
        month,
        label,
        decimal_hours(values["centre"] or 0),
        decimal_hours(values["internship"] or 0),
        decimal_hours(values["absence"] or 0),
        METHODS.get(values["method"] or "", ""),
        local_time(values["certified_at"], zone),
        local_time(values["transmitted_at"], zone),
    ]


def export_chunks(
    rows: Iterable[tuple[dict[str, Any], MonthStatus]], month: date, lines_per_chunk: int = 500
) -> Iterator[bytes]:
    """The dashboard's CSV (BOM first) in chunks of encoded lines, for a streamed response:
    memory holds one chunk at a time, whatever the number of rows."""
    writer = _writer(Echo())
    zone = timezone.get_current_timezone()
    labels = {status: str(status.label) for status in MonthStatus}
    month_text = f"{month:%m/%Y}"
    chunk = [BOM + writer.writerow(EXPORT_HEADER)]
    for values, status in rows:
        chunk.append(writer.writerow(export_row(values, labels[status], month_text, zone)))
        if len(chunk) >= lines_per_chunk:
            yield "".join(chunk).encode("utf-8")
            chunk = []
    yield "".join(chunk).encode("utf-8")
