"""A school that leaves: download all of its data (ZIP), then delete it after typing its name."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from organisations import access

from . import leaving


@never_cache
def school_export(request, school_id):
    """Everything of the school, one JSON file per kind of data, with a README.txt on the format."""
    school = access.get_school_to_close(request.user, school_id)
    filename = leaving.export_filename(school)
    content = leaving.school_export_zip(school)
    leaving.do_record_school_export(school=school, acting_user=request.user, filename=filename)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class DeleteSchoolForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Typ de naam van de school om te bevestigen"),
        max_length=200,
        strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school

    def clean_name(self):
        typed = self.cleaned_data["name"]
        if not leaving.name_matches(self.school, typed):
            raise forms.ValidationError(
                _("Dit is niet precies de naam van de school. Er is niets verwijderd."), code="mismatch"
            )
        return typed


@never_cache
def school_delete(request, school_id):
    """The confirmation page; the school is deleted only when its name is typed exactly."""
    school = access.get_school_to_close(request.user, school_id)
    form = DeleteSchoolForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        name = school.name
        leaving.do_delete_school(school=school, acting_user=request.user)
        messages.success(request, leaving.deleted_message(name))
        user = request.user
        if not user.is_staff and not user.memberships.exists() and not user.boards.exists():
            messages.info(
                request,
                _("Je account bestaat nog. Wil je ook dat wissen? Dat kan onder Mijn gegevens."),
            )
        return redirect("home")
    return render(
        request,
        "organisations/leaving/delete.html",
        {"school": school, "form": form, "summary": leaving.deletion_summary(school)},
        status=400 if request.method == "POST" else 200,
    )
