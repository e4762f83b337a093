from django.urls import path

from . import views

app_name = "research"

P = "scholen/<int:school_id>/vergelijken-en-onderzoek/"

urlpatterns = [
    path(P, views.school, name="school"),
    path(P + "vergelijken/", views.benchmark_set, name="benchmark_set"),
    path(P + "toestemming/", views.consent_give, name="consent_give"),
    path(P + "toestemming/intrekken/", views.consent_withdraw, name="consent_withdraw"),
    path("onderzoek/export/", views.admin_export, name="admin_export"),
    path("onderzoek/export/groeiwijzer-onderzoek.zip", views.admin_download, name="admin_download"),
]
