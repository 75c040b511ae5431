"""The back-office lists' search, filters and sort, read from the query string by
django-filter ``FilterSet``s: each list declares what it may be filtered and sorted by, and
the database does the work, so a list of 30,000 months is paged, not loaded.

The search box is the same everywhere: each word typed must match the dossier number, the
beneficiary's first or last name, the organisation's name or the start of its SIRET.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from realisa.accounts.models import User
from realisa.certificates.models import Certificate
from realisa.choices import Role
from realisa.dossiers.models import Dossier
from realisa.dossiers.search import dossier_search
from realisa.funder.forms import MonthField
from realisa.funder.month_overview import DASHBOARD_STATUSES, month_dossiers
from realisa.organisations.models import Organisation

PER_PAGE = 50  # every back-office list, as « Mes dossiers »
SEARCH_HELP = "Numéro de dossier, nom du bénéficiaire, organisme ou SIRET."
ORGANISATION_HELP = "Nom ou SIRET."


class ListFilter(django_filters.FilterSet):
    """Labels without a colon, as the portal's forms have them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.label_suffix = ""


def organisation_filter(
    field_name: str = "", method: Callable[..., Any] | str | None = None
) -> django_filters.CharFilter:
    """« Organisme »: its name or the start of its SIRET, typed. The national network's
    1,500 organisations make a select no one can scroll, and one a page cannot afford to
    draw. ``field_name`` leads from the list's model to the organisation; a list whose rows
    reach it otherwise gives its own ``method`` (the journal's events)."""
    return django_filters.CharFilter(
        field_name=field_name,
        label="Organisme",
        method=method or by_organisation,
        help_text=ORGANISATION_HELP,
        max_length=100,
    )


def by_organisation(queryset: QuerySet[Any], name: str, value: str) -> Any:
    return queryset.filter(**{f"{name}__in": organisations_named(value)})


def organisations_named(text: str) -> QuerySet[Organisation]:
    """The organisations whose name holds each word of ``text``, or whose SIRET starts so."""
    return Organisation.objects.filter(organisation_search(text))


def search_filter(method: str) -> django_filters.CharFilter:
    return django_filters.CharFilter(
        label="Rechercher", method=method, help_text=SEARCH_HELP, max_length=100
    )


class MonthFilter(django_filters.Filter):
    """« AAAA-MM », cleaned to the month's first day."""

    field_class = MonthField


class StableOrdering(django_filters.OrderingFilter):
    """The chosen order, then the primary key: pages never share or skip a row on ties."""

    def filter(self, qs: Any, value: Any) -> Any:
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "pk") if value else qs


class MonthListFilter(ListFilter):
    """« Liste des mois » of the dashboard: one calendar month's dossiers. The month is not a
    filter of the list but its source (``month_dossiers``): ``for_month`` reads it first."""

    mois = MonthFilter(label="Mois", method="whole_month")
    organisme = organisation_filter("organisation")
    statut = django_filters.ChoiceFilter(
        field_name="status",
        label="Statut",
        choices=[(s.value, s.label) for s in DASHBOARD_STATUSES],
        empty_label="Tous les statuts",
    )
    q = search_filter("search")
    tri = StableOrdering(
        label="Trier par",
        empty_label="Numéro de dossier",
        fields=(
            ("number", "dossier"),
            ("beneficiary__last_name", "beneficiaire"),
            ("organisation__name", "organisme"),
            ("status", "statut"),
        ),
        field_labels={
            "number": "Dossier",
            "beneficiary__last_name": "Bénéficiaire",
            "organisation__name": "Organisme",
            "status": "Statut",
        },
    )

    class Meta:
        model = Dossier
        fields: list[str] = []

    month: date

    @classmethod
    def for_month(cls, data: Any, default: date, today: date) -> MonthListFilter:
        """The filters of ``data``, over the dossiers of the month it names (``default``
        when it names none, or an invalid one)."""
        filters = cls(data or None, queryset=Dossier.objects.none())
        month = default
        if filters.is_bound and filters.form.is_valid():
            month = filters.form.cleaned_data["mois"] or default
        filters.month = month
        # by number: the dossiers' unique index gives the first page without sorting them all
        filters.queryset = month_dossiers(month, today).order_by("number")
        return filters

    def whole_month(self, queryset: QuerySet[Dossier], name: str, value: date) -> Any:
        return queryset  # the queryset is already the month's (``for_month``)

    def search(self, queryset: QuerySet[Dossier], name: str, value: str) -> Any:
        return queryset.filter(dossier_search(value))


def organisation_search(text: str, path: str = "") -> Q:
    """Each word matches the organisation's name or the start of its SIRET."""
    where = Q()
    for word in text.split()[:8]:
        where &= Q(**{f"{path}name__icontains": word}) | Q(
            **{f"{path}siret__startswith": word.replace(".", "")}
        )
    return where


