def current_school(request):
    """Expose the school access the view resolved (set by views as request.school_access)."""
    return {"school_access": getattr(request, "school_access", None)}
