from django.contrib.auth.views import LoginView, LogoutView
from django.urls import include, path

from .control import control

urlpatterns = [
    path("o/", include("oauth2_provider.urls")),  # issuer http://127.0.0.1:<port>/o
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("control/<slug:action>/", control),
]
