from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from realisa.accounts.decorators import current_user
from realisa.admin_site import ReadOnlyAgentAdmin
from realisa.certificates.codes import lift_suspension
from realisa.certificates.models import Certificate, OnlineSuspension


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAgentAdmin):
    """Read-only: a certificate changes only through the portal's transitions."""

    list_display = ["dossier", "month", "status", "centre_minutes", "internship_minutes"]
    list_filter = ["status"]
    search_fields = ["dossier__number"]


@admin.register(OnlineSuspension)
class OnlineSuspensionAdmin(ReadOnlyAgentAdmin):
    """A user's certification 2 suspended after 10 wrong codes in 24 hours; an agent
    lifts it with the action « Lever la suspension » (recorded in the audit chain)."""

    list_display = ["user", "created_at", "reason", "lifted_at", "lifted_by"]
    list_filter = [("lifted_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "user__last_name"]
    actions = ["lift"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self._is_agent(request)  # for the action only: every field stays read-only

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return ["user", "created_at", "reason", "lifted_at", "lifted_by"]

    @admin.action(description="Lever la suspension")
    def lift(self, request: HttpRequest, queryset: QuerySet[OnlineSuspension]) -> None:
        count = 0
        for suspension in queryset.filter(lifted_at=None):
            lift_suspension(suspension, actor=current_user(request), request=request)
            count += 1
        self.message_user(request, f"Suspension levée : {count}.")
