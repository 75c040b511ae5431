from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from realisa.accounts.models import User
from realisa.admin_site import AgentAdmin


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
