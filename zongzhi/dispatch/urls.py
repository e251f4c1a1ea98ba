"""Dispatch's pages and POST endpoints (routing suggestion, moves, handlers)."""

from zongzhi.dispatch import routing_views

app_name = "dispatch"

urlpatterns: list = []
urlpatterns += routing_views.urlpatterns
