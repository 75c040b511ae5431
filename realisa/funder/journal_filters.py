"""The journal's filters (django-filter): dossier, organisation, person, type, period.

A dossier or an organisation is found through the objects its events are about
(``funder.audit_trail``); the period is of days in Paris time, as the page shows them.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from realisa.audit.events import EventType
from realisa.audit.models import AuditEvent
from realisa.dossiers.models import Dossier
from realisa.funder.audit_trail import about_dossiers, about_organisations, by_person
from realisa.funder.list_filters import organisation_filter, organisations_named

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


EARLIEST, LATEST = date(2000, 1, 1), date(9000, 1, 1)  # dates beyond: no bound at all


def start_of(day: date) -> datetime:
    """Midnight, Paris time, at the start of ``day``."""
    return timezone.make_aware(datetime.combine(day, time.min))


class JournalFilter(django_filters.FilterSet):
    dossier = django_filters.CharFilter(label="Dossier (numéro)", method="by_dossier")
    organisme = organisation_filter(method="by_organisation")
    personne = django_filters.CharFilter(label="Personne", method="by_person")
    type = django_filters.ChoiceFilter(
        label="Type d'événement",
        field_name="action",
        choices=EventType.choices,
        empty_label="Tous les types",
    )
    du = django_filters.DateFilter(label="Du", method="since", widget=DATE_INPUT)
    au = django_filters.DateFilter(label="Au", method="until", widget=DATE_INPUT)

    class Meta:
        model = AuditEvent
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.label_suffix = ""

    def by_dossier(self, events: QuerySet[AuditEvent], name: str, value: str) -> Any:
        dossiers = Dossier.objects.filter(number__iexact=value.strip())
        return events.filter(about_dossiers(dossiers))

    def by_organisation(self, events: QuerySet[AuditEvent], name: str, value: str) -> Any:
        return events.filter(about_organisations(organisations_named(value)))

    def by_person(self, events: QuerySet[AuditEvent], name: str, value: str) -> Any:
        return events.filter(by_person(value))

    def since(self, events: QuerySet[AuditEvent], name: str, value: date) -> Any:
        return events.filter(created_at__gte=start_of(value)) if value > EARLIEST else events

    def until(self, events: QuerySet[AuditEvent], name: str, value: date) -> Any:
        if value >= LATEST:
            return events
        return events.filter(created_at__lt=start_of(value + timedelta(days=1)))
