"""Who may do what with a month: every role × every status × every organisation state.

How to read ``EXPECTED``: for each person of the test world and each state of March, the
abilities they have when their organisation is online-ready (certifier, both documents
conformes, a stamp) and nobody is suspended. The organisation's other states take
certification 2 (``code``, ``online``) away from its members and say why in
``online_refusal``; they change nothing else, for anyone. The admin has « certification
des certificats de réalisation » ticked, the user has not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.core.files.base import ContentFile

from realisa.accounts.models import User
from realisa.certificates import abilities as rules
from realisa.certificates.abilities import Abilities, actor_of, facts_of_month
from realisa.certificates.models import Certificate, OnlineSuspension
from realisa.certificates.plan import find_period
from realisa.choices import CertificationMethod, MonthStatus, ReviewStatus, Role
from realisa.dossiers.models import Dossier
from realisa.dossiers.periods import training_months
from realisa.dossiers.visibility import full_evidence_scope
from realisa.organisations.models import CertifierDocument, Organisation
from tests.factories import (
    BeneficiaryFactory,
    CertificateFactory,
    DossierFactory,
    EmployerFactory,
    OrganisationFactory,
    PaymentFactory,
    UserFactory,
)

MARCH = date(2026, 3, 1)  # of a dossier from 12 January to 19 June 2026
OPEN = date(2026, 4, 15)  # March opened on 31 March
NOT_YET = date(2026, 3, 15)

# Short names of the abilities, for the table.
NAMES = {
    "enter": "enter_hours",
    "scan": "upload_scan",
    "sheets": "add_sheets",
    "paper": "certify_paper",
    "code": "request_code",
    "online": "certify_online",
    "validate": "validate_hours",
    "contest": "contest_hours",
    "validate_for": "validate_for_beneficiary",
    "reopen": "reopen",
    "transmit": "transmit",
    "pdf": "download_latest",
    "history": "download_history",
    "signed": "download_scan",
    "sheet_files": "download_sheets",
    "evidence": "download_evidence",
    "answer": "see_answer",
}

ROLES = (
    "anonymous",
    "agent",
    "of_admin",
    "of_user",
    "inactive_of_user",
    "other_of_admin",
    "beneficiary",
    "employer",
    "other_beneficiary",
)
STATUSES = (
    "not_open",
    "awaiting_entry",
    "locked",
    "entered_bare",  # hours entered, no signed scan, the IP consent not ticked
    "entered",  # hours entered with the signed scan and the IP consent
    "certified_paper",
    "certified_online",
    "validated",
    "contested",
    "transmitted",
    "certified_paid",  # certified on paper, then a payment covered the month
)
ORGANISATION_STATES = ("ready", "not_certifier", "documents_pending", "no_stamp", "suspended")

ORG = "sheet_files evidence answer"
MEMBER_ENTERED = f"enter scan sheets pdf history {ORG}"
# fmt: off
EXPECTED: dict[str, dict[str, str]] = {
    "of_admin": {
        "not_open": ORG, "awaiting_entry": f"enter {ORG}", "locked": ORG,
        "entered_bare": MEMBER_ENTERED,
        "entered": f"{MEMBER_ENTERED} paper code online signed",
        "certified_paper": f"pdf history signed {ORG}", "certified_online": f"pdf history {ORG}",
        "validated": f"pdf history {ORG}", "contested": f"enter pdf history {ORG}",
        "transmitted": f"pdf history signed {ORG}", "certified_paid": f"pdf history signed {ORG}",
    },
    "of_user": {
        "not_open": ORG, "awaiting_entry": f"enter {ORG}", "locked": ORG,
        "entered_bare": MEMBER_ENTERED, "entered": f"{MEMBER_ENTERED} paper signed",
        "certified_paper": f"pdf history signed {ORG}", "certified_online": f"pdf history {ORG}",
        "validated": f"pdf history {ORG}", "contested": f"enter pdf history {ORG}",
        "transmitted": f"pdf history signed {ORG}", "certified_paid": f"pdf history signed {ORG}",
    },
    "agent": {
        "not_open": ORG, "awaiting_entry": ORG, "locked": ORG,
        "entered_bare": f"pdf history {ORG}", "entered": f"pdf history signed {ORG}",
        "certified_paper": f"reopen transmit pdf history signed {ORG}",
        "certified_online": f"reopen validate_for pdf history {ORG}",
        "validated": f"reopen transmit pdf history {ORG}", "contested": f"pdf history {ORG}",
        "transmitted": f"reopen pdf history signed {ORG}",
        "certified_paid": f"transmit pdf history signed {ORG}",
    },
    "beneficiary": {
        "not_open": "answer", "awaiting_entry": "answer", "locked": "answer",
        "entered_bare": "answer", "entered": "answer",
        "certified_paper": "pdf history signed answer",
        "certified_online": "validate contest pdf history answer",
        "validated": "pdf history answer", "contested": "pdf history answer",
        "transmitted": "pdf history signed answer", "certified_paid": "pdf history signed answer",
    },
    "employer": {
        "not_open": "", "awaiting_entry": "", "locked": "", "entered_bare": "", "entered": "",
        "certified_paper": "pdf history signed", "certified_online": "pdf history",
        "validated": "pdf history", "contested": "pdf history",
        "transmitted": "pdf history signed", "certified_paid": "pdf history signed",
    },
    # Anyone else sees nothing of the month, and may do nothing with it.
    **{role: dict.fromkeys(STATUSES, "") for role in (
        "anonymous", "inactive_of_user", "other_of_admin", "other_beneficiary"
    )},
}
# fmt: on

# Why certification 2 is refused to the organisation's members in each of its states
# (« suspended »: the admin is; ``refusal_of`` adds it).
REFUSAL = {
    "not_certifier": "l'organisme ne s'est pas déclaré certificateur",
    "documents_pending": "Extrait KBIS : pas encore contrôlé conforme par votre Transitions Pro",
    "no_stamp": "le cachet de l'organisme n'est pas renseigné",
}


@dataclass
class People:
    dossier: Dossier
    users: dict[str, User]


def make_people(state: str) -> People:
    organisation = OrganisationFactory()
    set_up(organisation, state)
    dossier = DossierFactory(
        organisation=organisation,
        beneficiary=BeneficiaryFactory(with_login=True),
        employer=EmployerFactory(),
    )
    other = DossierFactory(beneficiary=BeneficiaryFactory(with_login=True))
    users = {
        "agent": UserFactory(role=Role.AGENT),
        "of_admin": UserFactory(role=Role.OF_ADMIN, organisation=organisation, can_certify=True),
        "of_user": UserFactory(role=Role.OF_USER, organisation=organisation),
        "inactive_of_user": UserFactory(
            role=Role.OF_USER, organisation=organisation, can_certify=True, is_active=False
        ),
        "other_of_admin": UserFactory(
            role=Role.OF_ADMIN, organisation=other.organisation, can_certify=True
        ),
        "beneficiary": dossier.beneficiary.user,
        "employer": UserFactory(role=Role.EMPLOYER, employer=dossier.employer),
        "other_beneficiary": other.beneficiary.user,
    }
    if state == "suspended":
        OnlineSuspension.objects.create(user=users["of_admin"], reason="10 codes erronés")
    return People(dossier, users)


def set_up(organisation: Organisation, state: str) -> None:
    """Online-ready, but for what ``state`` leaves out."""
    organisation.is_certifier = state != "not_certifier"
    if state != "no_stamp":
        organisation.stamp.save("cachet.png", ContentFile(b"\x89PNG"), save=False)
    organisation.save()
    for kind in CertifierDocument.Kind.values:
        pending = state == "documents_pending" and kind == CertifierDocument.Kind.KBIS
        document = CertifierDocument(
            organisation=organisation,
            kind=kind,
            review_status=ReviewStatus.PENDING if pending else ReviewStatus.COMPLIANT,
        )
        document.file.save(f"{kind}.pdf", ContentFile(b"%PDF-1.4"), save=True)


def make_month(dossier: Dossier, status: str) -> Certificate | None:
    """March of ``dossier`` in ``status``, built as its steps leave it."""
    if status in ("locked", "certified_paid"):
        PaymentFactory(dossier=dossier, period_start=MARCH, period_end=date(2026, 3, 31))
    if status in ("not_open", "awaiting_entry", "locked"):
        return None
    paper = status in ("certified_paper", "transmitted", "certified_paid")
    stored = make_status(status)
    fields: dict[str, Any] = {"status": stored, "accepts_ip_use": status != "entered_bare"}
    if paper or status == "entered":
        fields["signed_scan"] = ContentFile(b"%PDF-1.4 scan", name="scan.pdf")
    if stored != MonthStatus.ENTERED:
        fields["certification_method"] = (
            CertificationMethod.PAPER if paper else CertificationMethod.ONLINE
        )
    return CertificateFactory(dossier=dossier, month=MARCH, **fields)  # type: ignore[no-any-return]


def expected_of(role: str, status: str, state: str) -> set[str]:
    names = set(EXPECTED[role][status].split())
    if state != "ready":
        names -= {"code", "online"}
    return {NAMES[name] for name in names}


def granted(result: Abilities) -> set[str]:
    return {name for name, value in result.as_dict().items() if value is True}


@pytest.mark.parametrize("state", ORGANISATION_STATES)
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", ROLES)
def test_each_person_may_do_what_the_matrix_says(
    db: Any, role: str, status: str, state: str
) -> None:
    people = make_people(state)
    certificate = make_month(people.dossier, status)
    period = find_period(people.dossier, MARCH)
    assert period is not None
    today = NOT_YET if status == "not_open" else OPEN
    facts = facts_of_month(
        people.dossier, period, certificate, has_pdf=certificate is not None, today=today
    )
    assert facts.status == make_status(status)
    user = people.users.get(role)
    result = rules.abilities(actor_of(user) if user else rules.ANONYMOUS, facts)

    assert granted(result) == expected_of(role, status, state)
    assert result.online_refusal == refusal_of(role, state, facts.accepts_ip_use)
    if certificate is not None and user is not None:  # downloads follow who sees the month
        visible = Certificate.objects.visible_to(user).filter(pk=certificate.pk).exists()
        assert result.download_latest == visible
        reads_evidence = Dossier.objects.filter(full_evidence_scope(user), pk=people.dossier.pk)
        assert result.download_evidence == reads_evidence.exists()


def make_status(status: str) -> MonthStatus:
    """The status people see for each state of ``STATUSES``."""
    if status == "entered_bare":
        return MonthStatus.ENTERED
    if status.startswith("certified_"):
        return MonthStatus.CERTIFIED
    return MonthStatus(status)


def refusal_of(role: str, state: str, accepts_ip_use: bool) -> str:
    """The French reason certification 2 is refused: the person's first, then the month's."""
    if role not in ("of_admin", "of_user"):
        return rules.ONLINE_REFUSED + rules.NOT_A_MEMBER
    reasons = [REFUSAL[state]] if state not in ("ready", "suspended") else []
    if role == "of_user":
        reasons.append(rules.NOT_CERTIFIER)
    if state == "suspended" and role == "of_admin":  # the one suspended
        reasons.append(rules.SUSPENDED)
    if reasons:
        return rules.ONLINE_REFUSED + " ; ".join(reasons)
    return "" if accepts_ip_use else rules.NO_IP_CONSENT


def test_abilities_of_many_months_add_no_query(
    db: Any, django_assert_max_num_queries: Any, django_assert_num_queries: Any
) -> None:
    """A page of many months asks ``actor_of`` once, then ``abilities`` for free."""
    people = make_people("ready")
    dossiers = [
        people.dossier,
        *DossierFactory.create_batch(4, organisation=people.dossier.organisation),
    ]
    for dossier in dossiers:
        make_month(dossier, "entered")
    loaded = Dossier.objects.select_related("beneficiary").prefetch_related(
        "payments", "certificates"
    )
    facts = []
    for dossier in loaded.filter(pk__in=[d.pk for d in dossiers]):
        certificates = {c.month: c for c in dossier.certificates.all()}
        for period in training_months(dossier.start_date, dossier.end_date):
            month = certificates.get(period.month)
            facts.append(facts_of_month(dossier, period, month, has_pdf=False, today=OPEN))
    with django_assert_max_num_queries(3):  # the organisation, its documents, a suspension
        actor = actor_of(people.users["of_admin"])

    with django_assert_num_queries(0):
        results = [rules.abilities(actor, month) for month in facts]

    assert len(results) == 5 * 6
    assert sum(result.certify_paper for result in results) == 5


def test_a_step_holding_a_month_reads_the_same_abilities(db: Any) -> None:
    """``abilities_of(user, certificate)``, which the services call, says what the pages say."""
    people = make_people("ready")
    certificate = make_month(people.dossier, "entered")
    period = find_period(people.dossier, MARCH)
    assert certificate is not None and period is not None
    facts = facts_of_month(people.dossier, period, certificate, has_pdf=False)  # no PDF made
    for role in ("of_admin", "beneficiary", "agent"):
        user = people.users[role]
        can = rules.abilities_of(user, certificate)
        assert can == rules.abilities(actor_of(user), facts)
        assert rules.dossier_party(actor_of(user), people.dossier) == can.party
