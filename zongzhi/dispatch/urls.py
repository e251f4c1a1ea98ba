"""Dispatch's pages and POST endpoints (routing suggestion, moves, handlers, teams, key cases,
cards, 吹哨报到)."""

from zongzhi.dispatch import (
    card_views,
    handler_views,
    key_case_views,
    move_views,
    routing_views,
    team_views,
    whistle_views,
)

app_name = "dispatch"

urlpatterns: list = []
urlpatterns += move_views.urlpatterns
urlpatterns += routing_views.urlpatterns
urlpatterns += handler_views.urlpatterns
urlpatterns += team_views.urlpatterns
urlpatterns += key_case_views.urlpatterns
urlpatterns += card_views.urlpatterns
urlpatterns += whistle_views.urlpatterns
