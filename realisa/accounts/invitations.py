"""Invitations: the accounts that the funder's import or API creates for the people of a
dossier (an organisation's admin, a beneficiary, an employer).

An invited account has no password. Its invitation is the account-creation e-mail
(``emails.account_created``, which follows ``ACCOUNT_CREATED`` and ``INVITATION_RESENT``):
a link to choose a password, valid ``PASSWORD_RESET_TIMEOUT`` (3 days), that works once,
since choosing the password changes what the link's token was made from. Until then the
account is « non activé », and an agent can send the invitation again.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.choices import Role
from realisa.lib.errors import Refused

USERNAME_MAX = 150


class InvitationRefused(Refused):
    """The invitation cannot be sent again; ``message`` says why."""


def free_username(email: str) -> str:
    """The e-mail address as the username, which the invited person knows already; when
    another account holds it (a family's shared address), « -2 », « -3 »… after it."""
    base = email.strip().lower()[: USERNAME_MAX - 4]
    taken = set(User.objects.filter(username__startswith=base).values_list("username", flat=True))
    candidate, suffix = base, 1
    while candidate in taken:
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


def password_link(user: User, view: str = "password_set_confirm") -> str:
    """The link that lets ``user`` choose a password (``view``: the invitation's, or
    « Mot de passe oublié »'s ``password_reset_confirm``), valid PASSWORD_RESET_TIMEOUT."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse(view, args=[uid, token])


def new_invited_user(
    role: Role,
    email: str,
    *,
    first_name: str = "",
    last_name: str = "",
    organisation_id: int | None = None,
    employer_id: int | None = None,
) -> User:
    """An account without a password, saved; the caller records its ``ACCOUNT_CREATED``
    event (``invited``), whose handler e-mails the invitation once the change commits."""
    user = User(
        username=free_username(email),
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        organisation_id=organisation_id,
        employer_id=employer_id,
    )
    user.set_unusable_password()
    user.save()
    return user


def invited(
    user: User, *, actor: User | None, source: str, request: HttpRequest | None = None
) -> None:
    """Record the invited account's creation (``source``: « import », « api »)."""
    record(
        EventType.ACCOUNT_CREATED,
        actor=actor,
        obj=user,
        payload={"username": user.username, "role": user.role, "source": source},
        request=request,
    )


def not_activated() -> QuerySet[User]:
    """The accounts still waiting for their password: active, never given one."""
    return (
        User.objects.filter(is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .exclude(role=Role.AGENT)
        .select_related("organisation", "employer", "beneficiary")
        .order_by("-date_joined", "username")
    )


@transaction.atomic
def resend_invitation(user_id: int, *, actor: User, request: HttpRequest | None = None) -> User:
    """A new link for an account that has not chosen its password; the old links still
    work until they expire or the password is chosen."""
    user = not_activated().select_for_update(of=("self",)).filter(pk=user_id).first()
    if user is None:
        raise InvitationRefused("Ce compte est déjà activé : il n'y a plus d'invitation à envoyer.")
    if not user.email:
        raise InvitationRefused(
            f"Le compte {user.username} n'a pas d'adresse e-mail : ajoutez-la d'abord."
        )
    record(
        EventType.INVITATION_RESENT,
        actor=actor,
        obj=user,
        payload={"username": user.username},
        request=request,
    )
    return user
