from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import CodeRequestForm, CodeVerifyForm, NameForm, PasswordLoginForm
from .models import LoginCode

SESSION_CODE_USER = "login_code_user_id"


def _next_url(request):
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return settings.LOGIN_REDIRECT_URL


@login_not_required
def login_view(request):
    form = PasswordLoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user, backend="accounts.backends.EmailBackend")
        return redirect(_next_url(request))
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


@login_not_required
def code_request_view(request):
    form = CodeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = get_user_model().objects.filter(email=form.cleaned_data["email"], is_active=True).first()
        if user is not None and LoginCode.recently_issued(user) >= settings.LOGIN_CODES_PER_HOUR:
            user = None  # too many codes this hour: send nothing, answer the same (no guessing by resending)
        if user is not None:
            with transaction.atomic():
                _obj, code = LoginCode.issue(user)
                body = render_to_string(
                    "accounts/email/login_code.txt",
                    {"user": user, "code": code, "minutes": settings.LOGIN_CODE_VALID_MINUTES},
                )
                transaction.on_commit(
                    lambda: send_mail(_("Je inlogcode voor Groeiwijzer TSO"), body, None, [user.email])
                )
            request.session[SESSION_CODE_USER] = user.pk
        else:
            # Same answer whether or not the address is known.
            request.session[SESSION_CODE_USER] = None
        request.session["login_code_email"] = form.cleaned_data["email"]
        nxt = request.POST.get("next", "")
        target = reverse("accounts:code_verify")
        return redirect(f"{target}?{urlencode({'next': nxt})}" if nxt else target)
    return render(request, "accounts/code_request.html", {"form": form, "next": request.GET.get("next", "")})


@login_not_required
def code_verify_view(request):
    email = request.session.get("login_code_email")
    if not email:
        return redirect("accounts:code_request")
    form = CodeVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user_id = request.session.get(SESSION_CODE_USER)
        code = LoginCode.objects.filter(user_id=user_id, used_at=None).order_by("-created_at").first()
        if code is not None and code.is_usable() and code.matches(form.cleaned_data["code"]):
            code.used_at = timezone.now()
            code.save(update_fields=["used_at"])
            for key in (SESSION_CODE_USER, "login_code_email"):
                request.session.pop(key, None)
            login(request, code.user, backend="accounts.backends.EmailBackend")
            return redirect(_next_url(request))
        if code is not None:
            code.attempts += 1
            code.save(update_fields=["attempts"])
        form.add_error(
            "code",
            _("Deze code klopt niet of is verlopen. Controleer de cijfers of vraag een nieuwe code aan."),
        )
    return render(
        request, "accounts/code_verify.html", {"form": form, "email": email, "next": request.GET.get("next", "")}
    )


@login_not_required
@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("Je bent uitgelogd."))
    return redirect("accounts:login")


def account_view(request):
    """Mijn gegevens: what Groeiwijzer keeps about you, your name, your password."""
    user = request.user
    password_form_class = PasswordChangeForm if user.has_usable_password() else SetPasswordForm
    which = request.POST.get("form") if request.method == "POST" else None
    name_form = NameForm(request.POST if which == "naam" else None, initial={"name": user.name})
    password_form = password_form_class(user, request.POST if which == "wachtwoord" else None)
    first_field = next(iter(password_form.fields.values()))
    first_field.widget.attrs.pop("autofocus", None)  # Django's form focuses itself; on this page the name comes first
    password_form.fields["new_password1"].help_text = _(
        "Minstens 10 tekens. Niet alleen cijfers, niet een veelgebruikt wachtwoord en niet te veel lijkend op je naam "
        "of e-mailadres."
    )
    status = 400 if request.method == "POST" else 200
    if which == "naam" and name_form.is_valid():
        services.do_change_name(user=user, name=name_form.cleaned_data["name"], acting_user=user)
        messages.success(request, _("Je naam is opgeslagen."))
        return redirect("accounts:account")
    if which == "wachtwoord" and password_form.is_valid():
        services.do_set_password(form=password_form, acting_user=user)
        update_session_auth_hash(request, password_form.user)  # stay logged in here; other sessions end
        messages.success(request, _("Je wachtwoord is opgeslagen."))
        return redirect("accounts:account")
    memberships = user.memberships.select_related("school").order_by("school__name")
    return render(
        request,
        "accounts/account.html",
        {
            "name_form": name_form,
            "password_form": password_form,
            "has_password": user.has_usable_password(),
            "memberships": memberships,
            "boards": user.boards.order_by("name"),
        },
        status=status,
    )
