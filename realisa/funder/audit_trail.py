"""The audit trail for the agent: a dossier's, a month's, and the journal's filters.

An event names the one object it is about (``object_type``, ``object_id``), not the dossier
or the organisation behind it: a certification is about a month, a payment about itself, a
review about a KBIS. So « the events of a dossier » are those about the dossier, its months
(certificates) and its payments; « the events of an organisation » add those about the
organisation itself, its certifier documents, its members' accounts and their online
suspensions. Each is a subquery on those objects' ids (cast to text, as ``object_id``
stores them), read through the ``(object_type, object_id)`` index: one query whatever the
size, and no column to add to the chained, hashed events. The payload's « dossier » key is
not used: many events (a validation, a code, a PDF) do not carry it. Events about no object
(an import of a file, a checkpoint) or about several organisations' months at once (a
transmission) belong to no dossier nor organisation; API tokens and webhooks live above the
back-office (``realisa.api``) and are found by person, not organisation.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from realisa.accounts.models import User
from realisa.audit.models import AuditEvent
from realisa.certificates.models import Certificate, OnlineSuspension
from realisa.choices import Role
from realisa.dossiers.models import Dossier, Payment
from realisa.organisations.models import CertifierDocument, Organisation


def _objects(model: type[models.Model], ids: list[int]) -> Q:
    return Q(object_type=model._meta.label_lower, object_id__in=[str(i) for i in ids])


def month_events(certificate: Certificate | None) -> QuerySet[AuditEvent]:
    if certificate is None:
        return AuditEvent.objects.none()
    events = AuditEvent.objects.select_related("actor")
    return events.filter(_objects(Certificate, [certificate.pk])).order_by("id")


def dossier_events(dossier: Dossier) -> QuerySet[AuditEvent]:
    dossiers = Dossier.objects.filter(pk=dossier.pk)
    events = AuditEvent.objects.select_related("actor")
    return events.filter(about_dossiers(dossiers)).order_by("id")


def _attached(rows: QuerySet[Any]) -> Q:
    """The events about one of ``rows``, their ids selected by a subquery."""
    ids = rows.annotate(text_id=Cast("pk", CharField())).values("text_id")
    return Q(object_type=rows.model._meta.label_lower, object_id__in=ids)


def about_dossiers(dossiers: QuerySet[Dossier]) -> Q:
    """The events about ``dossiers``, their months and their payments."""
    return (
        _attached(dossiers)
        | _attached(Certificate.objects.filter(dossier__in=dossiers))
        | _attached(Payment.objects.filter(dossier__in=dossiers))
    )


def about_organisations(organisations: QuerySet[Organisation]) -> Q:
    """The events about the organisations, their documents, members and dossiers."""
    return (
        _attached(organisations)
        | _attached(CertifierDocument.objects.filter(organisation__in=organisations))
        | _attached(User.objects.filter(organisation__in=organisations))
        | _attached(OnlineSuspension.objects.filter(user__organisation__in=organisations))
        | about_dossiers(Dossier.objects.filter(organisation__in=organisations))
    )


def by_person(text: str) -> Q:
    """The events whose author matches every word of ``text`` (first name, last name or
    username): « nadia », « Benali Nadia », « nadia.benali »."""
    where = Q()
    for word in text.split()[:8]:
        where &= (
            Q(actor_username__icontains=word)
            | Q(actor__first_name__icontains=word)
            | Q(actor__last_name__icontains=word)
        )
    return where


def journal_events(user: Any) -> QuerySet[AuditEvent]:
    """The events ``user`` may read in the journal: every one for an agent, none otherwise."""
    if not (user.is_authenticated and user.is_active and user.role == Role.AGENT):
        return AuditEvent.objects.none()
    return AuditEvent.objects.select_related("actor").order_by("-id")  # the chain's order
