from django.urls import path

from realisa.funder import views

app_name = "funder"
urlpatterns = [
    path("controle/", views.queue, name="review_queue"),
    path("controle/<int:pk>/", views.organisation, name="review_organisation"),
    path("controle/justificatif/<int:pk>/", views.review, name="review_document"),
    path(
        "controle/justificatif/<int:pk>/fichier/",
        views.document_file,
        name="review_document_file",
    ),
]
