from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from realisa.accounts.decorators import current_user
from realisa.accounts.models import User
from realisa.admin_site import AgentAdmin
from realisa.audit.events import EventType
from realisa.audit.log import record

ROLE_FIELDS = {"role", "organisation", "employer"}


def permission_actions(user: User, changed: list[str]) -> list[EventType]:
    """The audit actions for what an agent changed on an account in the admin."""
    actions: list[EventType] = []
    if "can_certify" in changed:
        granted = EventType.CAN_CERTIFY_GRANTED
        actions.append(granted if user.can_certify else EventType.CAN_CERTIFY_REVOKED)
    if "is_active" in changed:
        actions.append(
            EventType.ACCOUNT_REACTIVATED if user.is_active else EventType.ACCOUNT_DEACTIVATED
        )
    if ROLE_FIELDS.intersection(changed):
        actions.append(EventType.ROLE_CHANGED)
    return actions


@admin.register(User)
class UserAdmin(AgentAdmin, BaseUserAdmin[User]):
    list_display = ["username", "last_name", "first_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active", "can_certify"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["organisation", "employer"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Identité", {"fields": ("first_name", "last_name", "email")}),
        ("Rôle", {"fields": ("role", "organisation", "employer", "can_certify", "is_active")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "email",
                    "role",
                    "organisation",
                    "employer",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        """Save, then record each permission change the agent made (as the members' page does)."""
        super().save_model(request, obj, form, change)
        payload = {"username": obj.username, "role": obj.role, "via": "admin"}
        if not change:
            record(
                EventType.ACCOUNT_CREATED,
                actor=current_user(request),
                obj=obj,
                payload=payload,
                request=request,
            )
            return
        for action in permission_actions(obj, form.changed_data):
            record(action, actor=current_user(request), obj=obj, payload=payload, request=request)
