"""Mijn gegevens: download everything about you (JSON, a printable page), and erase your account."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from . import privacy


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def my_data_json(request):
    """Everything the product holds about you, machine-readable (the keys are explained inside, in "sleutels")."""
    user = request.user
    privacy.do_record_export(user=user, kind="json", acting_user=user)
    response = HttpResponse(privacy.my_data_json(user), content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mijn-gegevens-groeiwijzer-{stamp}.json"'
    return _no_store(response)


@never_cache
def my_data_page(request):
    """The same data as a readable page to print or save as PDF from the browser."""
    user = request.user
    privacy.do_record_export(user=user, kind="html", acting_user=user)
    data = privacy.collect_my_data(user)
    response = render(
        request,
        "accounts/privacy/my_data.html",
        {"account": data["account"], "made_at": data["gemaakt_op"], "sections": privacy.readable_sections(data)},
    )
    return _no_store(response)


class EraseForm(forms.Form):
    email = forms.CharField(
        label=gettext_lazy("Typ je e-mailadres om te bevestigen"),
        max_length=254,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        typed = self.cleaned_data["email"].strip().lower()
        if typed != self.user.email.lower():
            raise forms.ValidationError(
                _("Dit is niet het e-mailadres van je account. Er is niets gewist."), code="mismatch"
            )
        return typed


@never_cache
def erase(request):
    """Confirm with your own address, then the account and its personal data are removed (see pages.privacy)."""
    user = request.user
    form = EraseForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        privacy.do_erase_me(user=user, acting_user=user)
        logout(request)
        messages.success(request, _("Je account en je persoonsgegevens zijn gewist. Je bent uitgelogd."))
        return redirect("accounts:login")
    return render(
        request,
        "accounts/privacy/erase.html",
        {"form": form, "alone_in": privacy.last_schoolleiding_schools(user)},
        status=400 if request.method == "POST" else 200,
    )
