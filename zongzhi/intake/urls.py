from django.urls import include, path

app_name = "intake"

urlpatterns = [
    # The one-stop window (统一登记), for staff.
    path("window/", include("zongzhi.intake.window_urls")),
    # The citizen's mobile page (H5), QR codes and posters; public.
    path("m/", include("zongzhi.intake.citizen_urls")),
]
