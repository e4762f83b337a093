from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpResponse

from core.errors import ServiceError
from core.logging import REQUEST_ID, request_id_from


class RequestId:
    """Every request gets an id: the incoming `X-Request-ID` when it is a short safe token (a load balancer or proxy
    that sets one), else a new one. It is on every log line of the request (core/logging.py) and in the response's
    `X-Request-ID` header, so a person's report and the logs of every app server can be matched. First in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        token = REQUEST_ID.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            REQUEST_ID.reset(token)
        response["X-Request-ID"] = request_id
        return response


class LoginRequired(LoginRequiredMiddleware):
    """Login for every view by default. htmx requests get a 401 instead of a redirect,
    so the page can keep unsaved input and tell the user to log in again."""

    def handle_no_permission(self, request, view_func):
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(status=401)
        return super().handle_no_permission(request, view_func)


class ServiceErrorMiddleware:
    """Safety net: a broken business rule (ServiceError) that a view did not handle becomes a clear
    Dutch message, never a 500. Nothing was changed: service functions are atomic."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.contrib import messages
        from django.shortcuts import redirect
        from django.utils.html import format_html

        if not isinstance(exception, ServiceError):
            return None
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(format_html('<span class="gw-flag">{}</span>', str(exception)), status=409)
        messages.error(request, str(exception))
        return redirect(request.path)
