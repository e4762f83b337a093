"""Calendar feeds (issue 14): the personal subscription behind a secret URL (no login: calendar clients fetch it),
its management in Mijn gegevens, and a trainer's sessions over all their schools as an .ics download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts import calendar_feeds
from audit.models import record_download
from core import ics

from . import calendar_feed

ACTIONS = ("maken", "intrekken")


@login_not_required
@require_safe
def feed(request, token):
    """The personal calendar for a subscription URL. Unknown, revoked and malformed tokens are one and the same 404;
    ``Cache-Control: private``: no shared cache keeps someone's calendar."""
    subscription = calendar_feeds.feed_for_token(token)
    if subscription is None:
        raise Http404
    content = calendar_feed.person_calendar(subscription.user, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(content, content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="groeiwijzer-tso.ics"'
    response["Cache-Control"] = "private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def manage(request):
    """Mijn gegevens → Agenda-abonnement: make a subscription URL (shown once), make a new one, or revoke it."""
    user = request.user
    token_url = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("actie")
        if action == "maken":
            _feed, token = calendar_feeds.do_create_calendar_feed(user=user, acting_user=user)
            token_url = request.build_absolute_uri(reverse("accounts:calendar_feed", args=[token]))
        elif action == "intrekken":
            if calendar_feeds.do_revoke_calendar_feed(user=user, acting_user=user):
                messages.success(request, _("Je agenda-abonnement is ingetrokken. De oude link werkt niet meer."))
            else:
                messages.info(request, _("Je had geen agenda-abonnement."))
            return redirect("accounts:calendar_feed_manage")
        else:
            messages.error(request, _("Kies wat je wilt doen: een link maken of intrekken."))
            status = 400
    # The token is only in this page's body, never in its address, so the usual Referrer-Policy is enough (a
    # stricter "no-referrer" makes browsers send "Origin: null" with the form, which the CSRF check refuses).
    return render(
        request,
        "accounts/calendar_feed.html",
        {"active": calendar_feeds.active_feed(user), "token_url": token_url},
        status=status,
    )


def trainer_calendar(request):
    """A trainer's sessions over all the schools where they are a trainer (intern or extern), as an .ics file.
    Someone who is a trainer nowhere gets a 403."""
    school_ids = calendar_feed.trainer_school_ids(request.user)
    if not school_ids:
        raise PermissionDenied
    filename = "trainingssessies-tso.ics"
    record_download(request=request, action="export.trainer_sessions", filename=filename)
    response = HttpResponse(calendar_feed.trainer_calendar(request.user, school_ids), content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    add_never_cache_headers(response)
    return response
