"""The control endpoint the test fixture uses: POST /control/<action>/ with a JSON body and the header
`X-Control-Secret: $OIDC_PROVIDER_CONTROL_SECRET`. Actions: client, user, knob, reset."""

import hmac
import json
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.http import HttpResponseForbidden, HttpResponseNotFound, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oauth2_provider.models import AccessToken, Application, Grant, IDToken, RefreshToken

from .models import Knob, Profile

User = get_user_model()


def client(data):
    """Create or replace a confidential client that skips the consent screen and signs with RS256."""
    Application.objects.filter(client_id=data["client_id"]).delete()
    Application.objects.create(
        name=data["client_id"],
        client_id=data["client_id"],
        client_secret=data["client_secret"],  # hashed on save
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(data["redirect_uris"]),
        post_logout_redirect_uris=" ".join(data.get("post_logout_redirect_uris", [])),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    return {"client_id": data["client_id"]}


def user(data):
    """Create or update a person; returns the `sub` the provider sends for them."""
    person, _ = User.objects.get_or_create(username=data["username"])
    person.email = data["email"]
    person.set_password(data["password"])
    person.save()
    profile = Profile.objects.filter(user=person).first() or Profile(user=person, sub=uuid.uuid4().hex)
    profile.sub = data.get("sub") or profile.sub
    profile.name = data.get("name", "")
    profile.email_verified = data.get("email_verified", True)
    profile.save()
    return {"sub": profile.sub}


def knob(data):
    Knob.objects.update_or_create(name=data["name"], defaults={"value": data["value"]})
    return {}


def reset(data):
    """Forget every person, client, token, session and knob (the signing key stays)."""
    for model in (IDToken, RefreshToken, AccessToken, Grant, Application, Session, Knob, Profile, User):
        model.objects.all().delete()
    return {}


ACTIONS = {"client": client, "user": user, "knob": knob, "reset": reset}


@csrf_exempt
@require_POST
def control(request, action):
    given = request.headers.get("X-Control-Secret", "")
    if not settings.CONTROL_SECRET or not hmac.compare_digest(given, settings.CONTROL_SECRET):
        return HttpResponseForbidden("wrong control secret")
    if action not in ACTIONS:
        return HttpResponseNotFound(f"no action {action!r}")
    return JsonResponse(ACTIONS[action](json.loads(request.body or b"{}")))
