"""The version check of an edit (optimistic locking): a save made on an older version than the saved one is refused.

One rule for every app. Only the message differs, and explicitly: a form shows the saved version next to the user's
input (``IN_THE_FORM``, the default), an autosaved text box keeps the user's text in the box (``IN_THE_BOX``).
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

from core.errors import ConflictError

IN_THE_FORM = gettext_noop(
    "Iemand anders heeft dit intussen opgeslagen. Hieronder zie je die versie naast jouw invoer; "
    "jouw invoer staat nog in het formulier. Neem over wat je wilt houden en sla opnieuw op."
)
IN_THE_BOX = gettext_noop(
    "Iemand anders heeft dit intussen opgeslagen. Jouw tekst is niet opgeslagen en staat nog in het "
    "vak. Neem over wat je wilt houden en sla opnieuw op."
)


def check_version(saved_version: int | str, expected_version, *, message: str = IN_THE_FORM) -> None:
    """ConflictError (in Dutch) when the form was loaded with another version than the saved one.

    ``saved_version`` is the item's version number, or for an item without one the time of its last save as text
    ("" when there is no item yet). ``expected_version`` None means "no check" (a new item; forms of existing items
    require a version, see core.fields.EditVersionMixin). ``message``: IN_THE_FORM or IN_THE_BOX (see the module
    docstring), or an app's own wording that names the item, marked with gettext_noop.
    """
    if expected_version is None:
        return
    expected = int(expected_version) if isinstance(saved_version, int) else expected_version
    if expected != saved_version:
        raise ConflictError(gettext(message))
