"""The accounts of beneficiaries and employers whose dossiers are all past their retention
deadline: deactivated first, erased at a later run.

A dossier is past once every one of its documents is (``lib.retention``: 6 years after the
end of the year of its last payment, 10 when co-funded by European funds); a dossier
without payment never is. An account whose dossiers are all past is deactivated (« Compte
désactivé », for the retention); ``ERASE_AFTER_DAYS`` later, if it still has no dossier that
is kept, it is erased: its login becomes « efface-<id> », its names and e-mail are blanked
and its password unusable, and the beneficiary's e-mail goes too. The row stays: the
chained events, the beneficiary's answers and the codes name it, and deleting it would
either fail (their keys protect it) or change what the chain sealed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.audit.models import AuditEvent
from realisa.choices import Role
from realisa.dossiers.models import Beneficiary, Dossier
from realisa.funder.purge import aged_dossiers
from realisa.lib.retention import ERASE_AFTER_DAYS, SUPPORTING_YEARS, Kept, deadline_of, is_past

RETENTION = "retention"  # the reason an account was deactivated, in its event
USER_KIND = "accounts.user"


def past_dossiers(today: date) -> set[int]:
    """The ids of the dossiers whose every document is past its deadline."""
    past = set()
    for dossier in aged_dossiers(today, SUPPORTING_YEARS).only("pk", "european_cofunding"):
        last_paid: date = dossier.last_paid  # type: ignore[attr-defined]
        deadline = deadline_of(last_paid, Kept.SUPPORTING, european=dossier.european_cofunding)
        if is_past(deadline, today):
            past.add(dossier.pk)
    return past


def _all_past(today: date) -> QuerySet[User]:
    """The beneficiaries' and employers' accounts with dossiers, all of them past."""
    past = past_dossiers(today)
    kept = Dossier.objects.exclude(pk__in=past)
    with_past = Q(role=Role.BENEFICIARY, beneficiary__dossiers__pk__in=past) | Q(
        role=Role.EMPLOYER, employer__dossiers__pk__in=past
    )
    # No NULL in the lists below: « NOT IN » a list holding one matches nothing.
    kept_people = kept.filter(beneficiary__user__isnull=False).values("beneficiary__user")
    kept_employers = kept.filter(employer__isnull=False).values("employer")
    return (
        User.objects.filter(with_past)
        .exclude(pk__in=kept_people)
        .exclude(role=Role.EMPLOYER, employer__in=kept_employers)
        .distinct()
        .order_by("pk")
    )


def to_deactivate(today: date) -> list[User]:
    return list(_all_past(today).filter(is_active=True))


def to_erase(today: date, now: datetime) -> list[User]:
    """The accounts deactivated for the retention ``ERASE_AFTER_DAYS`` ago or more, still
    inactive, all their dossiers past, and not erased yet."""
    events = AuditEvent.objects.filter(object_type=USER_KIND)
    deactivated = events.filter(
        action=EventType.ACCOUNT_DEACTIVATED,
        payload__reason=RETENTION,
        created_at__lte=now - timedelta(days=ERASE_AFTER_DAYS),
    ).values_list("object_id", flat=True)
    erased = events.filter(action=EventType.ACCOUNT_ERASED).values_list("object_id", flat=True)
    ids = {int(pk) for pk in deactivated if pk.isdigit()} - {int(pk) for pk in erased}
    return list(_all_past(today).filter(is_active=False, pk__in=ids))


@transaction.atomic
def deactivate(users: list[User], agent: User) -> int:
    for user in users:
        user.is_active = False
        user.save(update_fields=["is_active"])
        payload = {"reason": RETENTION}
        record(EventType.ACCOUNT_DEACTIVATED, actor=agent, obj=user, payload=payload)
    return len(users)


@transaction.atomic
def erase(users: list[User], agent: User) -> int:
    for user in users:
        user.username = f"efface-{user.pk}"
        user.first_name = user.last_name = user.email = ""
        user.set_unusable_password()
        user.is_active = False
        user.save()
        Beneficiary.objects.filter(user=user).update(email="")
        payload = {"user": user.pk, "role": user.role}
        record(EventType.ACCOUNT_ERASED, actor=agent, obj=user, payload=payload)
    return len(users)
