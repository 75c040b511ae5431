"""Who may do what with a month: one pure function that views, templates, the API and
the services all read, so that a button shown is a step allowed and the reverse.

It is split in two so that a list of many months costs no query per month:

- ``actor_of(user)`` reads, once per request, what the rules need to know of a person
  (their organisation's certifier documents and whether they are suspended: the only
  queries);
- ``abilities(actor, month)`` answers from that ``Actor`` and a ``MonthFacts``, the few
  facts of one month the rules read, without touching the database.

The builders at the end (``facts_of_month``, ``facts_of_certificate``, ``facts_of_row``)
make a ``MonthFacts`` from what a page or an endpoint has already loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from realisa.accounts.models import User
from realisa.certificates.lifecycle import Event, breaks_of, paid_periods, permits
from realisa.certificates.models import Certificate, OnlineSuspension
from realisa.certificates.plan import find_period
from realisa.certificates.status import PaidPeriod, is_locked, month_status
from realisa.choices import (
    SHARED_STATUSES,
    CertificationMethod,
    MonthStatus,
    PlanOwner,
    ReviewStatus,
    Role,
)
from realisa.dossiers.models import Dossier
from realisa.dossiers.periods import MonthPeriod
from realisa.organisations.models import CertifierDocument, Organisation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from realisa.certificates.queries import MonthRow

NOT_A_MEMBER = "seuls les membres de l'organisme de formation certifient"
NOT_CERTIFIER = (
    "votre compte n'a pas la case « certification des certificats de réalisation » : "
    "l'administrateur de votre organisme peut la cocher"
)
SUSPENDED = (
    "votre certification 100 % dématérialisée est suspendue après 10 codes de vérification "
    "erronés en 24 heures : votre Transitions Pro peut la rétablir"
)
NO_IP_CONSENT = (
    "Pour la certification 100 % dématérialisée, cochez « J'accepte que mon adresse IP soit "
    "utilisée » dans la saisie des heures (« Modifier les heures »), puis « OK »."
)
ONLINE_REFUSED = "La certification 100 % dématérialisée n'est pas possible : "


class Party(StrEnum):
    """Who the person is to a month's dossier; a person has one role, so one party."""

    ORGANISATION = "organisation"  # a member of the dossier's training organisation
    BENEFICIARY = "beneficiary"  # the dossier's beneficiary
    EMPLOYER = "employer"  # a user of the beneficiary's employer
    FUNDER = "funder"  # an agent of Transitions Pro
    NONE = "none"  # anyone else, an inactive account, an anonymous visitor


@dataclass(frozen=True)
class Identity:
    """Who a person is, from their own row (no query): enough to tell their party."""

    user_id: int | None
    role: str  # a ``Role`` value; "" for an anonymous visitor
    is_active: bool
    organisation_id: int | None
    employer_id: int | None

    @property
    def is_member(self) -> bool:
        """An active member of some training organisation."""
        return (
            self.is_active
            and self.role in (Role.OF_ADMIN, Role.OF_USER)
            and self.organisation_id is not None
        )


@dataclass(frozen=True)
class Actor(Identity):
    """What the rules know of a person: a snapshot read once per request by ``actor_of``."""

    can_certify: bool  # « certification des certificats de réalisation » is ticked
    online_missing: tuple[str, ...]  # what their organisation lacks for certification 2
    suspended: bool  # certification 2 suspended after too many wrong codes


ANONYMOUS = Actor(None, "", False, None, None, False, (), False)


@dataclass(frozen=True)
class MonthFacts:
    """The facts of one month that the rules read, already loaded."""

    status: MonthStatus  # as people see it: ``months.month_status``, payment lock included
    paid: bool  # a payment that is not an advance covers the month's days
    organisation_id: int  # the dossier's
    beneficiary_user_id: int | None  # the login of the dossier's beneficiary, if any
    employer_id: int | None  # the dossier's
    certification_method: str = ""  # a ``CertificationMethod`` value once certified
    has_signed_scan: bool = False  # certification 1's step 2 is done
    accepts_ip_use: bool = False  # ticked with the hours: needed for certification 2
    has_pdf: bool = False  # the month has at least one PDF version


