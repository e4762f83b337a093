from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpResponse


class LoginRequired(LoginRequiredMiddleware):
    """Login for every view by default. htmx requests get a 401 instead of a redirect,
    so the page can keep unsaved input and tell the user to log in again."""

    def handle_no_permission(self, request, view_func):
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(status=401)
        return super().handle_no_permission(request, view_func)
