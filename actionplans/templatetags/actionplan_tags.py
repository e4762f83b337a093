"""The action plan's small pieces of markup that many rows repeat: built in Python, not by a template include."""

from django import template
from django.utils.html import format_html

register = template.Library()

STATUS_ICONS = {"gevierd": "★ ", "afgerond": "✓ ", "bezig": "▶ "}  # the word says it too: never colour alone


@register.filter
def status_badge(action):
    """The action's status as a badge: <span class="gw-badge gw-status gw-status--bezig">▶ Bezig</span>."""
    return format_html(
        '<span class="gw-badge gw-status gw-status--{}">{}{}</span>',
        action.status,
        STATUS_ICONS.get(action.status, ""),
        action.get_status_display(),
    )
