from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from realisa.admin_site import AgentAdmin
from realisa.organisations.models import CertifierDocument, Organisation

# Shown, never edited here.
DOCUMENT_FIELDS = (
    "kind",
    "uploaded_at",
    "review_status",
    "reviewed_at",
    "reviewed_by",
    "refusal_reason",
)


class CertifierDocumentInline(admin.TabularInline[Any, Any]):
    """Read-only here: the organisation uploads on « Votre identité » (with the upload
    checks) and agents decide on « Contrôle des justificatifs » (recorded, e-mailed)."""

    model = CertifierDocument
    extra = 0
    fields = readonly_fields = DOCUMENT_FIELDS
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(AgentAdmin):
    list_display = ["name", "siret", "city", "is_certifier"]
    list_filter = ["is_certifier"]
    search_fields = ["name", "siret"]
    inlines = [CertifierDocumentInline]
