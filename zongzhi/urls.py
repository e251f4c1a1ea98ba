from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "综治中心信息平台 · 管理后台"
admin.site.site_title = "综治中心信息平台"
admin.site.index_title = "基础数据管理"

# Chinese error pages (structured errors under /api/ and /open311/): zongzhi/error_pages.py.
handler400 = "zongzhi.error_pages.bad_request"
handler403 = "zongzhi.error_pages.permission_denied"
handler404 = "zongzhi.error_pages.page_not_found"
handler500 = "zongzhi.error_pages.server_error"

urlpatterns = [
    path("", include("zongzhi.workbench.urls")),
    path("accounts/", include("zongzhi.accounts.urls")),
    path("intake/", include("zongzhi.intake.urls")),
    path("dispatch/", include("zongzhi.dispatch.urls")),
    path("notify/", include("zongzhi.notify.urls")),
    path("clock/", include("zongzhi.clock.urls")),
    path("", include("zongzhi.api.urls")),
    path("admin/", admin.site.urls),
]

# No route serves MEDIA_ROOT, in debug neither: attachments are photos and papers of people,
# and leave only through the case page's view, which checks the area
# (workbench.case_views.attachment_download; cases.checks refuses a MEDIA_ROOT that a
# static-file handler would serve).
