import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.urls_safe import safe_local_path, safe_next

from . import services, sso, throttle
from .forms import CodeRequestForm, CodeVerifyForm, LanguageForm, NameForm, PasswordLoginForm
from .middleware import supported_language
from .models import CalendarFeed

SESSION_CODE_USER = "login_code_user_id"
SESSION_CODE_EMAIL = "login_code_email"


def _next_url(request):
    """A local `next` path, else the start page; anything else ("foo", "//evil", "https://evil") is ignored."""
    return safe_next(request, settings.LOGIN_REDIRECT_URL)


def _next_for_form(request) -> str:
    return safe_local_path(request.POST.get("next") or request.GET.get("next")) or ""


def _login_again(request) -> str:
    nxt = _next_for_form(request)
    target = reverse("accounts:login")
    return f"{target}?{urlencode({'next': nxt})}" if nxt else target


@login_not_required
def login_view(request):
    form = PasswordLoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.do_log_in(request=request, user=form.user, method="password")
        if not request.user.is_authenticated:  # the school account that let it through could not be linked
            return redirect(_login_again(request))
        return redirect(_next_url(request))
    return render(request, "accounts/login.html", {"form": form, "next": _next_for_form(request)})


def _wait_until(started: float, seconds: float) -> None:
    """Sleep until ``seconds`` have passed since ``started`` (time.monotonic())."""
    remaining = started + seconds - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)


@login_not_required
def code_request_view(request):
    started = time.monotonic()
    form = CodeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # A school that requires single sign-on may switch the code off: then a mail says how to log in instead.
        refused = sso.code_login_refused(email=email, request=request)
        user = None if refused else services.do_request_login_code(email=email)
        # A known address costs more work (a code, a mail in the queue) than an unknown one: the answer waits until
        # LOGIN_CODE_MIN_SECONDS have passed either way, so its timing does not tell who has an account.
        _wait_until(started, settings.LOGIN_CODE_MIN_SECONDS)
        # The same answer whether or not the address is known, a code was sent or sending failed.
        request.session[SESSION_CODE_USER] = user.pk if user is not None else None
        request.session[SESSION_CODE_EMAIL] = email
        nxt = _next_for_form(request)
        target = reverse("accounts:code_verify")
        return redirect(f"{target}?{urlencode({'next': nxt})}" if nxt else target)
    return render(request, "accounts/code_request.html", {"form": form, "next": _next_for_form(request)})


@login_not_required
def code_verify_view(request):
    email = request.session.get(SESSION_CODE_EMAIL)
    if not email:
        return redirect("accounts:code_request")
    form = CodeVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.do_verify_login_code(
            user_id=request.session.get(SESSION_CODE_USER),
            code=form.cleaned_data["code"],
            client=throttle.client_address(request),
        )
        if user is not None:
            for key in (SESSION_CODE_USER, SESSION_CODE_EMAIL):
                request.session.pop(key, None)
            refused = sso.code_login_refusal(request, user)  # the school switched the code off meanwhile
            if refused:
                messages.error(request, refused)
                return redirect(_login_again(request))
            services.do_log_in(request=request, user=user, method="code")
            if not request.user.is_authenticated:  # the school account that let it through could not be linked
                return redirect(_login_again(request))
            return redirect(_next_url(request))
        form.add_error(
            "code",
            _("Deze code klopt niet of is verlopen. Controleer de cijfers of vraag een nieuwe code aan."),
        )
    return render(request, "accounts/code_verify.html", {"form": form, "email": email, "next": _next_for_form(request)})


@login_not_required
@require_POST
def logout_view(request):
    offer = sso.logout_offer(request)  # logged in with a school account: offer to log out there too
    services.do_log_out(request=request)
    sso.remember_logout_offer(request, offer)
    messages.info(request, _("Je bent uitgelogd."))
    return redirect("accounts:login")


def _remember_language(response, language: str):
    """The language cookie (as Django's set_language sets it): the login page and anonymous pages keep it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@login_not_required
@require_POST
def language_view(request):
    """The header's language switch, for everyone: a cookie, and for a logged-in person also their preference (which
    wins over the cookie, accounts.middleware.UserLanguage). Back to the page it was used on."""
    language = supported_language(request.POST.get("language"))
    if language is None:
        message = _("Die taal kennen we niet. Kies Nederlands of English.")
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    if request.user.is_authenticated:
        services.do_set_language(user=request.user, language=language, acting_user=request.user)
    return _remember_language(redirect(_next_url(request)), language)


def account_view(request):
    """Mijn gegevens: what Groeiwijzer keeps about you, your name, your password."""
    user = request.user
    password_form_class = PasswordChangeForm if user.has_usable_password() else SetPasswordForm
    which = request.POST.get("form") if request.method == "POST" else None
    name_form = NameForm(request.POST if which == "naam" else None, initial={"name": user.name})
    language_form = LanguageForm(request.POST if which == "taal" else None, initial={"language": user.language})
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
    if which == "taal" and language_form.is_valid():
        language = language_form.cleaned_data["language"]
        services.do_set_language(user=user, language=language, acting_user=user)
        translation.activate(language)  # the message in the language just chosen
        messages.success(request, _("Je taal is opgeslagen."))
        return _remember_language(redirect("accounts:account"), language)
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
            "language_form": language_form,
            "password_form": password_form,
            "has_password": user.has_usable_password(),
            "memberships": memberships,
            "boards": user.boards.order_by("name"),
            "calendar_feed_active": CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).exists(),
        },
        status=status,
    )
