from django.urls import path

from zongzhi.workbench import case_views, views

app_name = "workbench"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.queue, name="queue"),
    path("cases/<int:pk>/", case_views.case_detail, name="case_detail"),
    path("cases/<int:pk>/action/", case_views.case_action, name="case_action"),
    path(
        "cases/<int:pk>/parties/<int:party_pk>/reveal/",
        case_views.case_reveal,
        name="case_reveal",
    ),
    path("cases/<int:pk>/text/reveal/", case_views.case_text_reveal, name="case_text_reveal"),
    path("cases/<int:pk>/comment/", case_views.case_comment, name="case_comment"),
    path("cases/<int:pk>/risk/", case_views.case_risk, name="case_risk"),
    path("cases/<int:pk>/attachments/", case_views.case_attachment, name="case_attachment"),
    path(
        "cases/<int:pk>/attachments/<int:attachment_pk>/",
        case_views.attachment_download,
        name="attachment_download",
    ),
]
