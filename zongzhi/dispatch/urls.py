"""Dispatch's pages and POST endpoints (routing suggestion, moves, handlers, teams)."""

from zongzhi.dispatch import handler_views, key_case_views, move_views, routing_views, team_views

app_name = "dispatch"

urlpatterns: list = []
urlpatterns += move_views.urlpatterns
urlpatterns += routing_views.urlpatterns
urlpatterns += handler_views.urlpatterns
urlpatterns += team_views.urlpatterns
urlpatterns += key_case_views.urlpatterns
