"""The journal's rows as the agent reads them: who, the event's sentence, its labelled
fields; and the same rows as CSV.

What the sentences name (a month's dossier and month, an organisation, a person, the try
at which a code was typed) is fetched for a whole page of events at once, one query per
kind of object, so a page of 50 events runs as many queries as a page of 5.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date
from typing import Any

from django.db.models import Model

from realisa.accounts.models import User
from realisa.audit.events import EventType, label
from realisa.audit.models import AuditEvent
from realisa.certificates.models import Certificate, OneTimeCode
from realisa.dossiers.models import Dossier, Payment
from realisa.funder.exports import BOM, Echo
from realisa.funder.journal_fields import Field, fields_of, fields_text
from realisa.funder.journal_sentences import SYSTEM, Subject, sentence
from realisa.organisations.models import CertifierDocument, Organisation

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_HEADER = ["Date (UTC)", "Qui", "Type", "Événement", "Adresse IP", "Détails"]


@dataclass(frozen=True)
class Entry:
    """One event of the journal, as a row shows it."""

    event: AuditEvent
    who: str
    label: str
    sentence: str
    fields: list[Field]


@dataclass(frozen=True)
class Known:
    """What a batch of events is about, fetched at once."""

    certificates: dict[int, tuple[str, date]] = field(default_factory=dict)  # number, month
    numbers: dict[tuple[str, int], str] = field(default_factory=dict)  # a dossier's, a payment's
    names: dict[tuple[str, int], str] = field(default_factory=dict)  # (type, id) → name
    tries: dict[int, int] = field(default_factory=dict)  # code → the try that was right


def kind_of(model: type[Model]) -> str:
    return model._meta.label_lower


def _ids(events: list[AuditEvent], model: type[Model]) -> set[int]:
    kind = kind_of(model)
    return {int(e.object_id) for e in events if e.object_type == kind and e.object_id.isdigit()}


def _codes(events: list[AuditEvent]) -> set[int]:
    """The codes typed for the online certifications among ``events``."""
    return {
        e.payload["code"]
        for e in events
        if e.action == EventType.CERTIFIED and isinstance(e.payload.get("code"), int)
    }


def _names(events: list[AuditEvent]) -> dict[tuple[str, int], str]:
    organisations = Organisation.objects.filter(pk__in=_ids(events, Organisation))
    documents = CertifierDocument.objects.filter(pk__in=_ids(events, CertifierDocument))
    people = User.objects.filter(pk__in=_ids(events, User))
    return {
        **{
            (kind_of(Organisation), pk): name
            for pk, name in organisations.values_list("pk", "name")
        },
        **{
            (kind_of(CertifierDocument), pk): name
            for pk, name in documents.values_list("pk", "organisation__name")
        },
        **{
            (kind_of(User), pk): f"{first} {last}".strip() or username
            for pk, first, last, username in people.values_list(
                "pk", "first_name", "last_name", "username"
            )
        },
    }


def known_of(events: list[AuditEvent]) -> Known:
    """What ``events`` are about: one query per kind of object among them."""
    certificates = Certificate.objects.filter(pk__in=_ids(events, Certificate))
    dossiers = Dossier.objects.filter(pk__in=_ids(events, Dossier))
    payments = Payment.objects.filter(pk__in=_ids(events, Payment))
    codes = OneTimeCode.objects.filter(pk__in=_codes(events))
    return Known(
        certificates={
            pk: (number, month)
            for pk, number, month in certificates.values_list("pk", "dossier__number", "month")
        },
        numbers={
            **{(kind_of(Dossier), pk): n for pk, n in dossiers.values_list("pk", "number")},
            **{
                (kind_of(Payment), pk): n for pk, n in payments.values_list("pk", "dossier__number")
            },
        },
        names=_names(events),
        tries={pk: attempts + 1 for pk, attempts in codes.values_list("pk", "attempts")},
    )


def who_of(event: AuditEvent) -> str:
    """The author's full name, else their username, else « Réalisa » (the portal itself)."""
    actor = event.actor
    if actor is not None and actor.get_full_name():
        return actor.get_full_name()
    return event.actor_username or (actor.username if actor is not None else "") or SYSTEM


def subject_of(event: AuditEvent, known: Known) -> Subject:
    pk = int(event.object_id) if event.object_id.isdigit() else 0
    if event.object_type == kind_of(Certificate):
        number, month = known.certificates.get(pk, ("", None))
    else:
        number, month = known.numbers.get((event.object_type, pk), ""), None
    code = event.payload.get("code") if isinstance(event.payload, dict) else None
    return Subject(
        who=who_of(event),
        payload=event.payload if isinstance(event.payload, dict) else {},
        object_id=event.object_id,
        dossier=number,
        month=month,
        name=known.names.get((event.object_type, pk), ""),
        tries=known.tries.get(code) if isinstance(code, int) else None,
    )


def entries(events: Iterable[AuditEvent]) -> list[Entry]:
    """The rows of ``events`` (a page: its related objects are fetched at once)."""
    listed = list(events)
    known = known_of(listed)
    return [
        Entry(
            event=event,
            who=who_of(event),
            label=label(event.action),
            sentence=sentence(event.action, subject_of(event, known)),
            fields=fields_of(event.payload),
        )
        for event in listed
    ]


def cell(text: str) -> str:
    """Text typed by someone (a reason, a name), never read by a spreadsheet as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_row(entry: Entry) -> list[str]:
    moment = entry.event.created_at.astimezone(UTC)
    texts = [entry.who, entry.label, entry.sentence, entry.event.ip or ""]
    return [moment.strftime("%Y-%m-%dT%H:%M:%SZ"), *map(cell, texts), fields_text(entry.fields)]


def csv_chunks(events: Iterable[AuditEvent], batch: int = 500) -> Iterator[bytes]:
    """The journal's CSV (« ; », BOM first) in chunks of ``batch`` events, for a streamed
    response: each chunk's related objects are fetched at once, memory stays flat."""
    writer: Any = csv.writer(Echo(), delimiter=";", lineterminator="\r\n")
    chunk: list[AuditEvent] = []
    yield (BOM + writer.writerow(CSV_HEADER)).encode("utf-8")
    for event in events:
        chunk.append(event)
        if len(chunk) >= batch:
            yield "".join(writer.writerow(csv_row(e)) for e in entries(chunk)).encode("utf-8")
            chunk = []
    if chunk:
        yield "".join(writer.writerow(csv_row(e)) for e in entries(chunk)).encode("utf-8")
