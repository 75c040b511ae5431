"""Dossiers sent by the funder's instruction system through the API, each row on its own.

A row is checked for form as a line of the import is (``dossier_import.check_identifiers``:
the same SIRET and e-mail checks, the same messages), then matched and written by
``dossier_sync.Sync``: the same rules, and the rows of one call checked against each other
as the lines of one file are (a dossier once, an organisation, a beneficiary or an employer
described one way).

Unlike the import, all or nothing for an agent who corrects the file, each row is written
in its own transaction with its audit events, and so its invitations: a refused row holds
back no other. A row whose transaction rolls back is forgotten by the call too
(``Sync.forgotten_on_error``), so that no later row is checked against a dossier that was
never written, and nobody is invited to an account that does not exist. The system sends
the call again after a timeout: each row it wrote answers « unchanged », and nobody is
invited twice.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from realisa.accounts.models import User
from realisa.dossiers.models import Dossier
from realisa.funder.dossier_data import DossierData, LineResult, Outcome
from realisa.funder.dossier_file import LABELS
from realisa.funder.dossier_import import EMPLOYER_TOGETHER, END_BEFORE_START, check_identifiers
from realisa.funder.dossier_sync import Sync

MAX_ROWS = 500
# A PTP lasts a year or two; a longer span is a typing error, and would plan, and list on
# every page, months by the thousand.
MAX_TRAINING_YEARS = 5
RACE = "Un autre envoi a écrit ce dossier ou ces personnes au même moment : renvoyez cet élément."
# The texts a row must hold once its spacing is normalised, and their names in messages.
REQUIRED = {
    "beneficiary_reference": LABELS["identifiant_beneficiaire"],
    "organisation_name": LABELS["organisme"],
    "first_name": LABELS["prenom"],
    "last_name": LABELS["nom"],
    "training_title": LABELS["intitule"],
}


def normalised(data: DossierData) -> DossierData:
    """Each text with its spacing as the import reads a cell: « Jean  Paul » → « Jean Paul »."""
    texts: dict[str, Any] = {
        item.name: " ".join(value.split())
        for item in fields(data)
        if isinstance(value := getattr(data, item.name), str)
    }
    return replace(data, **texts)


def checked(data: DossierData) -> tuple[DossierData, list[str]]:
    """``data`` normalised, its SIRETs compacted, and every reason it is refused for form."""
    data = normalised(data)
    errors = [
        f"{label} : la valeur est vide."
        for name, label in REQUIRED.items()
        if not getattr(data, name)
    ]
    if data.end_date < data.start_date:
        errors.append(END_BEFORE_START)
    elif (data.end_date - data.start_date).days > MAX_TRAINING_YEARS * 366:
        errors.append(
            f"La formation dure plus de {MAX_TRAINING_YEARS} ans "
            f"(du {data.start_date:%d/%m/%Y} au {data.end_date:%d/%m/%Y}) : vérifiez les dates."
        )
    employer = (data.employer_siret, data.employer_name, data.employer_email)
    if any(employer) and not (employer[0] and employer[1]):
        errors.append(EMPLOYER_TOGETHER)
    return check_identifiers(data, errors), errors


def sync_row(sync: Sync, data: DossierData, place: str, request: HttpRequest | None) -> LineResult:
    """One row, written and journalled in its own transaction, or refused."""
    data, errors = checked(data)
    if errors:
        return LineResult(place, data.number, Outcome.REFUSED, errors=errors)
    try:
        with sync.forgotten_on_error(), transaction.atomic():
            # The dossier's row first, as an hours entry takes it: a change of dates is
            # checked against the months entered, and no month is entered meanwhile.
            list(Dossier.objects.select_for_update().filter(number=data.number).values("pk"))
            result = sync.line(data, place)
            if result.outcome != Outcome.REFUSED:
                sync.record(request)
    except IntegrityError:  # another call created the same people at the same instant
        return LineResult(place, data.number, Outcome.REFUSED, errors=[RACE])
    return result


def sync_dossiers(
    rows: list[DossierData], *, actor: User, request: HttpRequest | None = None
) -> list[LineResult]:
    """Each row's result, in the rows' order (« élément 1 » is the first), each dossier
    written as it now stands."""
    sync = Sync(actor=actor, source="api")
    results = [
        sync_row(sync, data, f"élément {number}", request)
        for number, data in enumerate(rows, start=1)
    ]
    written = (
        Dossier.objects.select_related("organisation", "beneficiary", "employer")
        .prefetch_related("interruptions")
        .in_bulk([result.dossier.pk for result in results if result.dossier is not None])
    )
    for result in results:
        if result.dossier is not None:
            result.dossier = written[result.dossier.pk]
    return results