@dataclass(frozen=True)
class Abilities:
    """What one person may do with one month, each step by its name."""

    party: Party  # who the person is to the month: tells « not yours » (403) from « not now »
    enter_hours: bool  # « Saisir les heures » / « Modifier les heures »
    upload_scan: bool  # certification 1, step 2: deposit, replace or remove the signed scan
    add_sheets: bool  # certification 1, step 3: add or remove attendance sheets
    certify_paper: bool  # « Certifier » (certification 1): needs the signed scan
    request_code: bool  # certification 2: « Envoyer le code… » (needs the IP consent too)
    certify_online: bool  # certification 2: the code typed back
    online_refusal: str  # why certification 2 is not possible for this person and month
    validate_hours: bool  # the beneficiary's « Valider les heures » of a month certified online
    contest_hours: bool  # the beneficiary's « Contester »
    validate_for_beneficiary: bool  # an agent validates a month certified online, with a reason
    reopen: bool  # the funder sends a certified, validated or transmitted month back to entry
    transmit: bool  # the funder transmits the month for payment
    download_latest: bool  # the latest PDF version, the one that stands
    download_history: bool  # every earlier PDF version (« Toutes les versions »)
    download_scan: bool  # the signed scan the organisation deposited
    download_sheets: bool  # the attendance sheets
    download_evidence: bool  # the full « dossier de preuve » (logins, IP, browsers) of a version
    see_answer: bool  # the beneficiary's validation or contestation, and its comment

    def as_dict(self) -> dict[str, Any]:
        """The booleans and the refusal, as the API shows them (``party`` aside)."""
        values = asdict(self)
        del values["party"]
        return values


def online_reasons(actor: Actor) -> list[str]:
    """Why ``actor`` may not certify online, whatever the month, in French; empty when they
    may: an active member, of an online-ready organisation, with the box, not suspended."""
    if not actor.is_member:
        return [NOT_A_MEMBER]
    reasons = list(actor.online_missing)
    if not actor.can_certify:
        reasons.append(NOT_CERTIFIER)
    if actor.suspended:
        reasons.append(SUSPENDED)
    return reasons


def may_certify_online(actor: Actor) -> bool:
    """The person may use certification 2 (then the entry asks for the IP consent)."""
    return not online_reasons(actor)


def online_refusal(actor: Actor, party: Party, accepts_ip_use: bool) -> str:
    """The French reason certification 2 is refused to ``actor``, ``party`` to a month, or ""
    (the month's status aside: its own refusal says it)."""
    reasons = online_reasons(actor) if party == Party.ORGANISATION else [NOT_A_MEMBER]
    if reasons:
        return ONLINE_REFUSED + " ; ".join(reasons)
    return "" if accepts_ip_use else NO_IP_CONSENT


def party_of(actor: Actor, month: MonthFacts) -> Party:
    """Who ``actor`` is to ``month``'s dossier."""
    return _party(actor, month.organisation_id, month.beneficiary_user_id, month.employer_id)


def dossier_party(actor: Identity, dossier: Dossier) -> Party:
    """Who ``actor`` is to ``dossier`` (its ``beneficiary`` loaded), before any month:
    what a step asks first (« only the organisation's members enter hours »)."""
    return _party(actor, dossier.organisation_id, dossier.beneficiary.user_id, dossier.employer_id)


def may_edit_plan(actor: Identity, dossier: Dossier) -> bool:
    """The dossier's planned calendar has one owner. The organisation's members enter it
    (« votre volet ») for a paperless dossier whose plan is theirs; the funder's agents when
    its instruction system provides it. The others who see the dossier read it."""
    party = dossier_party(actor, dossier)
    if dossier.plan_owner == PlanOwner.FUNDER:
        return party == Party.FUNDER
    return party == Party.ORGANISATION and dossier.is_paperless


