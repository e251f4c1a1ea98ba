"""Dispatch's pages and POST endpoints (routing suggestion, moves, handlers)."""

app_name = "dispatch"

urlpatterns: list = []
