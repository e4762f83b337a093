"""WSGI entry point; serve with `gunicorn groeiwijzer.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "groeiwijzer.settings_production")

application = get_wsgi_application()
