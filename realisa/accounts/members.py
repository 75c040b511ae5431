"""An organisation's members, managed by its admin: create, (de)activate, « can_certify ».

Each change locks the member's row, checks its guard, saves the changed fields and
records an AuditEvent; the new member's e-mail leaves once the transaction commits.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.choices import Role


class MemberError(Exception):
    """A change the admin may not make; the message is shown to them as is."""


def members_of(admin: User) -> QuerySet[User]:
    """The accounts an organisation admin manages: those of their own organisation."""
    if not (admin.is_active and admin.is_of_admin and admin.organisation_id):
        return User.objects.none()
    return User.objects.filter(organisation_id=admin.organisation_id).order_by(
        "last_name", "first_name", "username"
    )


@transaction.atomic
def create_member(
    admin: User,
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    can_certify: bool,
    request: HttpRequest | None = None,
) -> User:
    """A new user of the admin's organisation, without a password: they choose it by e-mail."""
    if not admin.is_of_admin or admin.organisation is None:
        raise MemberError("Seul l'administrateur de l'organisme crée des comptes.")
    member = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=Role.OF_USER,
        organisation=admin.organisation,
        can_certify=can_certify,
    )
    member.set_unusable_password()
    member.save()
    record(
        EventType.ACCOUNT_CREATED,
        actor=admin,
        obj=member,
        payload={"username": username, "role": Role.OF_USER, "can_certify": can_certify},
        request=request,
    )
    return member


def _locked_member(admin: User, member_id: int) -> User:
    return members_of(admin).select_for_update().get(pk=member_id)


@transaction.atomic
def set_can_certify(
    admin: User, member_id: int, value: bool, *, request: HttpRequest | None = None
) -> User:
    """Tick or untick « certification des certificats de réalisation » for a member."""
    member = _locked_member(admin, member_id)
    if member.can_certify == value:
        return member
    member.can_certify = value
    member.save(update_fields=["can_certify"])
    action = EventType.CAN_CERTIFY_GRANTED if value else EventType.CAN_CERTIFY_REVOKED
    record(action, actor=admin, obj=member, payload={"username": member.username}, request=request)
    return member


def _check_may_switch(admin: User, member: User) -> None:
    if member.pk == admin.pk:
        raise MemberError("Vous ne pouvez pas désactiver votre propre compte.")
    if member.role != Role.OF_USER:
        raise MemberError("Seul votre Transitions Pro gère les comptes administrateurs.")


@transaction.atomic
def deactivate_member(admin: User, member_id: int, *, request: HttpRequest | None = None) -> User:
    """The member can no longer log in; their sessions end at their next request."""
    member = _locked_member(admin, member_id)
    _check_may_switch(admin, member)
    if not member.is_active:
        raise MemberError(f"Le compte {member.username} est déjà désactivé.")
    member.is_active = False
    member.save(update_fields=["is_active"])
    record(EventType.ACCOUNT_DEACTIVATED, actor=admin, obj=member, request=request)
    return member


@transaction.atomic
def reactivate_member(admin: User, member_id: int, *, request: HttpRequest | None = None) -> User:
    member = _locked_member(admin, member_id)
    _check_may_switch(admin, member)
    if member.is_active:
        raise MemberError(f"Le compte {member.username} est déjà actif.")
    member.is_active = True
    member.save(update_fields=["is_active"])
    record(EventType.ACCOUNT_REACTIVATED, actor=admin, obj=member, request=request)
    return member
