"""The intake section of the school dashboard (templates/organisations/school.html)."""

from django import template

from intake.summary import kartrekker_count, latest_decision

register = template.Library()


@register.simple_tag
def intake_summary(acc):
    """Latest decision and kartrekker count, for those who may see voorgesprekken; else None."""
    if acc is None or not acc.can_lead_intake:
        return None
    return {"latest": latest_decision(acc.school), "kartrekkers": kartrekker_count(acc.school)}
