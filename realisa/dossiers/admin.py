from typing import Any

from django.contrib import admin

from realisa.admin_site import AgentAdmin
from realisa.dossiers.models import Beneficiary, Dossier, Employer, Payment, PlannedDay


@admin.register(Employer)
class EmployerAdmin(AgentAdmin):
    list_display = ["name", "siret", "city"]
    search_fields = ["name", "siret"]


@admin.register(Beneficiary)
class BeneficiaryAdmin(AgentAdmin):
    list_display = ["last_name", "first_name", "email", "user"]
    search_fields = ["last_name", "first_name", "email"]
    autocomplete_fields = ["user"]


class PlannedDayInline(admin.TabularInline[Any, Any]):
    model = PlannedDay
    extra = 0


class PaymentInline(admin.TabularInline[Any, Any]):
    model = Payment
    extra = 0


@admin.register(Dossier)
class DossierAdmin(AgentAdmin):
    list_display = ["number", "beneficiary", "organisation", "start_date", "end_date"]
    list_filter = ["organisation", "is_paperless", "european_cofunding", "action_nature"]
    search_fields = ["number", "beneficiary__last_name", "beneficiary__first_name"]
    autocomplete_fields = ["organisation", "beneficiary", "employer"]
    inlines = [PaymentInline, PlannedDayInline]


@admin.register(Payment)
class PaymentAdmin(AgentAdmin):
    list_display = ["dossier", "period_start", "period_end", "amount", "is_advance", "paid_on"]
    list_filter = ["is_advance"]
    search_fields = ["dossier__number"]
    autocomplete_fields = ["dossier"]


@admin.register(PlannedDay)
class PlannedDayAdmin(AgentAdmin):
    list_display = ["dossier", "date", "centre_minutes", "internship_minutes"]
    search_fields = ["dossier__number"]
    autocomplete_fields = ["dossier"]
