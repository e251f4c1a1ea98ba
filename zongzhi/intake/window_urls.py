from django.urls import path

from zongzhi.intake import window_views

urlpatterns = [
    path("", window_views.window_register, name="window_register"),
]
