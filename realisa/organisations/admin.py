from typing import Any

from django.contrib import admin

from realisa.admin_site import AgentAdmin
from realisa.organisations.models import CertifierDocument, Organisation


class CertifierDocumentInline(admin.TabularInline[Any, Any]):
    model = CertifierDocument
    extra = 0
    fields = ["kind", "file", "review_status", "reviewed_at", "refusal_reason"]
    readonly_fields = ["reviewed_at"]


@admin.register(Organisation)
class OrganisationAdmin(AgentAdmin):
    list_display = ["name", "siret", "city", "is_certifier"]
    list_filter = ["is_certifier"]
    search_fields = ["name", "siret"]
    inlines = [CertifierDocumentInline]
