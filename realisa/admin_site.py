from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class RealisaAdminSite(admin.AdminSite):
    """The Django admin, for the funder's agents only (not for staff flags)."""

    site_header = "Réalisa — administration"
    site_title = "Réalisa"
    index_title = "Administration du portail"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and getattr(user, "is_agent", False))


class AgentAdmin(admin.ModelAdmin[Any]):
    """Agents manage the portal's reference data; nobody else reaches the admin."""

    def _is_agent(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and getattr(request.user, "is_agent", False))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._is_agent(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self._is_agent(request)

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return self._is_agent(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self._is_agent(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self._is_agent(request)


class ReadOnlyAgentAdmin(AgentAdmin):
    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
