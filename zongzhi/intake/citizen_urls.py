"""The citizen's mobile page (H5), QR codes and posters, under /intake/m/ (public)."""

from django.urls import path

from zongzhi.intake import citizen_views as views

urlpatterns = [
    path("ping", views.ping, name="ping"),
    path("report/", views.report, name="report"),
    path("report/places/", views.place_picker, name="place_picker"),
    path("lookup/", views.lookup, name="lookup"),
    path("progress/", views.progress, name="progress"),
    path("progress/rate/", views.rate_case, name="rate"),
    path("progress/reopen/", views.reopen_case, name="reopen"),
    path("qr/<str:code>.png", views.qr_png, name="qr_png"),
    path("qr/<str:code>.svg", views.qr_svg, name="qr_svg"),
    path("poster/<str:code>/", views.poster, name="poster"),
]
