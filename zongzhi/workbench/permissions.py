"""Which staff pages an account may use: one home for the views and for the menus.

Views check these functions (`require_page`) and templates read the same answers through the
`may` context variable (`context_processors.permissions`), so a link is shown exactly when the
page behind it would open for that user.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.shortcuts import render
from django.urls import reverse

from zongzhi.cases.services import REGISTERING_ROLES


def can_use_workbench(user) -> bool:
    """The workbench (home, queue, case pages): any signed-in account."""
    return bool(user and user.is_authenticated and user.is_active)


def can_register(user) -> bool:
    """The one-stop window (统一登记): a registering role with an area to register in."""
    return can_use_workbench(user) and user.works_in_an_area and user.role in REGISTERING_ROLES


def can_use_admin(user) -> bool:
    """The admin site (管理后台): Django's own rule, an active account marked as staff."""
    return can_use_workbench(user) and user.is_staff


def refusal(user, page: str) -> str:
    """The Chinese reason shown when `user` may not use `page` (a key of PAGES)."""
    if page == "register":
        if user.role in REGISTERING_ROLES:
            return "您的账号尚未分配所属节点，不能登记纠纷，请联系系统管理员。"
        return f"{user.role_label}不能登记纠纷。"
    return f"{user.role_label}不能使用“{PAGES[page].label}”。"


@dataclass(frozen=True)
class Page:
    label: str
    url_name: str
    check: Callable[..., bool]
    # View names under which this menu entry is marked as the current page.
    current_for: tuple[str, ...] = ()


# The main menu, in order; `may` exposes every key for buttons and links elsewhere.
PAGES: dict[str, Page] = {
    "home": Page("工作台", "workbench:home", can_use_workbench, ("workbench:home",)),
    "queue": Page(
        "纠纷台账",
        "workbench:queue",
        can_use_workbench,
        ("workbench:queue", "workbench:case_detail"),
    ),
    "register": Page(
        "统一登记", "intake:window_register", can_register, ("intake:window_register",)
    ),
    "admin": Page("管理后台", "admin:index", can_use_admin),
}


def menu(user, current_view: str | None = None) -> list[dict]:
    """The main menu entries this user may use: label, url and whether it is the current page."""
    return [
        {
            "key": key,
            "label": page.label,
            "url": reverse(page.url_name),
            "current": current_view in page.current_for,
        }
        for key, page in PAGES.items()
        if page.check(user)
    ]


def require_page(page: str):
    """View decorator: a 403 page in Chinese unless the user may use `page` (a key of PAGES).

    Put it below `login_required`, which sends anonymous visitors to the login page first.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not PAGES[page].check(request.user):
                return render(
                    request,
                    "workbench/forbidden.html",
                    {"reason": refusal(request.user, page)},
                    status=403,
                )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
