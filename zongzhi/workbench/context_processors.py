"""Template context every staff page shares."""

from django.utils.functional import SimpleLazyObject

from zongzhi.workbench import permissions


class _May:
    """`may.register`, `may.admin`, …: whether the user may use a page (permissions.PAGES)."""

    def __init__(self, user):
        self._user = user

    def __getattr__(self, page: str) -> bool:
        if page not in permissions.PAGES:
            raise AttributeError(page)
        return permissions.PAGES[page].check(self._user)


def permissions_context(request) -> dict:
    """`may` and `main_menu` for the menus and buttons, from the rules the views check."""
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else None
    return {
        "may": _May(user),
        "main_menu": SimpleLazyObject(lambda: permissions.menu(user, current)),
    }
