from django.urls import path

from realisa.documents import views

app_name = "documents"
urlpatterns = [
    path("certificats/<int:pk>/pdf/", views.download_latest, name="download"),
    path("certificats/<int:pk>/versions/", views.history, name="history"),
    path("versions/<int:pk>/pdf/", views.download_version, name="download_version"),
    path("preuves/<int:pk>/pdf/", views.download_evidence, name="download_evidence"),
    path("verifier/", views.verify, name="verify"),
    path("verifier/<str:reference>/", views.verify_reference, name="verify_reference"),
]
