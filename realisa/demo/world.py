"""The demo world, relative to today so that it always shows past, open and future months."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from stdnum import luhn

from realisa.accounts.invitations import invited, new_invited_user
from realisa.accounts.models import User
from realisa.choices import ActionNature, Civility, ReviewStatus, Role
from realisa.demo.back_office import seed_back_office
from realisa.demo.files import logo_png, one_page_pdf, stamp_png
from realisa.demo.hours import certify_month_on_paper, enter_month, ready_for_paper_certification
from realisa.demo.online import seed_online_certifications
from realisa.dossiers.models import Beneficiary, Dossier, Employer, Payment, PlannedDay
from realisa.dossiers.periods import month_end, shift_month
from realisa.dossiers.planning import (
    ExceptionKind,
    PatternException,
    WeeklyPattern,
    plan_days,
    total_minutes,
)
from realisa.funder.dossier_life import interrupt
from realisa.lib.digests import upload_sha256
from realisa.organisations.models import CertifierDocument, Organisation

DEMO_PASSWORD = "realisa-demo"
DAY = 7 * 60


def siret(base: str) -> str:
    """A valid SIRET from 8 digits: SIREN check digit, establishment 0001, SIRET check digit."""
    siren = base + luhn.calc_check_digit(base)
    body = siren + "0001"
    return body[:13] + luhn.calc_check_digit(body[:13])


def first_monday(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _user(username: str, role: Role, first: str, last: str, **fields: object) -> User:
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={
            "role": role,
            "first_name": first,
            "last_name": last,
            "email": f"{username}@demo.realisa.localhost",
            "is_active": True,
            **fields,
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return user


def _organisations(agent: User) -> tuple[Organisation, Organisation]:
    formapro, created = Organisation.objects.update_or_create(
        siret=siret("41234567"),
        defaults={
            "name": "Formapro Est",
            "nda": "44670123467",
            "address": "12 rue du Faubourg National",
            "postal_code": "67000",
            "city": "Strasbourg",
            "email": "contact@formapro-est.localhost",
            "legal_representative": "Sophie Lambert",
            "legal_representative_title": "Directrice",
            "is_certifier": True,
        },
    )
    if created or not formapro.logo:
        formapro.logo.save("logo.png", ContentFile(logo_png("FE", "#1d3a8a")), save=False)
        formapro.stamp.save(
            "cachet.png", ContentFile(stamp_png("FORMAPRO EST", "Strasbourg")), save=False
        )
        formapro.save()
    for kind, title in CertifierDocument.Kind.choices:
        document = CertifierDocument.objects.filter(organisation=formapro, kind=kind).first()
        if document is None:
            document = CertifierDocument(organisation=formapro, kind=kind)
            content = ContentFile(one_page_pdf(f"{title} - Formapro Est"))
            document.sha256 = upload_sha256(content)
            document.file.save(f"{kind}.pdf", content, save=False)
        document.review_status = ReviewStatus.COMPLIANT
        document.reviewed_at = document.reviewed_at or timezone.now() - timedelta(days=40)
        document.reviewed_by = agent
        document.save()

    horizon, _ = Organisation.objects.update_or_create(
        siret=siret("52345678"),
        defaults={
            "name": "Centre Horizon",
            "nda": "41570987657",
            "address": "3 avenue Foch",
            "postal_code": "57000",
            "city": "Metz",
            "email": "contact@centre-horizon.localhost",
        },
    )
    return formapro, horizon


@dataclass(frozen=True)
class DossierPlan:
    number: str
    beneficiary: Beneficiary
    organisation: Organisation
    employer: Employer | None
    title: str
    nature: ActionNature
    start: date
    end: date
    is_paperless: bool
    internship: tuple[date, date] | None = None  # weeks spent in a company


def _dossier(plan: DossierPlan) -> Dossier:
    """The dossier and its planned calendar, made from its weekly pattern as an
    organisation would: Monday to Friday, 7 h in the centre, its weeks in a company."""
    internship = (
        [PatternException(*plan.internship, ExceptionKind.INTERNSHIP)] if plan.internship else []
    )
    days = plan_days(plan.start, plan.end, WeeklyPattern.monday_to_friday(DAY), internship)
    dossier, _ = Dossier.objects.update_or_create(
        number=plan.number,
        defaults={
            "organisation": plan.organisation,
            "beneficiary": plan.beneficiary,
            "employer": plan.employer,
            "training_title": plan.title,
            "action_nature": plan.nature,
            "start_date": plan.start,
            "end_date": plan.end,
            "planned_minutes": total_minutes(days),
            "is_paperless": plan.is_paperless,
        },
    )
    if set(dossier.planned_days.values_list("date", flat=True)) != set(days):
        dossier.planned_days.all().delete()
        PlannedDay.objects.add(dossier, days)
    return dossier


def _payment(dossier: Dossier, month: date, *, is_advance: bool, amount: str) -> None:
    Payment.objects.update_or_create(
        dossier=dossier,
        is_advance=is_advance,
        defaults={
            "period_start": max(month, dossier.start_date),
            "period_end": min(month_end(month), dossier.end_date),
            "amount": Decimal(amount),
            "paid_on": month_end(month) + timedelta(days=20),
        },
    )


def build_demo(today: date | None = None) -> list[tuple[str, str]]:
    """Create or refresh the demo world; return (username, description) for each login."""
    today = today or timezone.localdate()
    this_month = today.replace(day=1)

    agent = _user("agent", Role.AGENT, "Claire", "Dubois")
    formapro, horizon = _organisations(agent)
    _user("of.admin", Role.OF_ADMIN, "Marc", "Petit", organisation=formapro, can_certify=True)
    _user("of.user", Role.OF_USER, "Nadia", "Benali", organisation=formapro, can_certify=True)
    _user("horizon.admin", Role.OF_ADMIN, "Paul", "Weber", organisation=horizon)

    employer, _ = Employer.objects.update_or_create(
        siret=siret("63456789"),
        defaults={
            "name": "Transports Lorrains SA",
            "email": "rh@transports-lorrains.localhost",
            "city": "Nancy",
        },
    )
    _user("employeur", Role.EMPLOYER, "Hélène", "Muller", employer=employer)

    def beneficiary(civility: Civility, first: str, last: str, username: str = "") -> Beneficiary:
        user = _user(username, Role.BENEFICIARY, first, last) if username else None
        person, _ = Beneficiary.objects.update_or_create(
            first_name=first,
            last_name=last,
            defaults={
                "civility": civility,
                "email": f"{first}.{last}@demo.realisa.localhost".lower(),
                "user": user,
            },
        )
        return person

    julie = beneficiary(Civility.MME, "Julie", "Martin", "beneficiaire")
    thomas = beneficiary(Civility.M, "Thomas", "Girard", "beneficiaire2")
    karim = beneficiary(Civility.M, "Karim", "Haddad")
    elodie = beneficiary(Civility.MME, "Élodie", "Roux")
    lucas = beneficiary(Civility.M, "Lucas", "Bernard")
    sarah = beneficiary(Civility.MME, "Sarah", "Lefèvre")
    ines = beneficiary(Civility.MME, "Inès", "Moreau")
    # Karim was invited when his dossier arrived, and has not chosen his password yet.
    invitee = User.objects.filter(role=Role.BENEFICIARY, username=karim.email).first()
    if invitee is None:
        invitee = new_invited_user(
            Role.BENEFICIARY, karim.email, first_name=karim.first_name, last_name=karim.last_name
        )
        invited(invitee, actor=agent, source="import")
    karim.user = invitee
    karim.save(update_fields=["user"])

    year = today.year
    main_start = first_monday(shift_month(this_month, -6))
    plans = [
        DossierPlan(
            f"FPE-{year}-0001",
            julie,
            formapro,
            employer,
            "Titre professionnel Développeur web et web mobile",
            ActionNature.TRAINING,
            main_start,
            month_end(shift_month(this_month, 3)) - timedelta(days=3),
            True,
            internship=(
                first_monday(shift_month(this_month, -2)),
                shift_month(this_month, -1) - timedelta(days=1),
            ),
        ),
        DossierPlan(
            f"FPE-{year}-0002",
            julie,
            formapro,
            employer,
            "Bilan de compétences",
            ActionNature.SKILLS_ASSESSMENT,
            first_monday(shift_month(this_month, -9)),
            shift_month(this_month, -7) + timedelta(days=20),
            False,
        ),
        DossierPlan(
            f"FPE-{year}-0003",
            karim,
            formapro,
            None,
            "CAP Accompagnant éducatif petite enfance (VAE)",
            ActionNature.VAE,
            first_monday(shift_month(this_month, -4)),
            month_end(shift_month(this_month, -1)),
            False,
        ),
        DossierPlan(
            f"FPE-{year}-0004",
            lucas,
            formapro,
            employer,
            "BTS Gestion de la PME",
            ActionNature.TRAINING,
            first_monday(shift_month(this_month, -1)),
            month_end(shift_month(this_month, 5)),
            True,
        ),
        DossierPlan(
            f"FPE-{year}-0005",
            elodie,
            formapro,
            None,
            "Titre professionnel Comptable assistant",
            ActionNature.TRAINING,
            first_monday(shift_month(this_month, 1)),
            month_end(shift_month(this_month, 7)),
            True,
        ),
        DossierPlan(
            f"FPE-{year}-0006",
            ines,
            formapro,
            None,
            "Titre professionnel Gestionnaire de paie",
            ActionNature.TRAINING,
            first_monday(shift_month(this_month, -2)),
            month_end(shift_month(this_month, 4)),
            False,
        ),
        DossierPlan(
            f"CH-{year}-0001",
            thomas,
            horizon,
            None,
            "CAP Électricien",
            ActionNature.APPRENTICESHIP,
            first_monday(shift_month(this_month, -2)),
            month_end(shift_month(this_month, 2)),
            False,
        ),
        DossierPlan(
            f"CH-{year}-0002",
            sarah,
            horizon,
            employer,
            "Titre professionnel Secrétaire assistant",
            ActionNature.TRAINING,
            first_monday(shift_month(this_month, -3)),
            month_end(shift_month(this_month, 1)),
            True,
        ),
    ]
    dossiers = {plan.number: _dossier(plan) for plan in plans}

    main = dossiers[f"FPE-{year}-0001"]
    _payment(main, shift_month(this_month, -5), is_advance=False, amount="4200.00")
    _payment(main, shift_month(this_month, -1), is_advance=True, amount="1500.00")

    # Past months: some certified on paper, one entered and waiting for its certification;
    # the last month of each running dossier stays open for entry.
    of_user = User.objects.get(username="of.user")
    horizon_admin = User.objects.get(username="horizon.admin")
    paper = [
        (main, -4, of_user),
        *((dossiers[f"FPE-{year}-0003"], offset, of_user) for offset in (-4, -3, -2, -1)),
        (dossiers[f"CH-{year}-0001"], -2, horizon_admin),
        (dossiers[f"CH-{year}-0002"], -3, horizon_admin),
    ]
    bilan = dossiers[f"FPE-{year}-0002"]
    paper += [
        (bilan, offset, of_user)
        for offset in (-9, -8, -7)
        if shift_month(this_month, offset) >= bilan.start_date.replace(day=1)
    ]
    for dossier, offset, actor in paper:
        certify_month_on_paper(dossier, shift_month(this_month, offset), actor, today)
    # Certification 2 for Julie: one month validated, one awaiting her validation, her
    # first month contested; the last month, covered by an advance only, stays open for entry.
    seed_online_certifications(
        main,
        certifier=of_user,
        beneficiary=User.objects.get(username="beneficiaire"),
        validated_month=shift_month(this_month, -3),
        awaiting_month=shift_month(this_month, -2),
        contested_month=shift_month(this_month, -6),
    )
    # Months entered and left for the person trying the demo: one to certify online, one
    # to certify on paper, its signed scan and attendance sheet already deposited.
    payroll = dossiers[f"FPE-{year}-0006"]
    enter_month(payroll, shift_month(this_month, -2), of_user, today)
    ready_for_paper_certification(payroll, shift_month(this_month, -1), of_user, today)
    # The funder's side: Formapro's older certified months transmitted in one batch;
    # Centre Horizon, with months waiting for entry, shows as late.
    seed_back_office(agent, [bilan, dossiers[f"FPE-{year}-0003"]], today=today)
    enter_month(dossiers[f"CH-{year}-0002"], shift_month(this_month, -2), horizon_admin, today)
    # Élodie's training stops for a whole month (maternity leave), recorded by the agent.
    comptable = dossiers[f"FPE-{year}-0005"]
    if not comptable.interruptions.exists():
        leave = shift_month(this_month, 3)
        interrupt(
            comptable, start=leave, end=month_end(leave), reason="Congé maternité", actor=agent
        )

    return [
        ("agent", "Agent de Transitions Pro Grand Est (le financeur)"),
        ("of.admin", "Administrateur de Formapro Est (certificateur)"),
        (
            "of.user",
            "Utilisateur de Formapro Est, « certification des certificats de réalisation »",
        ),
        ("horizon.admin", "Administrateur de Centre Horizon (non certificateur)"),
        ("beneficiaire", "Julie Martin, bénéficiaire chez Formapro Est"),
        ("beneficiaire2", "Thomas Girard, bénéficiaire chez Centre Horizon"),
        ("employeur", "Transports Lorrains SA, employeur de Julie Martin"),
    ]
