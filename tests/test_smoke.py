from django.urls import reverse


def test_school_dashboard_lists_rounds(cast, login):
    client = login(cast.kartrekker)
    response = client.get(reverse("organisations:school", args=[cast.school.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Open ronde" in content
    assert "Afgesloten ronde" in content
    assert "Vreemde ronde" not in content


def test_every_page_links_our_own_icon(client, db):
    """The tab shows our icon, served by the app itself (no request for a missing /favicon.ico)."""
    from pathlib import Path

    from django.contrib.staticfiles import finders

    content = client.get(reverse("accounts:login")).content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in content
    icon = finders.find("img/favicon.svg")
    assert icon and Path(icon).read_text().startswith('<svg xmlns="http://www.w3.org/2000/svg"')
