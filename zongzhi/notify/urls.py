from django.urls import path

from zongzhi.notify import views

app_name = "notify"

urlpatterns = [
    path("inbox/", views.inbox_list, name="inbox"),
    path("inbox/bell/", views.bell, name="bell"),
    path("inbox/<int:pk>/read/", views.read_one, name="read_one"),
    path("inbox/read-all/", views.read_all, name="read_all"),
]
