"""Mijn gegevens → E-mails die je krijgt: each person switches each kind of mail on or off for themselves."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import services
from .forms import PreferencesForm


def preferences(request):
    user = request.user
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.do_set_notification_preferences(user=user, enabled=form.cleaned_data["enabled"], acting_user=user)
            messages.success(request, _("Je keuze van e-mails is opgeslagen."))
            return redirect("notifications:preferences")
        status = 400
    else:
        current = services.preferences(user)
        form = PreferencesForm(initial={"enabled": [kind for kind, on in current.items() if on]})
        status = 200
    return render(request, "notifications/preferences.html", {"form": form}, status=status)
