"""One function per e-mail. Each renders ``templates/emails/<name>.subject.txt``,
``<name>.txt`` and ``<name>.html`` and leaves it in the outbox (``outbox.enqueue``): it is
written with the change it reports and sent once that change commits, retried if the
mail server fails.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from asn1crypto import pem
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from realisa.accounts.invitations import password_link
from realisa.accounts.models import User
from realisa.certificates.answer import deadline_of, deadline_words
from realisa.certificates.models import Certificate, CertificationBatch
from realisa.choices import Role
from realisa.documents.checkpoints import Checkpoint, signed_copy
from realisa.dossiers.models import Dossier
from realisa.lib.french import french_date, of_month
from realisa.notifications.outbox import enqueue
from realisa.organisations.models import CertifierDocument, Organisation


def _render(name: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """The e-mail ``name``: its subject, text and HTML."""
    context = {"funder_name": settings.FUNDER_NAME, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}.subject.txt", context).split())
    text = render_to_string(f"emails/{name}.txt", context)
    return subject, text, render_to_string(f"emails/{name}.html", context)


def _send(name: str, recipients: list[str], context: dict[str, Any]) -> None:
    """Render the e-mail ``name`` and leave it in the outbox of the current transaction."""
    recipients = [address for address in recipients if address]
    if not recipients:
        return
    enqueue(name, recipients, *_render(name, context))


def _url(name: str, *args: Any) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def account_created(user: User) -> None:
    """A new account (a member of an organisation, or a beneficiary or an employer of an
    imported dossier): their username and a link to choose a password: the invitation."""
    _send(
        "account_created",
        [user.email],
        {"user": user, "link": password_link(user, "password_set_confirm")},
    )


def password_reset(user: User) -> None:
    """« Mot de passe oublié » : a link to choose a new password."""
    _send(
        "password_reset",
        [user.email],
        {"user": user, "link": password_link(user, "password_reset_confirm")},
    )


def document_reviewed(document: CertifierDocument) -> None:
    """The funder checked a KBIS or consent letter: tell the organisation's admins."""
    organisation = document.organisation
    admins = organisation.members.filter(role=Role.OF_ADMIN, is_active=True).exclude(email="")
    recipients = [admin.email for admin in admins] or [organisation.email]
    _send(
        "document_reviewed",
        [address for address in recipients if address],
        {
            "document": document,
            "organisation": organisation,
            "link": _url("organisations:identity"),
        },
    )


def certificate_available(certificate: Certificate) -> None:
    """A month was certified: the beneficiary, the employer (if any) and the funder are
    told that the certificate is available, each with a link to it (never the PDF)."""
    dossier = certificate.dossier
    month = certificate.month
    link = _url("certificates:month", dossier.number, month.year, month.month)
    context = {
        "certificate": certificate,
        "dossier": dossier,
        "beneficiary": dossier.beneficiary,
        "organisation": dossier.organisation,
        "month_name": date_format(month, "F Y"),
        "link": link,
    }
    beneficiary = dossier.beneficiary
    beneficiary_email = beneficiary.email or (beneficiary.user.email if beneficiary.user else "")
    _send("certificate_available", [beneficiary_email], {**context, "audience": "beneficiary"})
    if dossier.employer is not None:
        employer = dossier.employer
        addresses = {
            employer.email,
            *employer.users.filter(is_active=True).values_list("email", flat=True),
        }
        _send(
            "certificate_available",
            sorted(a for a in addresses if a),
            {**context, "audience": "employer"},
        )
    _send("certificate_available", [settings.FUNDER_EMAIL], {**context, "audience": "funder"})


def certificate_reopened(certificate: Certificate, *, reason: str, tell_beneficiary: bool) -> None:
    """The funder reopened a month: the organisation (and the beneficiary who had validated
    it) are told why, with a link to the month."""
    dossier = certificate.dossier
    month = certificate.month
    context = {
        "dossier": dossier,
        "organisation": dossier.organisation,
        "beneficiary": dossier.beneficiary,
        "month_name": date_format(month, "F Y"),
        "reason": reason,
        "link": _url("certificates:month", dossier.number, month.year, month.month),
    }
    _send(
        "certificate_reopened",
        dossier.organisation.addresses(),
        {**context, "audience": "organisation"},
    )
    if tell_beneficiary:
        beneficiary = dossier.beneficiary
        address = beneficiary.email or (beneficiary.user.email if beneficiary.user else "")
        _send("certificate_reopened", [address], {**context, "audience": "beneficiary"})


