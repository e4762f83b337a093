from django.shortcuts import render

from .content import load_file, load_gespreksformulier


def model_page(request):
    """The whole Ontwikkelmodel as the rubric table (printable on A4 landscape)."""
    return render(
        request,
        "ontwikkelmodel/model.html",
        {"model": load_file(), "formulier": load_gespreksformulier()},
    )
