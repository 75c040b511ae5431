from django.urls import path

from realisa.certificates import (
    batch_views,
    calendar_views,
    entry_views,
    evidence_views,
    import_views,
    month_views,
    online_views,
    tab_views,
)
from realisa.lib.converters import MONTH

app_name = "certificates"
urlpatterns = [
    path("mes-certificats/", tab_views.my_certificates, name="mine"),
    path("import-heures/", import_views.hours_import_page, name="hours_import"),
    path("lot/", batch_views.batch_new, name="batch_new"),
    path("lot/papier/", batch_views.batch_paper, name="batch_paper"),
    path("lot/<int:pk>/", batch_views.batch_page, name="batch"),
    path("lot/<int:pk>/envoi/", batch_views.batch_send, name="batch_send"),
    path("lot/<int:pk>/code/", batch_views.batch_code, name="batch_code"),
    path("lot/<int:pk>/avancement/", batch_views.batch_progress, name="batch_progress"),
    path("lot/<int:pk>/manifeste/", batch_views.batch_manifest, name="batch_manifest"),
    path(
        "import-heures/modele-par-<str:layout>.<str:kind>",
        import_views.hours_import_template,
        name="hours_import_template",
    ),
    path("<str:number>/", tab_views.dossier_months, name="dossier"),
    path("<str:number>/calendrier/", calendar_views.planned_calendar, name="plan"),
    path(MONTH, month_views.month_detail, name="month"),
    path(f"{MONTH}saisie/", entry_views.enter, name="enter"),
    path(f"{MONTH}certificat-signe/", month_views.signed_scan_upload, name="signed_scan_upload"),
    path(
        f"{MONTH}certificat-signe/supprimer/",
        month_views.signed_scan_remove,
        name="signed_scan_remove",
    ),
    path(
        f"{MONTH}certificat-signe/fichier/", month_views.signed_scan_file, name="signed_scan_file"
    ),
    path(f"{MONTH}emargement/", month_views.sheet_add, name="sheet_add"),
    path(f"{MONTH}emargement/<int:pk>/supprimer/", month_views.sheet_remove, name="sheet_remove"),
    path(f"{MONTH}emargement/<int:pk>/", month_views.sheet_file, name="sheet_file"),
    path(f"{MONTH}certifier/", month_views.certify, name="certify"),
    path(f"{MONTH}certification-en-ligne/", online_views.online_window, name="online"),
    path(f"{MONTH}certification-en-ligne/envoi/", online_views.online_send, name="online_send"),
    path(f"{MONTH}certification-en-ligne/code/", online_views.online_code, name="online_code"),
    path(f"{MONTH}validation/", online_views.validate, name="validate"),
    path(
        f"{MONTH}reponse/<int:pk>/preuve/", evidence_views.answer_evidence, name="answer_evidence"
    ),
]
