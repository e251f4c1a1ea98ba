"""Dispatch's pages and POST endpoints (routing suggestion, moves, handlers)."""

from zongzhi.dispatch import handler_views, move_views, routing_views, whistle_views

app_name = "dispatch"

urlpatterns: list = []
urlpatterns += move_views.urlpatterns
urlpatterns += routing_views.urlpatterns
urlpatterns += handler_views.urlpatterns
urlpatterns += whistle_views.urlpatterns
