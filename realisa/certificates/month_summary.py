"""The months' summary (``MonthSummary``): one row per dossier and month of training, with
its opening day and its status, kept up to date here and read by the funder's dashboard and
late list, which then count and filter national figures with one indexed query instead of
computing every dossier's months in Python.

Every row follows from the rows it summarises, by the same rules as the organisation's
table (``status.month_status``, ``Dossier.months``). It is written at one place, the
receivers below, whatever changes them: a certificate's status (through the lifecycle), a
payment, an interruption, the training's dates, from a form, the API, an import or the
admin. Bulk writes that send no signal (``bulk_create``, ``QuerySet.update``) call
``refresh`` themselves: only the national demo data does (``demo.scale``). After a change
made outside Django, ``manage.py refresh_month_summaries`` writes them all again.

The status stored is the month's status once it has opened: the only rule that depends on
the day (« La saisie n'est pas disponible » before the opening day) is applied when the
rows are read (``shown_status``, ``shown``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    Value,
    When,
)
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from realisa.certificates.lifecycle import breaks_of, paid_periods
from realisa.certificates.models import KIND, Certificate, MonthCount, MonthSummary
from realisa.certificates.status import month_status
from realisa.choices import MonthStatus
from realisa.dossiers.models import Dossier, Interruption, Payment

CHUNK = 1000  # dossiers refreshed together: a few queries for each chunk
# opening day, status, certificate, organisation, then the certificate's copied fields
Row = tuple[date, str, int | None, int, str, date | None, bool]


def summarise(dossier: Dossier) -> dict[date, Row]:
    """Each month of ``dossier`` (payments, interruptions and certificates prefetched)."""
    held = {c.month: c for c in dossier.certificates.all()}
    payments, breaks = paid_periods(dossier), breaks_of(dossier)
    rows = {}
    for period in dossier.months(held=held):
        certificate = held.get(period.month)
        stored = certificate.status if certificate else None
        status = month_status(
            period, today=period.opens_on, payments=payments, stored=stored, breaks=breaks
        )
        rows[period.month] = (
            period.opens_on,
            status.value,
            certificate.pk if certificate else None,
            dossier.organisation_id,
            *copied(certificate),
        )
    return rows


def copied(certificate: Certificate | None) -> tuple[str, date | None, bool]:
    """What the summary copies of a month's certificate: its certification method, the
    local day it was certified, and whether it was validated."""
    if certificate is None:
        return "", None, False
    certified = certificate.certified_at
    return (
        certificate.certification_method,
        timezone.localdate(certified) if certified else None,
        certificate.validated_at is not None,
    )


def refresh(dossier_ids: Iterable[int], *, add: bool = True) -> None:
    """Write the summary of these dossiers again: new months, changed ones, gone ones.
    ``add=False`` while a row is being deleted: a deletion never adds a month, and the
    dossier itself may be on its way out."""
    ids = sorted(set(dossier_ids))
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic():  # the rows, then their counts, from what was locked
            _refresh_chunk(ids[start : start + CHUNK], add=add)


def refresh_all() -> int:
    """Every dossier's summary written again; the number of dossiers."""
    ids = list(Dossier.objects.order_by("pk").values_list("pk", flat=True))
    refresh(ids)
    return len(ids)


def summarise_after_migrate(**kwargs: Any) -> None:
    """The summary of the dossiers that have none yet (every dossier has a month): after
    ``migrate``, with the schema and rules of the code being migrated to, an older
    database gets its summary. Nothing when the table is not there (migrated back)."""
    if MonthSummary._meta.db_table not in connection.introspection.table_names():
        return
    refresh(Dossier.objects.filter(month_summaries__isnull=True).values_list("pk", flat=True))


def _refresh_chunk(ids: list[int], *, add: bool) -> None:
    dossiers = Dossier.objects.filter(pk__in=ids).prefetch_related(
        "payments",
        "interruptions",
        Prefetch(
            "certificates",
            queryset=Certificate.objects.only("dossier_id", "month", "status", *COPIED),
        ),
    )
    wanted = {
        (dossier.pk, month): row
        for dossier in dossiers
        for month, row in summarise(dossier).items()
    }
    # locked in one order: the counts are moved from what the rows held, not from a read
    # that another writer is about to change
    rows = MonthSummary.objects.select_for_update().filter(dossier_id__in=ids).order_by("pk")
    existing = {(s.dossier_id, s.month): s for s in rows}
    changes: Counter[Kind] = Counter()
    gone, changed = [], []
    for (dossier, month), summary in existing.items():
        row, was = wanted.get((dossier, month)), _row_of(summary)
        if row == was:
            continue
        moved(changes, month, was, row)
        if row is None:
            gone.append(summary.pk)
        else:
            changed.append(_write(summary, row))
    added = [key for key in wanted if key not in existing] if add else []
    for dossier, month in added:
        moved(changes, month, None, wanted[dossier, month])
    MonthSummary.objects.filter(pk__in=gone).delete()
    MonthSummary.objects.bulk_update(changed, FIELDS)
    MonthSummary.objects.bulk_create(
        _write(MonthSummary(dossier_id=dossier, month=month), wanted[dossier, month])
        for dossier, month in added
    )
    count_changes(changes)


COPIED = ["certification_method", "certified_at", "validated_at"]  # read by ``copied``
# a ``Row``, in its order
FIELDS = [
    "opens_on",
    "status",
    "certificate",
    "organisation",
    "method",
    "certified_on",
    "validated",
]


