"""One function per e-mail. Each renders ``templates/emails/<name>.subject.txt``,
``<name>.txt`` and ``<name>.html`` and leaves it in the outbox (``outbox.enqueue``): it is
written with the change it reports and sent once that change commits, retried if the
mail server fails.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.formats import date_format
from django.utils.http import urlsafe_base64_encode

from realisa.accounts.models import User
from realisa.certificates.models import Certificate
from realisa.choices import Role
from realisa.notifications.outbox import enqueue
from realisa.organisations.models import CertifierDocument


def _send(name: str, recipients: list[str], context: dict[str, Any]) -> None:
    """Render the e-mail ``name`` and leave it in the outbox of the current transaction."""
    recipients = [address for address in recipients if address]
    if not recipients:
        return
    context = {"funder_name": settings.FUNDER_NAME, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}.subject.txt", context).split())
    enqueue(
        name,
        recipients,
        subject,
        render_to_string(f"emails/{name}.txt", context),
        render_to_string(f"emails/{name}.html", context),
    )


def _url(name: str, *args: Any) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _password_link(user: User, view: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return _url(view, uid, default_token_generator.make_token(user))


def account_created(user: User) -> None:
    """A new member of an organisation: their username and a link to choose a password."""
    _send(
        "account_created",
        [user.email],
        {"user": user, "link": _password_link(user, "password_set_confirm")},
    )


def password_reset(user: User) -> None:
    """« Mot de passe oublié » : a link to choose a new password."""
    _send(
        "password_reset",
        [user.email],
        {"user": user, "link": _password_link(user, "password_reset_confirm")},
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
