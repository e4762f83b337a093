from django.contrib import admin
from django.urls import include, path

import accounts.sso_urls
import accounts.urls
import assessments.urls
import core.health
import organisations.urls
import pages.urls

admin.site.site_header = "Groeiwijzer TSO – beheer"

urlpatterns = [
    # For load balancers and monitoring: public, no session, no cookie (core/health.py).
    path("health/live/", core.health.live, name="health_live"),
    path("health/ready/", core.health.ready, name="health_ready"),
    # The pages on top (pages/) keep their URL names in the namespaces of the apps they belong to.
    pages.urls.home,
    path("", include((accounts.urls.urlpatterns + pages.urls.accounts_urlpatterns, accounts.urls.app_name))),
    path(
        "",
        include((organisations.urls.urlpatterns + pages.urls.organisations_urlpatterns, organisations.urls.app_name)),
    ),
    path("", include("ontwikkelmodel.urls")),
    path("", include((assessments.urls.urlpatterns + pages.urls.assessments_urlpatterns, assessments.urls.app_name))),
    path("", include("actionplans.urls")),
    path("", include("trajectory.urls")),
    path("", include("training.urls")),
    path("", include("leadership.urls")),
    path("", include("intake.urls")),
    path("", include("reference.urls")),
    path("", include("outcomes.urls")),
    path("", include("research.urls")),
    path("", include("notifications.urls")),
    path("", include((pages.urls.audit_urlpatterns, "audit"))),
    path("", include("api.urls")),  # the read API for boards (/api/v1/) and the board's API tokens (issue 16)
    # Single sign-on (issue 16): allauth's OpenID Connect login and callback under /sso/oidc/<provider id>/, with
    # allauth's own URL names (it reverses them); allauth's account pages are not included.
    path("", include(accounts.sso_urls.urlpatterns)),
    path("beheer/", admin.site.urls),
]
