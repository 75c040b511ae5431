"""A month's lines in the transmissions: sent as new once, then only corrected.

A transmitted month that an agent reopened (``certificates.reopening``) and that was
certified again (and validated, after certification 2) is ready once more. Its next line
is a *correction*: the month's new totals, the difference with the line it corrects, and
that line's reference, so the payment system never receives the same month twice as new.

The line corrected is the month's current line, which ``TransmittedMonth`` names: its last
one in a batch not cancelled. Transmitting moves that row to the new line; cancelling a
batch gives it back to the line each correction corrected (or removes it for a month sent
as new), so a correction never refers to a cancelled batch. The difference is computed
from the hours the lines carried, stored on each line, never from a certificate that may
have changed since.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db.models import Count

from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus
from realisa.funder.models import Transmission, TransmissionLine, TransmittedMonth


def reference(certificate: Certificate, nth: int) -> str:
    """A line's identifier: the dossier, the month, the month's n-th line."""
    return f"{certificate.dossier.number}/{certificate.month:%Y-%m}/{nth}"


def current_lines(certificate_ids: Iterable[int]) -> dict[int, TransmissionLine]:
    """Each month's current line, for the months transmitted before."""
    claims = TransmittedMonth.objects.filter(certificate_id__in=list(certificate_ids))
    return {claim.certificate_id: claim.line for claim in claims.select_related("line")}


def written_lines(certificate_ids: Iterable[int]) -> Counter[int]:
    """How many lines each month has, those of cancelled batches included."""
    rows = (
        TransmissionLine.objects.filter(certificate_id__in=list(certificate_ids))
        .values("certificate_id")
        .annotate(lines=Count("pk"))
        .values_list("certificate_id", "lines")
    )
    return Counter(dict(rows))


def new_lines(certificates: list[Certificate]) -> list[TransmissionLine]:
    """The lines of a batch about to be written (not saved, nor tied to their batch yet):
    each month's hours now, its reference and, for a month sent before, the line it
    corrects. The months are locked: no other batch takes them meanwhile."""
    ids = [c.pk for c in certificates]
    current = current_lines(ids)
    written = written_lines(ids)
    return [
        TransmissionLine(
            certificate=c,
            reference=reference(c, written[c.pk] + 1),
            centre_minutes=c.centre_minutes,
            internship_minutes=c.internship_minutes,
            absence_minutes=c.absence_minutes,
            corrects=current.get(c.pk),
        )
        for c in certificates
    ]


def claim(lines: list[TransmissionLine]) -> None:
    """The batch's lines become their months' current lines."""
    TransmittedMonth.objects.filter(
        certificate_id__in=[line.certificate_id for line in lines]
    ).delete()
    TransmittedMonth.objects.bulk_create(
        TransmittedMonth(certificate_id=line.certificate_id, line=line) for line in lines
    )


def release(lines: list[TransmissionLine]) -> None:
    """A cancelled batch's lines are no longer current: each correction gives the place
    back to the line it corrected; a month sent as new has no current line any more."""
    TransmittedMonth.objects.filter(line__in=lines).delete()
    TransmittedMonth.objects.bulk_create(
        TransmittedMonth(certificate_id=line.certificate_id, line_id=line.corrects_id)
        for line in lines
        if line.corrects_id is not None
    )


def is_intact(transmission: Transmission) -> bool:
    """Every month of the batch is still transmitted by it: none was reopened since (nor
    corrected by a later batch)."""
    still = TransmittedMonth.objects.filter(
        line__transmission=transmission, certificate__status=MonthStatus.TRANSMITTED
    )
    return still.count() == transmission.line_count


def corrected(line: TransmissionLine) -> dict[str, Any] | None:
    """The line a correction corrects, as the files, the API and the journal name it."""
    if line.corrects is None:
        return None
    return {"transmission_id": line.corrects.transmission_id, "line": line.corrects.reference}


def line_facts(line: TransmissionLine) -> dict[str, Any]:
    """What every reader of a line is told besides its hours: its reference, its type,
    and for a correction the line corrected and the difference (minutes, new − old)."""
    return {
        "line": line.reference,
        "type": line.kind.value,
        "corrects": corrected(line),
        "delta": line.delta,
    }


def corrections_of(lines: Iterable[TransmissionLine]) -> list[dict[str, Any]]:
    """The batch's corrections, for its journal event: which months, which lines."""
    return [
        {"certificate": line.certificate_id, **line_facts(line)}
        for line in lines
        if line.corrects_id is not None
    ]
