"""The top menu: the entries the apps contributed (core.contributions) that this user sees.

Access itself is checked in views; the menu only leaves out links that mean nothing to a role.
"""

from opora.core import contributions


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    # Once per request: a page that renders panels with ``render_to_string(..., request=…)``
    # (the school card, the home page, the roadmap page) runs the context processors for each
    # of them, and the menu's badges count the user's inbox (bench/pages.py: six times a page).
    known = getattr(request, "_opora_navigation", None)
    if known is None or known[0] is not user:
        known = request._opora_navigation = (user, _navigation(request, user))
    return known[1]


def _navigation(request, user) -> dict:
    current = request.path
    menu = contributions.menu_for(user)
    urls = {id(item): item.url(user) for _, entries in menu for item in entries}
    # The open page marks the one link whose address is the longest start of it: on
    # «/roadmaps/overdue/» «Контроль сроков», not «Дорожные карты» (/roadmaps/) beside it.
    starts = [url for url in urls.values() if url != "/" and current.startswith(url)]
    open_url = max(starts, key=len, default=None)

    def entry(item):
        url = urls[id(item)]
        return {
            "label": item.label,
            "url": url,
            "active": url == open_url,
            "badge": item.badge(user) if item.badge else 0,
            "key": item.url_name.replace(":", "-"),
            "icon": item.icon,
        }

    nav, corner = [], []
    for group, entries in menu:
        if group is None:
            (corner if entries[0].corner else nav).append(entry(entries[0]))
            continue
        children = [entry(item) for item in entries]
        nav.append(
            {
                "label": group.label,
                "children": children,
                "active": any(c["active"] for c in children),
            }
        )
    # The counts stay in sight on a phone, where the menu is folded behind its button.
    attention = [
        item
        for item in [*nav, *corner, *(c for i in nav for c in i.get("children", []))]
        if item.get("badge")
    ]
    return {"nav_items": nav, "nav_corner": corner, "nav_attention": attention}
