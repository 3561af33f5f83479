from django.shortcuts import render

from opora.registry.selectors import home_figures, municipality_for, school_for


def home(request):
    """The home page: the figures of the user's own scope."""
    user = request.user
    context = {"figures": home_figures(user)}
    if user.school_id:
        context["own_school"] = school_for(user, user.school_id)
    if user.municipality_id:
        context["own_municipality"] = municipality_for(user, user.municipality_id)
    return render(request, "accounts/home.html", context)