def _row_of(summary: MonthSummary) -> Row:
    return (
        summary.opens_on,
        summary.status,
        summary.certificate_id,
        summary.organisation_id,
        summary.method,
        summary.certified_on,
        summary.validated,
    )


def _write(summary: MonthSummary, row: Row) -> MonthSummary:
    summary.opens_on, summary.status, summary.certificate_id, summary.organisation_id = row[:4]
    summary.method, summary.certified_on, summary.validated = row[4:]
    return summary


def shown(status: str, opens_on: date, today: date) -> MonthStatus:
    """The status people see on ``today`` of a month summarised as ``status``."""
    if status == MonthStatus.AWAITING_ENTRY and today < opens_on:
        return MonthStatus.NOT_OPEN
    return MonthStatus(status)


def shown_status(today: date, prefix: str = "") -> Case:
    """``shown`` in SQL, for the summary reached through ``prefix`` (« summary__ »)."""
    not_open = Q(**{f"{prefix}status": MonthStatus.AWAITING_ENTRY, f"{prefix}opens_on__gt": today})
    return Case(
        When(not_open, then=Value(MonthStatus.NOT_OPEN.value)),
        default=F(f"{prefix}status"),
        output_field=CharField(),
    )


# The counts (``MonthCount``): each summary written above adds to its kind's count and
# takes from its former kind's, in the same transaction.

Kind = tuple[date, date, str, bool, str, bool]  # a ``MonthCount``'s key, in ``KIND``'s order


def kind_of(month: date, row: Row) -> Kind:
    opens_on, status, certificate, _organisation, method, _certified_on, validated = row
    return (month, opens_on, status, certificate is not None, method, validated)


def moved(changes: Counter[Kind], month: date, was: Row | None, row: Row | None) -> None:
    """A summary row of ``month`` held ``was`` and now holds ``row`` (None: no row): one
    fewer of the first kind, one more of the second."""
    if was is not None:
        changes[kind_of(month, was)] -= 1
    if row is not None:
        changes[kind_of(month, row)] += 1


def count_changes(changes: Counter[Kind]) -> None:
    """Add each change to its kind's count, in one order for every writer: two
    transactions never wait for each other's counts in a circle."""
    for kind, change in sorted(changes.items()):
        if change:
            _add(dict(zip(KIND, kind, strict=True)), change)


def _add(fields: dict[str, Any], change: int) -> None:
    counts = MonthCount.objects.filter(**fields)
    if counts.update(count=F("count") + change):
        return
    try:
        with transaction.atomic():
            MonthCount.objects.create(**fields, count=change)
    except IntegrityError:  # another writer created it meanwhile: it is there now
        counts.update(count=F("count") + change)


def recount() -> int:
    """Every count written again from the summaries; the number of counts."""
    MonthCount.objects.all().delete()
    entered = ExpressionWrapper(Q(certificate__isnull=False), output_field=BooleanField())
    kinds = MonthSummary.objects.annotate(entered=entered).order_by().values(*KIND)
    counts = [MonthCount(**kind) for kind in kinds.annotate(count=Count("pk"))]
    return len(MonthCount.objects.bulk_create(counts))


# The receivers: the only writers of the summary, but for ``refresh`` called in bulk.


@receiver(post_save, sender=Certificate, dispatch_uid="summary_certificate_saved")
def _certificate_saved(instance: Certificate, **kwargs: Any) -> None:
    """A stored status wins over every other rule: the month's row takes it as it is."""
    with transaction.atomic():  # a save outside a transaction (a script, the shell) too
        _certificate_written(instance)


def _certificate_written(instance: Certificate) -> None:
    rows = MonthSummary.objects.select_for_update().order_by()
    summary = rows.filter(dossier_id=instance.dossier_id, month=instance.month).first()
    if not instance.status or summary is None:
        refresh([instance.dossier_id])
        return
    was = _row_of(summary)
    row: Row = (
        summary.opens_on,
        instance.status,
        instance.pk,
        summary.organisation_id,
        *copied(instance),
    )
    if row != was:
        _write(summary, row).save(update_fields=FIELDS)
        changes: Counter[Kind] = Counter()
        moved(changes, summary.month, was, row)
        count_changes(changes)


@receiver(pre_delete, sender=Dossier, dispatch_uid="summary_dossier_deleting")
def _dossier_deleting(instance: Dossier, **kwargs: Any) -> None:
    """Its summaries go with it (a cascade, in the database): their counts go first."""
    changes: Counter[Kind] = Counter()
    for summary in MonthSummary.objects.filter(dossier=instance):
        moved(changes, summary.month, _row_of(summary), None)
    count_changes(changes)


@receiver(post_save, sender=Dossier, dispatch_uid="summary_dossier_saved")
def _dossier_saved(instance: Dossier, **kwargs: Any) -> None:
    refresh([instance.pk])


@receiver(post_save, sender=Payment, dispatch_uid="summary_payment_saved")
@receiver(post_save, sender=Interruption, dispatch_uid="summary_interruption_saved")
def _dossier_part_saved(instance: Payment | Interruption, **kwargs: Any) -> None:
    refresh([instance.dossier_id])


@receiver(post_delete, sender=Certificate, dispatch_uid="summary_certificate_deleted")
@receiver(post_delete, sender=Payment, dispatch_uid="summary_payment_deleted")
@receiver(post_delete, sender=Interruption, dispatch_uid="summary_interruption_deleted")
def _dossier_part_deleted(instance: Certificate | Payment | Interruption, **kwargs: Any) -> None:
    refresh([instance.dossier_id], add=False)
