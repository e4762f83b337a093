"""Pages of the second factor: set up / switch off (from Mijn gegevens) and the second step after a login."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.urls_safe import safe_local_path

from . import sso, twofactor


class CodeForm(forms.Form):
    """A code from the app, or (to log in or switch off) one of the recovery codes."""

    code = forms.CharField(
        label=gettext_lazy("Code uit je app"),
        help_text=gettext_lazy("6 cijfers, of een van je herstelcodes als je je telefoon niet bij je hebt."),
        max_length=40,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
        error_messages={"required": gettext_lazy("Vul de code in.")},
    )

    def __init__(self, *args, autofocus=False, **kwargs):
        super().__init__(*args, **kwargs)
        if autofocus:
            self.fields["code"].widget.attrs["autofocus"] = True


class SetupForm(CodeForm):
    key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = ""
        self.fields["code"].widget.attrs["inputmode"] = "numeric"

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isdigit()):
            raise forms.ValidationError(_("Een code bestaat uit 6 cijfers."))
        return code


def safe_next(request) -> str:
    """The ``next`` of the request if it is a local path (``/...`` on this site), otherwise ""."""
    return safe_local_path(request.POST.get("next") or request.GET.get("next")) or ""


def _target(request) -> str:
    return safe_next(request) or settings.LOGIN_REDIRECT_URL


def verify_view(request):
    """ "Code uit je app": the second step after a password or e-mail code login."""
    user = request.user
    if twofactor.is_verified(request) or not twofactor.has_second_factor(user):
        return redirect(_target(request))
    form = CodeForm(request.POST or None, autofocus=True)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                used = twofactor.do_verify_second_step(user=user, code=form.cleaned_data["code"], acting_user=user)
            except twofactor.TwoFactorError as error:
                form.add_error("code", str(error))
            else:
                request.session.cycle_key()  # a session that gained rights gets a new key (no fixation)
                twofactor.mark_verified(request, user)
                if not sso.link_pending(request, user):  # a school account waiting for this login (accounts/sso.py)
                    return redirect("accounts:login")  # it let the login through and could not be linked
                if used.type == twofactor.RECOVERY_TYPE:
                    left = twofactor.recovery_codes_left(user)
                    messages.warning(
                        request,
                        _(
                            "Je hebt een herstelcode gebruikt; je hebt er nog %(left)s. Maak nieuwe aan bij "
                            "Mijn gegevens → Tweestapsverificatie."
                        )
                        % {"left": left},
                    )
                return redirect(_target(request))
    return render(
        request,
        "accounts/twofactor/verify.html",
        {"form": form, "next": safe_next(request)},
        status=status,
    )


def setup_view(request):
    """Tweestapsverificatie in Mijn gegevens: switch it on (QR code, secret in text, confirm with a code),
    new recovery codes, or switch it off (with a current code)."""
    user = request.user
    which = request.POST.get("form") if request.method == "POST" else None
    if twofactor.has_second_factor(user):
        return _manage(request, which)
    form = SetupForm(request.POST if which == "aanzetten" else None, autofocus=True)
    posted_key = request.POST.get("key", "") if which == "aanzetten" else ""
    status = 400 if request.method == "POST" else 200
    if which == "aanzetten" and form.is_valid():
        try:
            codes = twofactor.do_enable_twofactor(
                user=user, signed_key=posted_key, code=form.cleaned_data["code"], acting_user=user
            )
        except twofactor.TwoFactorError as error:
            form.add_error("code", str(error))
            if twofactor.read_signed_key(posted_key) is None:
                posted_key = ""  # expired or tampered: a fresh secret below
        else:
            request.session.cycle_key()
            twofactor.mark_verified(request, user)
            if not sso.link_pending(request, user):  # see verify_view
                return redirect("accounts:login")
            return render(
                request,
                "accounts/twofactor/recovery_codes.html",
                {"codes": codes, "next": _target(request), "first": True},
            )
    setup = twofactor.new_setup(user, posted_key or None)
    return render(
        request,
        "accounts/twofactor/setup.html",
        {
            "form": form,
            "setup": setup,
            "required": twofactor.required_for(user),
            "next": safe_next(request),
        },
        status=status,
    )


def _manage(request, which):
    """Two-step verification is on: new recovery codes, or switch off; both need a current code."""
    user = request.user
    off_form = CodeForm(request.POST if which == "uitzetten" else None, prefix="uit")
    codes_form = CodeForm(request.POST if which == "herstelcodes" else None, prefix="herstel")
    status = 400 if request.method == "POST" else 200
    try:
        if which == "uitzetten" and off_form.is_valid():
            twofactor.do_disable_twofactor(user=user, code=off_form.cleaned_data["code"], acting_user=user)
            twofactor.forget_verification(request)
            user.has_confirmed_totp = False
            messages.success(request, _("Tweestapsverificatie staat uit."))
            return redirect("accounts:twofactor" if twofactor.required_for(user) else "accounts:account")
        if which == "herstelcodes" and codes_form.is_valid():
            codes = twofactor.do_new_recovery_codes(user=user, code=codes_form.cleaned_data["code"], acting_user=user)
            return render(
                request, "accounts/twofactor/recovery_codes.html", {"codes": codes, "next": "", "first": False}
            )
    except twofactor.TwoFactorError as error:
        (off_form if which == "uitzetten" else codes_form).add_error("code", str(error))
    return render(
        request,
        "accounts/twofactor/manage.html",
        {
            "off_form": off_form,
            "codes_form": codes_form,
            "required": twofactor.required_for(user),
            "codes_left": twofactor.recovery_codes_left(user),
        },
        status=status,
    )
