"""The funder reopens a certified, validated or transmitted month: it goes back to
« Heures saisies ».

Only an agent, with a reason, and only while the month is not covered by a payment that
is not an advance (paid hours are not reopened). The certification's fields are cleared,
so the organisation must certify again; what they were is kept in the audit event, and
every earlier PDF version stays in the history (versions are immutable). A new version is
generated so that the latest PDF no longer says certified. The organisation is told, and
the beneficiary too when they had validated the hours. A transmitted month, once ready
again, is sent as a correction of its last line (``funder.corrections``): its earlier
transmission stays as it was sent.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from realisa.accounts.models import User
from realisa.certificates import lifecycle
from realisa.certificates.abilities import Party, abilities_of
from realisa.certificates.lifecycle import Event
from realisa.certificates.models import Certificate
from realisa.choices import MonthStatus, VersionReason
from realisa.documents.services import generate_version
from realisa.lib.errors import Invalid, NotAllowed

# The certification's and the validation's fields, cleared: the month is certified again.
CLEARED = {
    "certification_method": "",
    "certified_at": None,
    "certified_by": None,
    "certified_ip": None,
    "validated_at": None,
    "validation_kind": "",
    "validated_by": None,
    "validation_reason": "",
    "answer_reminded_at": None,
    "planned_snapshot": None,
    "transmitted_at": None,
}


def check_reopenable(certificate: Certificate) -> None:
    """Raise ``NotNow`` with the French reason when the month cannot be reopened."""
    lifecycle.check(certificate, Event.REOPENED)


def reopen(
    certificate: Certificate, *, actor: User, reason: str, request: HttpRequest | None = None
) -> Certificate:
    """The transition certified|validated|transmitted → entered, by the funder."""
    reason = reason.strip()
    if not reason:
        raise Invalid(errors={"reason": "Indiquez le motif de la réouverture."})
    with transaction.atomic():
        locked = lifecycle.locked(certificate)
        if abilities_of(actor, locked).party != Party.FUNDER:
            raise NotAllowed("Seul le financeur rouvre un mois certifié.")
        previous = {
            "status": locked.status,
            "method": locked.certification_method,
            "certified_at": locked.certified_at.isoformat() if locked.certified_at else None,
            "certified_by": locked.certified_by_id,
            "validated_at": locked.validated_at.isoformat() if locked.validated_at else None,
            "transmitted_at": locked.transmitted_at.isoformat() if locked.transmitted_at else None,
        }
        was_validated = locked.status == MonthStatus.VALIDATED or locked.validated_at is not None
        lifecycle.apply(
            locked,
            Event.REOPENED,
            actor=actor,
            request=request,
            changes=dict(CLEARED),
            payload={
                "reason": reason,
                "previous": previous,
                "at": timezone.now().isoformat(),
                "tell_beneficiary": was_validated,
            },
        )
        generate_version(locked, reason=VersionReason.ENTRY, actor=actor)
    return locked
