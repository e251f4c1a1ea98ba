from django.urls import path, re_path

from zongzhi.api.open311 import views as open311
from zongzhi.api.v1 import api as api_v1

# No app_name: Ninja reverses its own "api-v1" namespace from the root.

FORMAT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    path("api/v1/", api_v1.urls),
    re_path(r"^open311/discovery" + FORMAT, open311.discovery, name="open311-discovery"),
    re_path(r"^open311/v2/services" + FORMAT, open311.service_list, name="open311-services"),
    re_path(
        r"^open311/v2/services/(?P<service_code>[^/]+?)" + FORMAT,
        open311.service_definition,
        name="open311-service",
    ),
    re_path(r"^open311/v2/requests" + FORMAT, open311.requests, name="open311-requests"),
    re_path(
        r"^open311/v2/requests/(?P<request_id>[^/]+?)" + FORMAT,
        open311.request_detail,
        name="open311-request",
    ),
    re_path(r"^open311/v2/tokens/(?P<token>[^/]+?)" + FORMAT, open311.token, name="open311-token"),
]