def _party(
    actor: Identity, organisation_id: int, beneficiary_user_id: int | None, employer_id: int | None
) -> Party:
    if not actor.is_active:
        return Party.NONE
    if actor.is_member and actor.organisation_id == organisation_id:
        return Party.ORGANISATION
    if actor.role == Role.AGENT:
        return Party.FUNDER
    if actor.role == Role.BENEFICIARY and actor.user_id == beneficiary_user_id:
        return Party.BENEFICIARY
    if actor.role == Role.EMPLOYER and actor.employer_id and actor.employer_id == employer_id:
        return Party.EMPLOYER
    return Party.NONE


def abilities(actor: Actor, month: MonthFacts) -> Abilities:
    """What ``actor`` may do with ``month``. Pure: it reads no database. The statuses each
    step starts from are ``lifecycle.TABLE``'s; this adds who, and the month's documents."""
    party = party_of(actor, month)
    ours = party == Party.ORGANISATION
    certifiable = ours and allows(Event.CERTIFIED_PAPER, month)
    # Today's service refuses even the code without the IP consent: no code to waste.
    online = (
        ours
        and allows(Event.CERTIFIED_ONLINE, month)
        and may_certify_online(actor)
        and month.accepts_ip_use
    )
    answerable = party == Party.BENEFICIARY and awaits_validation(month)
    funder = party == Party.FUNDER
    sees_pdf = ours or funder or (_party_reads_shared(party) and month.status in SHARED_STATUSES)
    return Abilities(
        party=party,
        enter_hours=ours and allows(Event.ENTERED, month),
        upload_scan=certifiable,
        add_sheets=certifiable,
        certify_paper=certifiable and month.has_signed_scan,
        request_code=online,
        certify_online=online,
        online_refusal=online_refusal(actor, party, month.accepts_ip_use),
        validate_hours=answerable and allows(Event.VALIDATED, month),
        contest_hours=answerable and allows(Event.CONTESTED, month),
        validate_for_beneficiary=funder
        and awaits_validation(month)
        and allows(Event.VALIDATED_BY_AGENT, month),
        reopen=funder and allows(Event.REOPENED, month),
        transmit=funder and allows(Event.TRANSMITTED, month) and is_ready(month),
        download_latest=sees_pdf and month.has_pdf,
        download_history=sees_pdf and month.has_pdf,
        download_scan=sees_pdf and month.has_signed_scan,
        download_sheets=ours or funder,
        download_evidence=ours or funder,  # as CertificationEvidence.objects.visible_to
        see_answer=ours or funder or party == Party.BENEFICIARY,
    )


def allows(event: Event, month: MonthFacts) -> bool:
    """The month's status lets ``event`` happen now (``lifecycle.TABLE``, payments included)."""
    return permits(event, month.status, month.paid)


def _party_reads_shared(party: Party) -> bool:
    """The beneficiary and the employer read a month from its certification on."""
    return party in (Party.BENEFICIARY, Party.EMPLOYER)


def awaits_validation(month: MonthFacts) -> bool:
    """Certified online (certification 2): the beneficiary's answer is awaited."""
    return (
        month.status == MonthStatus.CERTIFIED
        and month.certification_method == CertificationMethod.ONLINE
    )


def is_ready(month: MonthFacts) -> bool:
    """Ready to transmit: certified on paper, or validated by the beneficiary."""
    if month.status == MonthStatus.VALIDATED:
        return True
    return (
        month.status == MonthStatus.CERTIFIED
        and month.certification_method == CertificationMethod.PAPER
    )


# What a page has loaded, made into an Actor or MonthFacts. These may query; ``abilities``
# never does.


def identity_of(user: User) -> Identity:
    """Who ``user`` is, from their own row: no query."""
    return Identity(user.pk, user.role, user.is_active, user.organisation_id, user.employer_id)


def actor_of(user: User | AnonymousUser) -> Actor:
    """The person as the rules see them. For an organisation's member, it reads what
    certification 2 needs: the organisation, its documents checked conformes and whether
    the person is suspended."""
    if not isinstance(user, User):
        return ANONYMOUS
    member = user.role in (Role.OF_ADMIN, Role.OF_USER) and user.organisation_id is not None
    missing, suspended = _online_facts(user, user.organisation_id) if member else ((), False)
    return Actor(
        user_id=user.pk,
        role=user.role,
        is_active=user.is_active,
        organisation_id=user.organisation_id,
        employer_id=user.employer_id,
        can_certify=user.can_certify,
        online_missing=missing,
        suspended=suspended,
    )


