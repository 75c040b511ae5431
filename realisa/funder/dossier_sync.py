"""Dossiers from the funder's instruction system: one line of an import file (or one row
of an API call) becomes a dossier with its organisation, beneficiary and employer, created
or updated.

People are found by the funder's identifiers, never by an e-mail address alone, which a
family or a company may share:

- the dossier by its number;
- the beneficiary by the funder's identifier (``Beneficiary.funder_reference``);
- the organisation by its SIRET;
- the employer by its SIRET and its name.

A line that contradicts what is recorded (another organisation for a known dossier, another
name behind a known employer's SIRET, a beneficiary described two ways in one file) is
refused with its reason: nothing is ever merged. So is a change of dates that would alter
the days of a month whose hours are entered or certified.

A person created here gets an account and its invitation (``accounts.invitations``); nobody
gets one twice. ``Sync.line`` writes one line in the caller's transaction and returns what it
did; the audit events (and so the invitations' e-mails) wait for ``Sync.record``, which the
caller calls only when it commits, so that a preview rolled back records nothing at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models
from django.http import HttpRequest

from realisa.accounts.invitations import invited, new_invited_user
from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.certificates.models import Certificate
from realisa.choices import ActionNature, Civility, MonthStatus, Role
from realisa.dossiers.models import Beneficiary, Dossier, Employer, PlannedDay
from realisa.dossiers.periods import MonthPeriod, training_months
from realisa.lib.french import of_month, plural
from realisa.lib.hours import format_minutes
from realisa.organisations.models import Organisation


@dataclass(frozen=True)
class DossierData:
    """A dossier as the funder's system describes it (checked for form by the reader)."""

    number: str
    beneficiary_reference: str
    organisation_siret: str
    organisation_name: str
    organisation_email: str
    civility: str
    first_name: str
    last_name: str
    beneficiary_email: str
    employer_siret: str  # "" when the dossier has no employer
    employer_name: str
    employer_email: str
    training_title: str
    action_nature: str
    start_date: date
    end_date: date
    planned_minutes: int
    is_paperless: bool


class Outcome(models.TextChoices):
    CREATED = "created", "créé"
    UPDATED = "updated", "mis à jour"
    UNCHANGED = "unchanged", "inchangé"
    REFUSED = "refused", "refusé"


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.label} : {self.before or '(vide)'} → {self.after or '(vide)'}"


@dataclass
class LineResult:
    """What one line did, or why it was refused."""

    place: str  # « ligne 4 », « élément 2 »
    number: str
    outcome: Outcome = Outcome.UNCHANGED
    changes: list[Change] = field(default_factory=list)
    invitations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dossier: Dossier | None = None


def same_name(first: str, second: str) -> bool:
    """Names compared as people read them: case and spacing aside."""
    return " ".join(first.casefold().split()) == " ".join(second.casefold().split())


def _dates(start: date, end: date) -> str:
    return f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}"


NATURES = dict(ActionNature.choices)
CIVILITIES = dict(Civility.choices)


def _period_of(month: date, start: date, end: date) -> MonthPeriod | None:
    if end < start:
        return None
    return next((p for p in training_months(start, end) if p.month == month), None)


