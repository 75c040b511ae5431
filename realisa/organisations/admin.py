from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from realisa.admin_site import AgentAdmin
from realisa.organisations.models import CertifierDocument, Organisation


class CertifierDocumentInline(admin.TabularInline[Any, Any]):
    """Read-only here: the organisation uploads on « Votre identité » (with the upload
    checks) and agents decide on « Contrôle des justificatifs » (recorded, e-mailed)."""

    model = CertifierDocument
    extra = 0
    fields = [
        "kind",
        "uploaded_at",
        "review_status",
        "reviewed_at",
        "reviewed_by",
        "refusal_reason",
    ]
    readonly_fields = [
        "kind",
        "uploaded_at",
        "review_status",
        "reviewed_at",
        "reviewed_by",
        "refusal_reason",
    ]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(AgentAdmin):
    list_display = ["name", "siret", "city", "is_certifier"]
    list_filter = ["is_certifier"]
    search_fields = ["name", "siret"]
    inlines = [CertifierDocumentInline]
