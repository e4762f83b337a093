"""The floor of the benchmark, `__floor__/`: a bare Django view through the same middleware, server and workers as
the pages; then the project's URLs unchanged."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from groeiwijzer.urls import urlpatterns as project_urlpatterns


@login_not_required
def floor(request):
    return HttpResponse("ok")


urlpatterns = [path("__floor__/", floor), *project_urlpatterns]
