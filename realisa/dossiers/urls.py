from django.urls import path

from realisa.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("<str:number>/", views.dossier_detail, name="detail"),
]
