"""« Mot de passe oublié », after the response: who has the address is looked up here, so
the request does the same work for an address with an account and one without."""

from __future__ import annotations

from celery import shared_task

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record


def accounts_with_email(email: str) -> list[User]:
    """The active accounts with this exact address, letter case aside. A member who never
    chose a password (their first link expired) is one too."""
    users = User.objects.filter(email__iexact=email, is_active=True)
    return [user for user in users if user.email.casefold() == email.casefold()]


@shared_task(ignore_result=True)
def send_password_reset(email: str) -> None:
    """Record the request for each account with the address: its e-mail follows the event
    (notifications), with the link to choose a new password. An unknown address gets none."""
    for user in accounts_with_email(email):
        record(EventType.PASSWORD_RESET_REQUESTED, actor=user, obj=user)