def dossier_life(dossier: Dossier, *, subject: str, what: str, reason: str) -> None:
    """The funder recorded an early end or an interruption of the training (``subject``
    names it, ``what`` says it in a sentence): the organisation, the beneficiary and the
    employer are told."""
    beneficiary = dossier.beneficiary
    context = {
        "dossier": dossier,
        "organisation": dossier.organisation,
        "beneficiary": beneficiary,
        "subject": subject,
        "what": what,
        "reason": reason,
        "link": _url("certificates:dossier", dossier.number),
    }
    _send("dossier_life", dossier.organisation.addresses(), context)
    address = beneficiary.email or (beneficiary.user.email if beneficiary.user else "")
    _send("dossier_life", [address], {**context, "audience": "beneficiary"})
    employer = dossier.employer
    if employer is not None:
        users = employer.users.filter(is_active=True).values_list("email", flat=True)
        addresses = sorted(a for a in {employer.email, *users} if a)
        _send("dossier_life", addresses, {**context, "audience": "employer"})


def audit_checkpoint(checkpoint: Checkpoint) -> None:
    """A checkpoint of the audit chain, for the funder to keep outside the portal: its
    JSON, and the same inside its signature (PEM), which ``openssl cms -verify`` checks."""
    _send(
        "audit_checkpoint",
        [settings.FUNDER_EMAIL],
        {
            "checkpoint": checkpoint,
            "content": checkpoint.content().decode(),
            "signed": pem.armor("CMS", signed_copy(checkpoint)).decode(),
        },
    )


def reminder_digest(organisation: Organisation, lines: list[dict[str, Any]]) -> None:
    """One digest of the organisation's months waiting for entry or certification;
    each line names its dossier (number), month (``AAAA-MM``), status and days open."""
    _send(
        "reminder_digest",
        organisation.addresses(),
        _digest_context(organisation, lines),
    )


def reminder_preview(
    organisation: Organisation, lines: list[dict[str, Any]], dossiers: dict[str, Dossier]
) -> tuple[list[str], str, str]:
    """The digest as « Relancer » would send it now: its recipients, subject and text
    (``dossiers``: those the lines name, by number, their beneficiary loaded)."""
    recipients = organisation.addresses()
    context = _digest_context(organisation, lines, dossiers)
    subject, text, _ = _render("reminder_digest", context)
    return recipients, subject, text


def _digest_context(
    organisation: Organisation,
    lines: list[dict[str, Any]],
    dossiers: dict[str, Dossier] | None = None,
) -> dict[str, Any]:
    if dossiers is None:
        numbers = {line["dossier"] for line in lines}
        dossiers = Dossier.objects.select_related("beneficiary").in_bulk(
            numbers, field_name="number"
        )
    months = [_digest_month(dossiers[line["dossier"]], line) for line in lines]
    return {"organisation": organisation, "months": months}


def _digest_month(dossier: Dossier, line: dict[str, Any]) -> dict[str, Any]:
    month = date.fromisoformat(f"{line['month']}-01")
    return {
        **line,
        "beneficiary": dossier.beneficiary.full_name,
        "month_name": date_format(month, "F Y"),
        "link": _url("certificates:month", dossier.number, month.year, month.month),
    }


# -- Certification 2 (100 % dématérialisée) ---------------------------------------------


def _month_context(certificate: Certificate) -> dict[str, Any]:
    dossier = certificate.dossier
    month = certificate.month
    return {
        "certificate": certificate,
        "dossier": dossier,
        "beneficiary": dossier.beneficiary,
        "organisation": dossier.organisation,
        "month_name": date_format(month, "F Y"),
        "link": _url("certificates:month", dossier.number, month.year, month.month),
    }


def _beneficiary_email(certificate: Certificate) -> str:
    beneficiary = certificate.dossier.beneficiary
    return beneficiary.email or (beneficiary.user.email if beneficiary.user else "")


def _employer_emails(certificate: Certificate) -> list[str]:
    employer = certificate.dossier.employer
    if employer is None:
        return []
    users = employer.users.filter(is_active=True).values_list("email", flat=True)
    return sorted(a for a in {employer.email, *users} if a)


def _organisation_emails(certificate: Certificate) -> list[str]:
    organisation = certificate.dossier.organisation
    certifier = certificate.certified_by
    return sorted(a for a in {organisation.email, certifier.email if certifier else ""} if a)


def online_code(code: Any, plain_code: str) -> None:
    """The « code de vérification » (4 digits, valid ¼ hour) to the person certifying."""
    month = code.certificate.month
    _send(
        "online_code",
        [code.sent_to],
        {
            **_month_context(code.certificate),
            "code": plain_code,
            "expires_at": code.expires_at,
            "minutes": settings.ONLINE_CODE_TTL_MINUTES,
            "link": _url(
                "certificates:online_code", code.certificate.dossier.number, month.year, month.month
            ),
        },
    )


