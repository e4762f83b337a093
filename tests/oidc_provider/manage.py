#!/usr/bin/env python
"""The local OpenID Connect provider of the tests (see tests/oidc_fixtures.py): `manage.py serve_idp`."""

import os
import sys

if __name__ == "__main__":
    os.environ["DJANGO_SETTINGS_MODULE"] = "oidc_idp.settings"  # not setdefault: pytest-django sets the app's
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
