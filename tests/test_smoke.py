from django.urls import reverse


def test_school_dashboard_lists_rounds(cast, login):
    client = login(cast.kartrekker)
    response = client.get(reverse("organisations:school", args=[cast.school.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Open ronde" in content
    assert "Afgesloten ronde" in content
    assert "Vreemde ronde" not in content