def batch_code(code: Any, plain_code: str) -> None:
    """« Certifier en lot »: the one code for the batch's months."""
    batch = code.batch
    _send(
        "batch_code",
        [code.sent_to],
        {
            "batch": batch,
            "count": batch.lines.count(),
            "code": plain_code,
            "expires_at": code.expires_at,
            "link": _url("certificates:batch", batch.pk),
        },
    )


def validation_requested(certificate: Certificate) -> None:
    """Certified online: the beneficiary is invited to validate the month's hours."""
    month = certificate.month
    link = _url("certificates:validate", certificate.dossier.number, month.year, month.month)
    deadline = deadline_of(certificate.certified_at)
    _send(
        "validation_requested",
        [_beneficiary_email(certificate)],
        {**_month_context(certificate), "link": link, "deadline": deadline},
    )


def certified_online(certificate: Certificate, *, tell_funder: bool = True) -> None:
    """Certified online: the employer (if any) and the funder are told, as in certification 1
    (the funder once for a whole batch: ``batch_certified``)."""
    context = _month_context(certificate)
    _send(
        "certificate_available", _employer_emails(certificate), {**context, "audience": "employer"}
    )
    if tell_funder:
        _send("certificate_available", [settings.FUNDER_EMAIL], {**context, "audience": "funder"})


OUTCOMES = ("certified", "failed")  # a batch's lines, as its digest lists them


def batch_certified(batch: CertificationBatch) -> None:
    """« Certifier en lot »: one e-mail to the funder for the batch, its months listed."""
    lines = list(batch.lines.select_related("certificate__dossier"))  # by month, as ticked
    outcome = {kind: [line for line in lines if line.outcome == kind] for kind in OUTCOMES}
    context = {"batch": batch, "organisation": batch.organisation, "link": _url("funder:dashboard")}
    _send("batch_certified", [settings.FUNDER_EMAIL], context | outcome)


def online_suspended(suspension: Any) -> None:
    """Ten wrong codes in 24 hours: the funder is told, and may lift the suspension."""
    user = suspension.user
    _send(
        "online_suspended",
        [settings.FUNDER_EMAIL],
        {
            "suspension": suspension,
            "suspended_user": user,
            "organisation": user.organisation,
            "link": _url("admin:certificates_onlinesuspension_change", suspension.pk),
        },
    )


def hours_validated(certificate: Certificate) -> None:
    """The beneficiary validated: the final complete version is available to every party."""
    context = _month_context(certificate)
    recipients = [
        *_organisation_emails(certificate),
        *_employer_emails(certificate),
        settings.FUNDER_EMAIL,
    ]
    _send("hours_validated", sorted(set(recipients)), context)


def answer_reminder(certificate: Certificate, deadline: date) -> None:
    """No answer yet: the beneficiary is reminded, once, of the day before which to answer."""
    month = certificate.month
    link = _url("certificates:validate", certificate.dossier.number, month.year, month.month)
    certified_at = certificate.certified_at
    _send(
        "answer_reminder",
        [_beneficiary_email(certificate)],
        {
            **_month_context(certificate),
            "link": link,
            "deadline": deadline_words(deadline),
            "certified_on": french_date(timezone.localdate(certified_at)) if certified_at else "",
        },
    )


def validated_instead(certificate: Certificate) -> None:
    """Validated without the beneficiary's answer (``certificate.validation_kind``: past the
    deadline, or by an agent with a reason): the beneficiary is told in their own e-mail,
    the organisation and the funder in theirs."""
    context = {
        **_month_context(certificate),
        "kind": certificate.validation_kind,
        "of_month": of_month(certificate.month),
        "reason": certificate.validation_reason,
    }
    _send(
        "validated_instead",
        [_beneficiary_email(certificate)],
        {**context, "audience": "beneficiary"},
    )
    recipients = sorted({*_organisation_emails(certificate), settings.FUNDER_EMAIL})
    _send("validated_instead", recipients, {**context, "audience": "parties"})


def hours_contested(certificate: Certificate, response: Any) -> None:
    """The beneficiary contested: the organisation and the funder are told, with the comment."""
    recipients = [*_organisation_emails(certificate), settings.FUNDER_EMAIL]
    _send(
        "hours_contested",
        sorted(set(recipients)),
        {**_month_context(certificate), "response": response},
    )
