"""core.editing.edit: the one way an edit view binds, saves through a service and shows a refused save."""

from django import forms
from django.http import HttpResponse
from django.test import RequestFactory

from core.editing import edit, form_status, post_data
from core.errors import ConflictError, ServiceError
from core.fields import EditVersionMixin, VersionField

rf = RequestFactory()


class TitleForm(EditVersionMixin, forms.Form):
    title = forms.CharField(label="Titel", max_length=20)
    version = VersionField()


class Item:
    """A stand-in for a versioned model: refresh_from_db reads what 'the database' holds now."""

    def __init__(self):
        self.stored = {"title": "Oud", "version": 1}
        self.refresh_from_db()

    def refresh_from_db(self):
        self.title, self.version = self.stored["title"], self.stored["version"]


def _run(request, item, save, **kwargs):
    form = TitleForm(post_data(request), initial={"title": item.title, "version": item.version} if item else {})
    seen = {}

    def context(conflict):
        seen["conflict"] = conflict
        return {"conflict": conflict, "form": form}

    response = edit(
        request,
        form,
        item,
        save=save,
        fields=("title",),
        template="_conflict.html",
        context=context,
        done=lambda saved: HttpResponse(f"done {saved}", status=302),
        **kwargs,
    )
    return response, form, seen


def _never(version):
    raise AssertionError("the service must not be called")


def test_get_shows_the_form_without_saving():
    request = rf.get("/")
    response, form, seen = _run(request, Item(), _never)
    assert response.status_code == 200 and seen["conflict"] is None and not form.is_bound
    assert form_status(request) == 200 and post_data(request) is None


def test_invalid_input_is_400_keeps_the_input_and_saves_nothing():
    response, form, seen = _run(rf.post("/", {"title": "x" * 30, "version": "1"}), Item(), _never)
    assert response.status_code == 400 and seen["conflict"] is None
    assert form.data["title"] == "x" * 30 and form.has_error("title")


def test_a_missing_version_is_refused_not_saved_blindly():
    response, form, _ = _run(rf.post("/", {"title": "Nieuw"}), Item(), _never)
    assert response.status_code == 400 and form.non_field_errors()


def test_a_save_gets_the_loaded_version_and_ends_in_done():
    calls = []

    def save(version):
        calls.append(version)
        return "ok"

    response, _, _ = _run(rf.post("/", {"title": "Nieuw", "version": "1"}), Item(), save)
    assert calls == [1]
    assert response.status_code == 302 and response.content == b"done ok"


def test_a_conflict_is_409_shows_saved_versus_mine_and_carries_the_saved_version():
    item = Item()

    def save(version):
        item.stored = {"title": "Van een ander", "version": 2}  # someone saved meanwhile
        raise ConflictError("Iemand anders heeft dit intussen opgeslagen.")

    extra = [{"label": "Stappen", "saved": "a", "mine": "b"}]
    response, form, seen = _run(
        rf.post("/", {"title": "Van mij", "version": "1"}), item, save, more_rows=lambda f, obj: extra
    )
    assert response.status_code == 409
    assert seen["conflict"] == [{"label": "Titel", "saved": "Van een ander", "mine": "Van mij"}, *extra]
    assert item.version == 2 and form.data["version"] == 2 and form.data["title"] == "Van mij"
    assert "Iemand anders heeft dit intussen opgeslagen." in form.non_field_errors()
    body = response.content.decode()
    assert "Van een ander" in body and "Van mij" in body


def test_another_refusal_is_400_with_the_message_on_the_form():
    def save(version):
        raise ServiceError("Dit kan niet meer.")

    response, form, seen = _run(rf.post("/", {"title": "Nieuw", "version": "1"}), Item(), save)
    assert response.status_code == 400 and seen["conflict"] is None
    assert form.non_field_errors() == ["Dit kan niet meer."] and form.data["version"] == "1"


def test_a_form_that_creates_passes_no_version():
    calls = []

    def save(version):
        calls.append(version)
        return "new"

    response, _, _ = _run(rf.post("/", {"title": "Nieuw"}), None, save)
    assert calls == [None] and response.status_code == 302


class NoMixinForm(forms.Form):
    """An edit form that forgot EditVersionMixin: the helper itself still refuses a save without the version."""

    title = forms.CharField(label="Titel", max_length=20)
    version = VersionField()


def test_a_post_without_version_never_overwrites_even_without_the_mixin():
    item = Item()
    for data in ({"title": "Nieuw"}, {"title": "Nieuw", "version": ""}):
        form = NoMixinForm(data, initial={"title": item.title, "version": item.version})
        response = edit(
            rf.post("/", data),
            form,
            item,
            save=_never,
            fields=("title",),
            template="_conflict.html",
            context=lambda conflict: {"conflict": conflict},
            done=lambda saved: HttpResponse("done", status=302),
        )
        assert response.status_code == 400
        assert "het versienummer ontbreekt" in " ".join(form.non_field_errors())
        assert item.stored == {"title": "Oud", "version": 1}


class AutosaveForm(forms.Form):
    text = forms.CharField(required=False)
    version = VersionField()
    force_version = VersionField()


def _autosave(data, save, **kwargs):
    form = AutosaveForm(data)
    seen = {}

    def context(conflict):
        seen["conflict"] = conflict
        return {}

    response = edit(
        rf.post("/", data),
        form,
        None,
        save=save,
        template="_conflict.html",
        context=context,
        done=lambda saved: HttpResponse(f"done {saved}"),
        **kwargs,
    )
    return response, form, seen


def test_force_version_is_the_version_the_user_chose_to_overwrite():
    calls = []
    response, _, _ = _autosave({"text": "x", "version": "1", "force_version": "3"}, lambda v: calls.append(v) or "ok")
    assert calls == [3] and response.status_code == 200


def test_on_conflict_shows_what_it_reads_and_leaves_the_users_version():
    def save(version):
        raise ConflictError("Iemand anders heeft dit intussen opgeslagen.")

    response, form, seen = _autosave(
        {"text": "mijn tekst", "version": "1"}, save, on_conflict=lambda f: {"saved": "hun tekst", "version": 2}
    )
    assert response.status_code == 409 and seen["conflict"] == {"saved": "hun tekst", "version": 2}
    assert form.data["version"] == "1" and form.non_field_errors() == ["Iemand anders heeft dit intussen opgeslagen."]


def test_refused_field_and_statuses_are_the_callers_choice():
    def refuse(version):
        raise ServiceError("Dit kan niet meer.")

    response, form, _ = _autosave({"text": "x", "version": "1"}, refuse, refused_field="text", refused_status=409)
    assert response.status_code == 409 and form.errors["text"] == ["Dit kan niet meer."]

    def conflict(version):
        raise ConflictError("Iemand anders heeft dit intussen opgeslagen.")

    item = Item()
    response, form, seen = _run(rf.post("/", {"title": "Van mij", "version": "1"}), item, conflict, conflict_status=400)
    assert response.status_code == 400 and form.data["version"] == 1
