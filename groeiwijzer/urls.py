from django.contrib import admin
from django.urls import include, path

from organisations import views as organisation_views

admin.site.site_header = "Groeiwijzer TSO – beheer"

urlpatterns = [
    path("", organisation_views.home, name="home"),
    path("", include("accounts.urls")),
    path("", include("organisations.urls")),
    path("", include("ontwikkelmodel.urls")),
    path("", include("assessments.urls")),
    path("", include("actionplans.urls")),
    path("", include("trajectory.urls")),
    path("", include("training.urls")),
    path("", include("leadership.urls")),
    path("", include("intake.urls")),
    path("", include("reference.urls")),
    path("", include("audit.urls")),
    path("beheer/", admin.site.urls),
]
