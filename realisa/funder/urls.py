from django.urls import URLPattern

app_name = "funder"
urlpatterns: list[URLPattern] = []
