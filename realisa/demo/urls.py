from django.urls import path

from realisa.demo import views

app_name = "demo"
urlpatterns = [
    path("boite-mail/", views.mailbox, name="mailbox"),
    path("boite-mail/<int:pk>/", views.mailbox_email, name="mailbox_email"),
]
