"""The audit trail of a dossier or of one of its months, for the agent: who, what, when, IP."""

from __future__ import annotations

from django.db import models
from django.db.models import Q, QuerySet

from realisa.audit.events import label
from realisa.audit.models import AuditEvent
from realisa.certificates.models import Certificate
from realisa.dossiers.models import Dossier, Payment


def _objects(model: type[models.Model], ids: list[int]) -> Q:
    return Q(object_type=model._meta.label_lower, object_id__in=[str(i) for i in ids])


def month_events(certificate: Certificate | None) -> QuerySet[AuditEvent]:
    if certificate is None:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(_objects(Certificate, [certificate.pk])).order_by("id")


def dossier_events(dossier: Dossier) -> QuerySet[AuditEvent]:
    certificates = list(dossier.certificates.values_list("pk", flat=True))
    payments = list(dossier.payments.values_list("pk", flat=True))
    where = _objects(Dossier, [dossier.pk]) | _objects(Certificate, certificates)
    return AuditEvent.objects.filter(where | _objects(Payment, payments)).order_by("id")


def action_label(action: str) -> str:
    """The French words of an event's type (``audit.events.EventType``)."""
    return label(action)
