"""The token page (at the board) and the API itself (/api/v1/, api/endpoints.py). groeiwijzer/urls.py includes this
module by name: nothing imports the api package."""

from django.urls import include, path

from . import views
from .endpoints import api

app_name = "api"


def _public(patterns):
    """The API's views answer with a token instead of a session: no login redirect (core.middleware.LoginRequired);
    a request without a token gets a 401 from the API itself."""
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _public(pattern.url_patterns)
        else:
            pattern.callback.login_required = False
    return patterns


_api_patterns, _ninja_app, _namespace = api.urls

urlpatterns = [
    path("besturen/<int:board_id>/api-sleutels/", views.manage, name="tokens"),
    path("besturen/<int:board_id>/api-sleutels/<int:token_id>/intrekken/", views.revoke, name="token_revoke"),
    path("api/v1/", include((_public(_api_patterns), _namespace))),
]
