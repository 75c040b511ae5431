from django.urls import path

from realisa.api import views

app_name = "tokens"
urlpatterns = [
    path("", views.token_list, name="list"),
    path("creer/", views.token_create, name="create"),
    path("<int:pk>/revoquer/", views.token_revoke, name="revoke"),
]