class Sync:
    """One import or API call: its lines written in order, its events recorded at the end."""

    def __init__(self, *, actor: User, source: str) -> None:
        self.actor = actor
        self.source = source  # « import », « api »
        # Who the earlier lines described, and where: a later line must agree.
        self.seen_organisations: dict[str, tuple[str, str]] = {}
        self.seen_beneficiaries: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.seen_employers: dict[str, tuple[str, str]] = {}
        self.seen_numbers: dict[str, str] = {}
        self._events: list[tuple[EventType, models.Model, dict[str, Any]]] = []
        self._invited: list[User] = []

    # --- checks ------------------------------------------------------------------

    def _check_batch(self, data: DossierData, place: str) -> list[str]:
        errors = []
        if data.number in self.seen_numbers:
            errors.append(f"Le dossier {data.number} figure déjà {self.seen_numbers[data.number]}.")
        organisation = self.seen_organisations.get(data.organisation_siret)
        if organisation and not same_name(organisation[1], data.organisation_name):
            errors.append(
                f"L'organisme de SIRET {data.organisation_siret} s'appelle « {organisation[1]} » "
                f"{organisation[0]}, et « {data.organisation_name} » ici."
            )
        person = self._person(data)
        beneficiary = self.seen_beneficiaries.get(data.beneficiary_reference)
        if beneficiary and beneficiary[1] != person:
            errors.append(
                f"Le bénéficiaire d'identifiant {data.beneficiary_reference} est décrit "
                f"autrement {beneficiary[0]} (civilité, nom, prénom ou e-mail)."
            )
        employer = self.seen_employers.get(data.employer_siret) if data.employer_siret else None
        if employer and not same_name(employer[1], data.employer_name):
            errors.append(
                f"L'employeur de SIRET {data.employer_siret} s'appelle « {employer[1]} » "
                f"{employer[0]}, et « {data.employer_name} » ici."
            )
        return errors

    @staticmethod
    def _person(data: DossierData) -> tuple[str, ...]:
        return (
            data.civility,
            " ".join(data.first_name.split()),
            " ".join(data.last_name.split()),
            data.beneficiary_email.lower(),
        )

    def _remember(self, data: DossierData, place: str) -> None:
        self.seen_numbers.setdefault(data.number, place)
        self.seen_organisations.setdefault(data.organisation_siret, (place, data.organisation_name))
        self.seen_beneficiaries.setdefault(data.beneficiary_reference, (place, self._person(data)))
        if data.employer_siret:
            self.seen_employers.setdefault(data.employer_siret, (place, data.employer_name))

    @staticmethod
    def _date_errors(dossier: Dossier, data: DossierData) -> list[str]:
        """A month whose hours are entered or certified keeps its days; a payment stays
        within the training."""
        if (dossier.start_date, dossier.end_date) == (data.start_date, data.end_date):
            return []
        errors = []
        months = Certificate.objects.filter(dossier=dossier).values_list("month", "status")
        for month, status in sorted(months):
            before = _period_of(month, dossier.start_date, dossier.end_date)
            after = _period_of(month, data.start_date, data.end_date)
            if before != after:
                done = "déjà saisies" if status == MonthStatus.ENTERED else "déjà certifiées"
                errors.append(
                    f"Les dates ne peuvent pas passer {_dates(data.start_date, data.end_date)} : "
                    f"les heures {of_month(month)} sont {done}, et les jours de ce mois "
                    "changeraient. Rouvrez ou corrigez d'abord ce mois."
                )
        for payment in dossier.payments.all():
            if payment.period_start < data.start_date or payment.period_end > data.end_date:
                errors.append(
                    f"Les dates ne peuvent pas passer {_dates(data.start_date, data.end_date)} : "
                    f"un règlement couvre la période "
                    f"{_dates(payment.period_start, payment.period_end)}."
                )
        return errors

    # --- one line ----------------------------------------------------------------

    def line(self, data: DossierData, place: str) -> LineResult:
        """Create or update the line's dossier and the people it names, or refuse it."""
        result = LineResult(place=place, number=data.number)
        result.errors = self._check_batch(data, place)
        dossier = (
            Dossier.objects.select_related("organisation", "beneficiary", "employer")
            .filter(number=data.number)
            .first()
        )
        organisation = Organisation.objects.filter(siret=data.organisation_siret).first()
        beneficiary = (  # no identifier (a dossier typed on the portal) finds no one
            Beneficiary.objects.filter(funder_reference=data.beneficiary_reference).first()
            if data.beneficiary_reference
            else None
        )
        if dossier is not None:
            if dossier.organisation.siret != data.organisation_siret:
                result.errors.append(
                    f"Le dossier {data.number} est suivi par l'organisme "
                    f"« {dossier.organisation.name} » (SIRET {dossier.organisation.siret}), "
                    f"pas par celui de SIRET {data.organisation_siret}."
                )
            known = dossier.beneficiary.funder_reference
            if known and known != data.beneficiary_reference:
                result.errors.append(
                    f"Le dossier {data.number} est celui du bénéficiaire d'identifiant {known}, "
                    f"pas {data.beneficiary_reference}."
                )
            elif not known:
                if beneficiary is not None and beneficiary.pk != dossier.beneficiary_id:
                    result.errors.append(
                        f"L'identifiant {data.beneficiary_reference} est celui d'un autre "
                        f"bénéficiaire que celui du dossier {data.number}."
                    )
                beneficiary = dossier.beneficiary  # it receives its identifier
            result.errors += self._date_errors(dossier, data)
        new_organisation = organisation is None
        if new_organisation and not (data.organisation_name and data.organisation_email):
            result.errors.append(
                f"L'organisme de SIRET {data.organisation_siret} est nouveau : sa raison "
                "sociale et l'e-mail de son administrateur sont nécessaires."
            )
        employer = None
        if data.employer_siret:
            employer, error = self._employer(data)
            if error:
                result.errors.append(error)
        if result.errors:
            result.outcome = Outcome.REFUSED
            return result
        self._remember(data, place)
        organisation = organisation or self._new_organisation(data, result)
        beneficiary = self._beneficiary(data, beneficiary, result)
        if data.employer_siret:
            employer = self._save_employer(data, employer, result)
        result.dossier = self._dossier(data, dossier, organisation, beneficiary, employer, result)
        return result

    def _employer(self, data: DossierData) -> tuple[Employer | None, str]:
        candidates = list(Employer.objects.filter(siret=data.employer_siret))
        for candidate in candidates:
            if same_name(candidate.name, data.employer_name):
                return candidate, ""
        if candidates:
            names = ", ".join(f"« {c.name} »" for c in candidates)
            return None, (
                f"Le SIRET {data.employer_siret} est celui de l'employeur {names}, "
                f"pas de « {data.employer_name} » : corrigez le nom ou le SIRET."
            )
        return None, ""

    # --- writes ------------------------------------------------------------------

    def _invite(self, user: User, result: LineResult, who: str) -> None:
        self._invited.append(user)
        result.invitations.append(f"{who} : invitation à {user.email}")

    def _new_organisation(self, data: DossierData, result: LineResult) -> Organisation:
        organisation = Organisation.objects.create(
            siret=data.organisation_siret,
            name=data.organisation_name,
            email=data.organisation_email,
        )
        admin = new_invited_user(
            Role.OF_ADMIN, data.organisation_email, organisation_id=organisation.pk
        )
        self._invite(admin, result, f"administrateur de « {organisation.name} »")
        return organisation

    def _beneficiary(
        self, data: DossierData, beneficiary: Beneficiary | None, result: LineResult
    ) -> Beneficiary:
        wanted = {
            "funder_reference": data.beneficiary_reference,
            "civility": data.civility,
            "first_name": " ".join(data.first_name.split()),
            "last_name": " ".join(data.last_name.split()),
            "email": data.beneficiary_email,
        }
        if beneficiary is None:
            beneficiary = Beneficiary.objects.create(**wanted)
        else:
            changed = self._update(beneficiary, wanted, result, "bénéficiaire")
            if changed:
                beneficiary.save(update_fields=changed)
        if beneficiary.user_id is None and beneficiary.email:
            user = new_invited_user(
                Role.BENEFICIARY,
                beneficiary.email,
                first_name=beneficiary.first_name,
                last_name=beneficiary.last_name,
            )
            beneficiary.user = user
            beneficiary.save(update_fields=["user"])
            self._invite(user, result, f"bénéficiaire {beneficiary.full_name}")
        return beneficiary

    def _save_employer(
        self, data: DossierData, employer: Employer | None, result: LineResult
    ) -> Employer:
        if employer is None:
            employer = Employer.objects.create(
                siret=data.employer_siret, name=data.employer_name, email=data.employer_email
            )
        elif data.employer_email and employer.email != data.employer_email:
            result.changes.append(
                Change("e-mail de l'employeur", employer.email, data.employer_email)
            )
            employer.email = data.employer_email
            employer.save(update_fields=["email"])
        if employer.email and not employer.users.exists():
            user = new_invited_user(Role.EMPLOYER, employer.email, employer_id=employer.pk)
            self._invite(user, result, f"employeur « {employer.name} »")
        return employer

    @staticmethod
    def _update(
        instance: models.Model, wanted: dict[str, Any], result: LineResult, whose: str = ""
    ) -> list[str]:
        """Set the fields that differ, each named in ``result.changes`` (« prénom du
        bénéficiaire » when ``whose`` names the person)."""
        changed = []
        for name, value in wanted.items():
            before = getattr(instance, name)
            if before != value:
                label = str(instance._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
                if whose:
                    label = f"{label} du {whose}"
                result.changes.append(Change(label, _shown(name, before), _shown(name, value)))
                setattr(instance, name, value)
                changed.append(name)
        return changed

    def _dossier(
        self,
        data: DossierData,
        dossier: Dossier | None,
        organisation: Organisation,
        beneficiary: Beneficiary,
        employer: Employer | None,
        result: LineResult,
    ) -> Dossier:
        wanted = {
            "training_title": data.training_title,
            "action_nature": data.action_nature,
            "start_date": data.start_date,
            "end_date": data.end_date,
            "planned_minutes": data.planned_minutes,
            "is_paperless": data.is_paperless,
        }
        if dossier is None:
            dossier = Dossier.objects.create(
                number=data.number,
                organisation=organisation,
                beneficiary=beneficiary,
                employer=employer,
                **wanted,
            )
            result.outcome = Outcome.CREATED
            self._events.append(
                (
                    EventType.DOSSIER_CREATED,
                    dossier,
                    {
                        "dossier": dossier.number,
                        "organisation": organisation.siret,
                        "beneficiary": beneficiary.funder_reference,
                        "source": self.source,
                    },
                )
            )
            return dossier
        changed = self._update(dossier, wanted, result)
        if dossier.employer_id != (employer.pk if employer else None):
            result.changes.append(
                Change(
                    "employeur",
                    dossier.employer.name if dossier.employer else "aucun",
                    employer.name if employer else "aucun",
                )
            )
            dossier.employer = employer
            changed.append("employer")
        if changed:
            dossier.save(update_fields=changed)
            outside = PlannedDay.objects.filter(dossier=dossier).exclude(
                date__range=(data.start_date, data.end_date)
            )
            removed, _ = outside.delete()
            if removed:
                result.changes.append(
                    Change(
                        "calendrier prévisionnel",
                        plural(removed, "jour hors des nouvelles dates"),
                        "retiré" if removed == 1 else "retirés",
                    )
                )
        if result.changes:
            result.outcome = Outcome.UPDATED
            self._events.append(
                (
                    EventType.DOSSIER_UPDATED,
                    dossier,
                    {
                        "dossier": dossier.number,
                        "changes": [[c.label, c.before, c.after] for c in result.changes],
                        "source": self.source,
                    },
                )
            )
        return dossier

    # --- a line in its own transaction -------------------------------------------

    @contextmanager
    def forgotten_on_error(self) -> Iterator[None]:
        """Around a line that the caller writes in a transaction of its own (a row of an
        API call): when it raises, the transaction rolls the line back, and the call forgets
        it too, as if it had not been sent: a later line is not checked against what it
        described, and its events (its invitations) are never recorded."""
        seen = (
            dict(self.seen_numbers),
            dict(self.seen_organisations),
            dict(self.seen_beneficiaries),
            dict(self.seen_employers),
        )
        events, invited = len(self._events), len(self._invited)
        try:
            yield
        except BaseException:
            (
                self.seen_numbers,
                self.seen_organisations,
                self.seen_beneficiaries,
                self.seen_employers,
            ) = seen
            del self._events[events:], self._invited[invited:]
            raise

    # --- the end -----------------------------------------------------------------

    def record(self, request: HttpRequest | None = None) -> None:
        """Record the events of every line written, and so send the invitations: call it
        only in the transaction that commits them."""
        for user in self._invited:
            invited(user, actor=self.actor, source=self.source, request=request)
        for action, obj, payload in self._events:
            record(action, actor=self.actor, obj=obj, payload=payload, request=request)
        self._events, self._invited = [], []


def _shown(name: str, value: Any) -> str:
    """A field's value as the preview writes it."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if name == "planned_minutes":
        return format_minutes(int(value))
    if name == "action_nature":
        return str(NATURES.get(value, value))
    if name == "civility":
        return str(CIVILITIES.get(value, value))
    return str(value)
