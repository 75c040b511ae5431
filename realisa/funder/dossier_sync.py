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
from typing import Any

from django.db import models
from django.http import HttpRequest

from realisa.accounts.invitations import invited, new_invited_user
from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.choices import Role
from realisa.dossiers.models import Beneficiary, Dossier, Employer, PlannedDay
from realisa.funder.dossier_checks import (
    employer_of,
    known_dossier_errors,
    person_of,
    same_name,
    shown,
)
from realisa.funder.dossier_data import Change, DossierData, LineResult, Outcome
from realisa.funder.life_sync import life_errors, sync_life
from realisa.lib.french import plural
from realisa.organisations.models import Organisation


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
        person = person_of(data)
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

    def _remember(self, data: DossierData, place: str) -> None:
        self.seen_numbers.setdefault(data.number, place)
        self.seen_organisations.setdefault(data.organisation_siret, (place, data.organisation_name))
        self.seen_beneficiaries.setdefault(data.beneficiary_reference, (place, person_of(data)))
        if data.employer_siret:
            self.seen_employers.setdefault(data.employer_siret, (place, data.employer_name))

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
            errors, beneficiary = known_dossier_errors(dossier, data, beneficiary)
            result.errors += errors
        if organisation is None and not (data.organisation_name and data.organisation_email):
            result.errors.append(
                f"L'organisme de SIRET {data.organisation_siret} est nouveau : sa raison "
                "sociale et l'e-mail de son administrateur sont nécessaires."
            )
        employer, error = employer_of(data) if data.employer_siret else (None, "")
        result.errors += [error] if error else []
        result.errors += life_errors(data)
        if result.errors:
            result.outcome = Outcome.REFUSED
            return result
        self._remember(data, place)
        organisation = organisation or self._new_organisation(data, result)
        beneficiary = self._beneficiary(data, beneficiary, result)
        if data.employer_siret:
            employer = self._save_employer(data, employer, result)
        result.dossier = self._dossier(data, dossier, organisation, beneficiary, employer, result)
        for action, payload in sync_life(result.dossier, data, result.changes):
            self._events.append((action, result.dossier, payload))
            if result.outcome == Outcome.UNCHANGED:
                result.outcome = Outcome.UPDATED
        return result

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
                result.changes.append(Change(label, shown(name, before), shown(name, value)))
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
        if data.european_cofunding is not None:
            wanted["european_cofunding"] = data.european_cofunding
        if dossier is None:
            dossier = Dossier.objects.create(
                number=data.number,
                organisation=organisation,
                beneficiary=beneficiary,
                employer=employer,
                **wanted,
            )
            result.outcome = Outcome.CREATED
            payload = {
                "dossier": dossier.number,
                "organisation": organisation.siret,
                "beneficiary": beneficiary.funder_reference,
                "source": self.source,
            }
            self._events.append((EventType.DOSSIER_CREATED, dossier, payload))
            return dossier
        self._update_dossier(dossier, wanted, employer, result)
        return dossier

    def _update_dossier(
        self,
        dossier: Dossier,
        wanted: dict[str, Any],
        employer: Employer | None,
        result: LineResult,
    ) -> None:
        changed = self._update(dossier, wanted, result)
        if dossier.employer_id != (employer.pk if employer else None):
            before = dossier.employer.name if dossier.employer else "aucun"
            result.changes.append(
                Change("employeur", before, employer.name if employer else "aucun")
            )
            dossier.employer = employer
            changed.append("employer")
        if changed:
            dossier.save(update_fields=changed)
            _trim_plan(dossier, result)
        if result.changes:
            result.outcome = Outcome.UPDATED
            payload = {
                "dossier": dossier.number,
                "changes": [[c.label, c.before, c.after] for c in result.changes],
                "source": self.source,
            }
            self._events.append((EventType.DOSSIER_UPDATED, dossier, payload))

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


def _trim_plan(dossier: Dossier, result: LineResult) -> None:
    """The planned days outside the dossier's (new) dates go, and the change says so."""
    outside = PlannedDay.objects.filter(dossier=dossier).exclude(
        date__range=(dossier.start_date, dossier.end_date)
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
