from django.urls import path

from . import sso_views, twofactor_views, views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.login_view, name="login"),
    path("inloggen/code/", views.code_request_view, name="code_request"),
    path("inloggen/code/controleren/", views.code_verify_view, name="code_verify"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("taal/", views.language_view, name="language"),
    path("mijn-gegevens/", views.account_view, name="account"),
    path("mijn-gegevens/tweestapsverificatie/", twofactor_views.setup_view, name="twofactor"),
    path("mijn-gegevens/schoolaccount/ontkoppelen/", sso_views.unlink, name="sso_unlink"),
    path("inloggen/tweede-stap/", twofactor_views.verify_view, name="twofactor_verify"),
]
