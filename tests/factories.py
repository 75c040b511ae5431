"""factory_boy factories. Each builds a consistent object; states are traits."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import factory
from django.utils import timezone
from stdnum import luhn

from realisa.accounts.models import User
from realisa.certificates.models import Certificate
from realisa.choices import ActionNature, CertificationMethod, Civility, MonthStatus, Role
from realisa.dossiers.models import Beneficiary, Dossier, Employer, Payment, PlannedDay
from realisa.organisations.models import Organisation

PASSWORD = "mot-de-passe-de-test"


def make_siret(n: int) -> str:
    base = f"{n:08d}"
    siren = base + luhn.calc_check_digit(base)
    body = siren + "0001"
    return body[:13] + luhn.calc_check_digit(body[:13])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisme {n}")
    siret = factory.Sequence(lambda n: make_siret(10_000_000 + n))
    city = "Metz"


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"Employeur {n}")
    siret = factory.Sequence(lambda n: make_siret(20_000_000 + n))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.AGENT
    password = factory.django.Password(PASSWORD)

    class Params:
        agent = factory.Trait(role=Role.AGENT)
        of_admin = factory.Trait(
            role=Role.OF_ADMIN, organisation=factory.SubFactory(OrganisationFactory)
        )
        of_user = factory.Trait(
            role=Role.OF_USER, organisation=factory.SubFactory(OrganisationFactory)
        )
        beneficiary = factory.Trait(role=Role.BENEFICIARY)
        employer_user = factory.Trait(
            role=Role.EMPLOYER, employer=factory.SubFactory(EmployerFactory)
        )


class BeneficiaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beneficiary

    civility = Civility.MME
    first_name = "Julie"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    email = factory.LazyAttribute(lambda b: f"{b.last_name.lower()}@example.org")

    class Params:
        with_login = factory.Trait(user=factory.SubFactory(UserFactory, role=Role.BENEFICIARY))


class DossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dossier

    number = factory.Sequence(lambda n: f"T-{n:05d}")
    organisation = factory.SubFactory(OrganisationFactory)
    beneficiary = factory.SubFactory(BeneficiaryFactory)
    employer = None
    training_title = "Titre professionnel Développeur web"
    action_nature = ActionNature.TRAINING
    start_date = date(2026, 1, 12)
    end_date = date(2026, 6, 19)
    planned_minutes = 600 * 60


class PlannedDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlannedDay

    dossier = factory.SubFactory(DossierFactory)
    date = factory.LazyAttribute(lambda d: d.dossier.start_date)
    centre_minutes = 7 * 60
    internship_minutes = 0


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    dossier = factory.SubFactory(DossierFactory)
    period_start = factory.LazyAttribute(lambda p: p.dossier.start_date)
    period_end = factory.LazyAttribute(lambda p: p.period_start + timedelta(days=27))
    amount = "1000.00"
    paid_on = factory.LazyAttribute(lambda p: p.period_end + timedelta(days=15))
    is_advance = False


SCAN = b"%PDF-1.4 scan"


class CertificateFactory(factory.django.DjangoModelFactory):
    """A month whose hours were entered (the first stored state)."""

    class Meta:
        model = Certificate

    dossier = factory.SubFactory(DossierFactory)
    month = factory.LazyAttribute(lambda c: c.dossier.start_date.replace(day=1))
    centre_minutes = 140 * 60
    internship_minutes = 0
    absence_minutes = 0
    status = MonthStatus.ENTERED
    entered_at = factory.LazyFunction(timezone.now)
    certifies_entry = True

    class Params:
        # Certified on paper (certification 1), every field of that step set.
        certified = factory.Trait(
            status=MonthStatus.CERTIFIED,
            certification_method=CertificationMethod.PAPER,
            certified_at=factory.LazyFunction(timezone.now),
            certified_by=factory.LazyAttribute(
                lambda c: UserFactory(role=Role.OF_USER, organisation=c.dossier.organisation)
            ),
            signed_scan=factory.django.FileField(filename="scan.pdf", data=SCAN),
            signed_scan_uploaded_at=factory.LazyFunction(timezone.now),
            signed_scan_sha256=hashlib.sha256(SCAN).hexdigest(),
        )