def _online_facts(user: User, organisation_id: Any) -> tuple[tuple[str, ...], bool]:
    """What the member's organisation lacks for certification 2, and whether the member's
    own certification 2 is suspended: three small queries (one with two ``Exists``
    subqueries took longer to build than these take to run)."""
    organisation = Organisation.objects.only("is_certifier", "stamp").get(pk=organisation_id)
    checked = CertifierDocument.objects.filter(
        organisation_id=organisation_id, review_status=ReviewStatus.COMPLIANT
    )
    missing = organisation.missing_for_online(set(checked.values_list("kind", flat=True)))
    suspended = OnlineSuspension.objects.filter(user_id=user.pk, lifted_at=None).exists()
    return tuple(missing), suspended


def facts_of_month(
    dossier: Dossier,
    period: MonthPeriod,
    certificate: Certificate | None,
    *,
    has_pdf: bool,
    payments: Iterable[PaidPeriod] | None = None,
    today: date | None = None,
) -> MonthFacts:
    """A month of ``dossier`` (its ``beneficiary`` loaded), with its certificate once hours
    are entered; ``payments`` default to the dossier's (prefetch ``payments`` to share one
    query between months), ``today`` to Paris's date."""
    paid = list(payments) if payments is not None else paid_periods(dossier)
    stored = certificate.status if certificate is not None else None
    status = month_status(
        period,
        today=today or timezone.localdate(),
        payments=paid,
        stored=stored,
        breaks=breaks_of(dossier),
    )
    return _facts(dossier, certificate, status, paid=is_locked(period, paid), has_pdf=has_pdf)


def facts_of_certificate(
    certificate: Certificate, *, has_pdf: bool | None = None, today: date | None = None
) -> MonthFacts:
    """A stored month; ``has_pdf`` is asked of the database when not given."""
    dossier = certificate.dossier
    period = find_period(dossier, certificate.month) or MonthPeriod(
        certificate.month, certificate.month, certificate.month
    )  # a month the training's new dates left out keeps its stored status
    if has_pdf is None:
        has_pdf = certificate.versions.exists()
    return facts_of_month(dossier, period, certificate, has_pdf=has_pdf, today=today)


def abilities_of(user: User, certificate: Certificate, *, today: date | None = None) -> Abilities:
    """For a step that holds a (locked) month: what ``user`` may do with it now. It reads
    the person (``actor_of``), the dossier's payments and whether a PDF exists."""
    return abilities(actor_of(user), facts_of_certificate(certificate, today=today))


def facts_of_row(row: MonthRow, dossier: Dossier, payments: Iterable[PaidPeriod]) -> MonthFacts:
    """A row of the months table (``queries.month_rows``): its status is computed already
    and its certificate carries ``latest_version``. ``payments``:
    ``lifecycle.paid_periods(dossier)``, read once for all the rows."""
    certificate = row.certificate
    has_pdf = certificate is not None and getattr(certificate, "latest_version", None) is not None
    paid = is_locked(row.period, payments)
    return _facts(dossier, certificate, row.status, paid=paid, has_pdf=has_pdf)


def _facts(
    dossier: Dossier,
    certificate: Certificate | None,
    status: MonthStatus,
    *,
    paid: bool,
    has_pdf: bool,
) -> MonthFacts:
    return MonthFacts(
        status=status,
        paid=paid,
        organisation_id=dossier.organisation_id,
        beneficiary_user_id=dossier.beneficiary.user_id,
        employer_id=dossier.employer_id,
        certification_method=certificate.certification_method if certificate else "",
        has_signed_scan=bool(certificate and certificate.signed_scan),
        accepts_ip_use=bool(certificate and certificate.accepts_ip_use),
        has_pdf=has_pdf,
    )
