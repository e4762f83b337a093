from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("mijn-gegevens/e-mails/", views.preferences, name="preferences"),
]
