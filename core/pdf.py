"""PDF reports printed from the pages' own templates with WeasyPrint: tagged PDF/UA-1, A4 via our print CSS.

WeasyPrint's table tagging is corrected before the PDF is written (core/pdftags.py): the PDF/UA-1 claim is only
made because tests/test_export_clients.py checks every report's structure tree.

The template is rendered with ``pdf=True``; base.html then links no stylesheets, and our own two (tokens.css and
app.css, whose print rules lay out the page) are handed to WeasyPrint already parsed: parsing them took a third
of the time of every PDF. They are parsed once per process (again on every PDF with DEBUG, so edits show).
No other URL is fetched: the fetcher serves our static files only, from disk, and refuses the rest.

Views import this module only when a PDF is asked for: WeasyPrint loads Pango and friends.
"""

from __future__ import annotations

import logging
import posixpath
from functools import cache, lru_cache
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .pdftags import fix_structure

PDF_TYPE = "application/pdf"
PDF_STYLESHEETS = ("css/tokens.css", "css/app.css")  # the NL Design System CSS is for screens: left out

# WeasyPrint logs a warning for every CSS feature it does not support and an error for a resource it could not
# load. Keep the errors, unless settings say otherwise.
if logging.getLogger("weasyprint").level == logging.NOTSET:
    logging.getLogger("weasyprint").setLevel(logging.ERROR)


def _parse_stylesheets() -> tuple:
    return tuple(CSS(filename=finders.find(name)) for name in PDF_STYLESHEETS)


_cached_stylesheets = cache(_parse_stylesheets)


def stylesheets() -> tuple:
    return _parse_stylesheets() if settings.DEBUG else _cached_stylesheets()


@lru_cache(maxsize=16)
def _fetcher(base_url: str) -> StaticFilesFetcher:
    return StaticFilesFetcher(base_url)


def render_pdf(request, template_name: str, context: dict) -> bytes:
    """``request`` None: made outside a request (the background worker, core/generated.py): no context processors
    (no user, no site menu: the print CSS hides it anyway), links in the PDF point at SITE_URL."""
    html = render_to_string(
        template_name,
        {**context, "pdf": True, "messages": ()},  # messages: leave pending ones for the next page
        request=request,
    )
    base_url = request.build_absolute_uri("/") if request is not None else settings.SITE_URL.rstrip("/") + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=_fetcher(base_url)).write_pdf(
        stylesheets=stylesheets(),
        pdf_variant="pdf/ua-1",  # tagged PDF (structure tree, /MarkInfo), /Lang from <html lang>, title in metadata
        finisher=fix_structure,  # table headers, scopes and captions as PDF/UA wants them (core/pdftags.py)
    )


class StaticFilesFetcher(URLFetcher):
    """Serves our own static files from disk and refuses every other URL: no network, no third-party hosts.

    Static files come from the staticfiles finders (the source folders) or, for names with a content hash
    (production's manifest storage), from the collected files in STATIC_ROOT.
    """

    def __init__(self, base_url: str):
        super().__init__()
        self.static_prefix = urlsplit(base_url)._replace(path=settings.STATIC_URL, query="", fragment="").geturl()

    def fetch(self, url, headers=None):
        if not url.startswith(self.static_prefix):
            raise ValueError(f"Refused (not one of our static files): {url[:200]}")
        name = unquote(urlsplit(url).path[len(urlsplit(self.static_prefix).path) :])
        normal = posixpath.normpath(name)
        if name.startswith("/") or normal != name or normal.startswith(".."):
            raise ValueError(f"Refused (not a plain static path): {url[:200]}")
        path = finders.find(normal)
        if path:
            with open(path, "rb") as f:
                body = f.read()
        elif staticfiles_storage.exists(normal):
            with staticfiles_storage.open(normal) as f:
                body = f.read()
        else:
            raise ValueError(f"Static file not found: {normal}")
        content_type = "text/css" if normal.endswith(".css") else None
        headers = {"Content-Type": f"{content_type}; charset=utf-8"} if content_type else {}
        return URLFetcherResponse(url, body, headers)
