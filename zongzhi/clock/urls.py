"""The clock's POST endpoints on the case page (pauses and extensions)."""

from zongzhi.clock import views

app_name = "clock"

urlpatterns = views.urlpatterns
