from django.urls import path

from realisa.accounts import member_views
from realisa.organisations import views

app_name = "organisations"
urlpatterns = [
    path("identite/", views.identity, name="identity"),
    path("identite/fichier/<str:which>/", views.identity_file, name="identity_file"),
    path(
        "identite/justificatif/<str:kind>/supprimer/",
        views.document_remove,
        name="document_remove",
    ),
    path("utilisateurs/", member_views.member_list, name="members"),
    path("utilisateurs/nouveau/", member_views.member_create, name="member_create"),
    path(
        "utilisateurs/<int:pk>/certification/",
        member_views.member_can_certify,
        name="member_can_certify",
    ),
    path(
        "utilisateurs/<int:pk>/desactiver/",
        member_views.member_deactivate,
        name="member_deactivate",
    ),
    path(
        "utilisateurs/<int:pk>/reactiver/",
        member_views.member_reactivate,
        name="member_reactivate",
    ),
]
