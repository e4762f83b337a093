"""The consensus view opened in full (issue 15): every growth layer (?laag=alle) and every accent's written answers,
which the page loads on demand. Tests that look for what the view shows, or must never show (names in an anonymous
round, a submission not shown yet), read this: all that a person can open, not only what opens by itself."""

from __future__ import annotations

from django.urls import reverse


def consensus_in_full(client, round_, *, query: str = "") -> str:
    """The page with every layer open, followed by each accent's "Wat deelnemers schreven" as htmx loads it."""
    page = client.get(
        reverse("assessments:consensus", args=[round_.school_id, round_.pk])
        + "?laag=alle"
        + (f"&{query}" if query else "")
    )
    assert page.status_code == 200, page.status_code
    texts = [page.content.decode()]
    for accent in round_.model.accents:
        part = client.get(
            reverse("assessments:consensus_written", args=[round_.school_id, round_.pk, accent.code]),
            HTTP_HX_REQUEST="true",
        )
        assert part.status_code == 200, (accent.code, part.status_code)
        texts.append(part.content.decode())
    return "\n".join(texts)
