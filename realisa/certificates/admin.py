from django.contrib import admin

from realisa.admin_site import ReadOnlyAgentAdmin
from realisa.certificates.models import Certificate


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAgentAdmin):
    """Read-only: a certificate changes only through the portal's transitions."""

    list_display = ["dossier", "month", "status", "centre_minutes", "internship_minutes"]
    list_filter = ["status"]
    search_fields = ["dossier__number"]
