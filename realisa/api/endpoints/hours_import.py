"""``POST /hours/imports``: « Importer des heures » by API, the file's rows as JSON, all of
them entered or none, each answered on its own row, and kept by the client's key so that a
retry answers the same and writes nothing more (docs/api.md)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from ninja import Router

from realisa.api.endpoints.common import forbidden, responses, user_of
from realisa.api.hours_schemas import HoursImportIn, HoursImportResult, HoursRowIn
from realisa.api.models import HoursImportCall
from realisa.api.problems import ApiProblem
from realisa.certificates.hours_file import Layout, gather
from realisa.certificates.hours_import import Boxes, Outcome, Report, run_read

router = Router(tags=["Saisie des heures"])

MIXED = (
    "Les lignes sont toutes par mois (« month ») ou toutes par jour (« date »), et chacune "
    "donne l'un ou l'autre."
)
KEY_REUSED = "Cette clé a déjà servi à un appel aux lignes différentes : choisissez-en une autre."


@router.post("/hours/imports", response=responses(HoursImportResult), url_name="hours_imports")
def import_hours(request: HttpRequest, body: HoursImportIn) -> dict[str, Any]:
    """Enter the hours of many dossiers' months at once, as « Importer des heures » does
    with a file: every row is checked as the entry window checks it, then all are entered in
    one transaction, or none. The answer has one result per row, in the order sent. The
    same ``key`` sent again (after a timeout, say) answers what the first call answered."""
    user = user_of(request)
    if not user.is_of_member:
        raise forbidden("Seuls les membres d'un organisme de formation importent des heures.")
    rows_sha256 = _sha256(body.rows)
    try:
        with transaction.atomic():
            # The key's row first: a twin call sent at the same moment waits here, then reads
            # the first one's answer.
            call = HoursImportCall.objects.create(
                user=user, key=body.key, rows_sha256=rows_sha256, answer={}
            )
            report = _run(body, rows_sha256, user, request)
            call.answer = _answer(body, report)
            call.save(update_fields=["answer"])
    except IntegrityError:
        call = HoursImportCall.objects.get(user=user, key=body.key)
        if call.rows_sha256 != rows_sha256:
            raise ApiProblem(409, "cle-deja-utilisee", KEY_REUSED) from None
    return dict(call.answer)


def _sha256(rows: list[HoursRowIn]) -> str:
    """The rows' SHA-256, over their canonical JSON (the journal's ``import_sha256``)."""
    canonical = json.dumps([row.dict() for row in rows], sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _layout(rows: list[HoursRowIn]) -> Layout:
    if all(row.month and not row.date for row in rows):
        return Layout.MONTHLY
    if all(row.date and not row.month for row in rows):
        return Layout.DAILY
    raise ApiProblem(422, "lignes-melangees", MIXED)


def _cells(row: HoursRowIn) -> dict[str, str]:
    """A row as a line of the file: the same reader checks both."""
    month = f"{row.month[5:]}/{row.month[:4]}" if row.month else ""
    return {
        "dossier": row.dossier,
        "mois": month,
        "date": f"{row.date:%d/%m/%Y}" if row.date else "",
        "centre": row.centre.strip(),
        "stage": row.internship.strip(),
        "absence": row.absence.strip(),
        "motif_ecart": " ".join(row.gap_reason.split()),
    }


def _run(body: HoursImportIn, sha256: str, user: Any, request: HttpRequest) -> Report:
    layout = _layout(body.rows)
    read = gather(layout, [(n, _cells(row)) for n, row in enumerate(body.rows, start=1)])
    return run_read(
        read,
        sha256=sha256,
        actor=user,
        commit=True,
        boxes=Boxes(body.certifies_entry, body.accepts_ip_use),
        request=request,
    )


def _answer(body: HoursImportIn, report: Report) -> dict[str, Any]:
    """One result per row sent: its month's, or the row's own refusal."""
    by_row = {line: month for month in report.months for line in month.file.lines}
    refused = {error.line: error.reason for error in report.errors}
    results = []
    for n, row in enumerate(body.rows, start=1):
        month = by_row.get(n)
        outcome = month.outcome.value if month else Outcome.REFUSED.value
        if outcome == Outcome.ENTERED and not report.imported:
            outcome = "held_back"
        when = row.month or (f"{row.date:%Y-%m}" if row.date else None)
        results.append(
            {
                "row": n,
                "dossier": row.dossier,
                "month": when,
                "outcome": outcome,
                "errors": month.errors if month else [refused.get(n, "Ligne refusée.")],
                "warning": month.warning if month else None,
            }
        )
    return {
        "key": body.key,
        "imported": report.imported,
        "sha256": report.sha256,
        "results": results,
    }
