"""The core: what every app shares (errors, form fields, version check, dates, content checks, exports, mail).

It imports no domain app and not the project (groeiwijzer); the apps import from here.
"""
