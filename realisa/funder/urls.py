from django.urls import path

from realisa.funder import (
    dashboard_views,
    dossier_edit_views,
    dossier_import_views,
    dossier_views,
    journal_views,
    reminder_views,
    review_views,
    transmission_views,
)
from realisa.lib.converters import MONTH

app_name = "funder"
urlpatterns = [
    path("suivi/", dashboard_views.dashboard, name="dashboard"),
    path("suivi/export.csv", dashboard_views.export, name="export"),
    path("suivi/delais/", dashboard_views.delays_panel, name="delays"),
    path("retards/", dashboard_views.late_list, name="late_list"),
    path("retards/<int:pk>/", dashboard_views.organisation_late, name="organisation_late"),
    path("retards/<int:pk>/relancer/", reminder_views.remind_one, name="remind"),
    path("retards/relancer/", reminder_views.remind_selection, name="remind_selection"),
    path("dossiers/import/", dossier_import_views.dossier_import, name="dossier_import"),
    path(
        "dossiers/import/modele.<str:kind>",
        dossier_import_views.dossier_import_template,
        name="dossier_import_template",
    ),
    path("comptes-non-actives/", dossier_import_views.invitations, name="invitations"),
    path(
        "comptes-non-actives/<int:pk>/renvoyer/",
        dossier_import_views.resend,
        name="invitation_resend",
    ),
    path("dossiers/<str:number>/", dossier_views.dossier, name="dossier"),
    path("dossiers/<str:number>/modifier/", dossier_edit_views.edit, name="dossier_edit"),
    path(f"rouvrir/{MONTH}", dossier_views.reopen_month, name="reopen"),
    path(f"valider/{MONTH}", dossier_views.validate_month, name="validate"),
    path("journal/", journal_views.journal, name="journal"),
    path("journal/export.csv", journal_views.journal_export, name="journal_export"),
    path("journal/<str:number>/", dossier_views.audit_dossier, name="audit_dossier"),
    path(f"journal/{MONTH}", dossier_views.audit_month, name="audit_month"),
    path("reglements/import/", dossier_views.payment_import, name="payment_import"),
    path("transmissions/", transmission_views.ready, name="transmissions"),
    path("transmissions/verifier/", transmission_views.confirm, name="transmission_confirm"),
    path("transmissions/creer/", transmission_views.create, name="transmission_create"),
    path("transmissions/<int:pk>/", transmission_views.detail, name="transmission"),
    path("transmissions/<int:pk>/annuler/", transmission_views.cancel, name="transmission_cancel"),
    path("transmissions/<int:pk>/csv/", transmission_views.csv_file, name="transmission_csv"),
    path("transmissions/<int:pk>/json/", transmission_views.json_file, name="transmission_json"),
    path("controle/", review_views.queue, name="review_queue"),
    path("controle/<int:pk>/", review_views.organisation, name="review_organisation"),
    path("controle/justificatif/<int:pk>/", review_views.review, name="review_document"),
    path(
        "controle/justificatif/<int:pk>/fichier/",
        review_views.document_file,
        name="review_document_file",
    ),
]
