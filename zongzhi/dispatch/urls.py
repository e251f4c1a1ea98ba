"""Dispatch's pages and POST endpoints (routing suggestion, moves, handlers)."""

from zongzhi.dispatch import handler_views

app_name = "dispatch"

urlpatterns: list = []
urlpatterns += handler_views.urlpatterns
