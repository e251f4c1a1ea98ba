"""Dispatch's pages and POST endpoints (routing suggestion, moves, handlers)."""

from zongzhi.dispatch import move_views, routing_views

app_name = "dispatch"

urlpatterns: list = []
urlpatterns += move_views.urlpatterns
urlpatterns += routing_views.urlpatterns