class ReviewQueueFilter(ListFilter):
    """« Contrôle des justificatifs »: the organisations waiting for a check."""

    q = django_filters.CharFilter(
        label="Rechercher", method="search", help_text="Organisme ou SIRET.", max_length=100
    )
    tri = StableOrdering(
        label="Trier par",
        empty_label="Le plus ancien dépôt d'abord",
        fields=(("waiting_since", "depot"), ("name", "organisme")),
        field_labels={"waiting_since": "Date du dépôt", "name": "Organisme"},
    )

    class Meta:
        model = Organisation
        fields: list[str] = []

    def search(self, queryset: QuerySet[Organisation], name: str, value: str) -> Any:
        return queryset.filter(organisation_search(value))


class InvitationFilter(ListFilter):
    """« Comptes non activés »: the people who have not chosen their password yet."""

    q = django_filters.CharFilter(
        label="Rechercher",
        method="search",
        help_text="Nom, identifiant, adresse e-mail, organisme ou employeur.",
        max_length=100,
    )
    role = django_filters.ChoiceFilter(
        label="Rôle", choices=[r for r in Role.choices if r[0] != Role.AGENT], empty_label="Tous"
    )
    tri = StableOrdering(
        label="Trier par",
        empty_label="Les plus récents d'abord",
        fields=(("date_joined", "creation"), ("last_name", "nom")),
        field_labels={"date_joined": "Date de création", "last_name": "Nom"},
    )

    class Meta:
        model = User
        fields: list[str] = []

    def search(self, queryset: QuerySet[User], name: str, value: str) -> Any:
        where = Q()
        for word in value.split()[:8]:
            where &= (
                Q(last_name__icontains=word)
                | Q(first_name__icontains=word)
                | Q(username__icontains=word)
                | Q(email__icontains=word)
                | Q(organisation__name__icontains=word)
                | Q(employer__name__icontains=word)
            )
        return queryset.filter(where)


class LateFilter(ListFilter):
    """« Organismes en retard »: searched by the database; the months late are counted by
    ``late.late_organisations``, so the order is applied to its rows (``order_late``)."""

    q = django_filters.CharFilter(
        label="Rechercher", method="search", help_text="Organisme ou SIRET.", max_length=100
    )
    tri = django_filters.ChoiceFilter(
        label="Trier par",
        method="keep",
        empty_label="Le plus de mois en retard d'abord",
        choices=[("organisme", "Organisme"), ("relance", "Dernière relance, la plus ancienne")],
    )

    class Meta:
        model = Organisation
        fields: list[str] = []

    def search(self, queryset: QuerySet[Organisation], name: str, value: str) -> Any:
        return queryset.filter(organisation_search(value))

    def keep(self, queryset: QuerySet[Organisation], name: str, value: str) -> Any:
        return queryset  # the order applies to the rows (``order_late``)

    def order_late(self, rows: list[Any]) -> list[Any]:
        """``rows`` (``late.LateOrganisation``) kept by the search, in the chosen order."""
        kept = set(self.qs.values_list("pk", flat=True))
        rows = [row for row in rows if row.organisation.pk in kept]
        order = self.form.cleaned_data.get("tri") if self.is_valid() else ""
        if order == "organisme":
            return sorted(rows, key=lambda row: row.organisation.name.lower())
        if order == "relance":
            return sorted(rows, key=lambda row: (row.last_reminded or date.min, -row.late_months))
        return rows


class ReadyListFilter(ListFilter):
    """« Prêts à transmettre »: by organisation, month, dossier or the search box. The
    confirmation step reads the same filters for « Tout sélectionner »."""

    organisme = organisation_filter("dossier__organisation")
    mois = MonthFilter(field_name="month", label="Mois")
    dossier = django_filters.CharFilter(
        label="Dossier", field_name="dossier__number", lookup_expr="icontains", max_length=30
    )
    q = search_filter("search")
    tri = StableOrdering(
        label="Trier par",
        empty_label="Le plus ancien mois d'abord",
        fields=(
            ("dossier__number", "dossier"),
            ("month", "mois"),
            ("dossier__organisation__name", "organisme"),
            ("dossier__beneficiary__last_name", "beneficiaire"),
        ),
        field_labels={
            "dossier__number": "Dossier",
            "month": "Mois",
            "dossier__organisation__name": "Organisme",
            "dossier__beneficiary__last_name": "Bénéficiaire",
        },
    )

    class Meta:
        model = Certificate
        fields: list[str] = []

    def search(self, queryset: QuerySet[Certificate], name: str, value: str) -> Any:
        return queryset.filter(dossier_search(value, "dossier__"))
