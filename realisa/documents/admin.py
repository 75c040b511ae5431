from django.contrib import admin

from realisa.admin_site import ReadOnlyAgentAdmin
from realisa.documents.models import CertificateVersion


@admin.register(CertificateVersion)
class CertificateVersionAdmin(ReadOnlyAgentAdmin):
    """Read-only: a version is issued once and kept as it is."""

    list_display = ["reference", "certificate", "number", "reason", "status", "created_at"]
    list_filter = ["reason", "status"]
    search_fields = ["reference", "certificate__dossier__number", "sha256"]
