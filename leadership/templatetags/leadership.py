"""The school dashboard's small leadership section, without touching the dashboard view."""

from django import template

from leadership import lookups

from .. import services

register = template.Library()


@register.simple_tag
def leadership_summary(acc):
    """{"round", "answered", "total"} for a schoolleiding member; None for everyone else."""
    if acc is None or not acc.can_fill_leadership_checklist:
        return None
    round_ = services.current_round(acc.school)
    if round_ is None:
        return {"round": None, "answered": 0, "total": 0}
    keys = {key for key, _text, _extra in services.items_for(acc.school)}
    answered = lookups.own_leadership_answers(acc, round_).filter(item_key__in=keys).count()
    return {"round": round_, "answered": answered, "total": len(keys)}
