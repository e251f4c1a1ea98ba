"""The versioned JSON API, mounted at /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at
/api/v1/docs, served locally: no CDN on the intranet)."""

from ninja import NinjaAPI

from zongzhi.api import (
    clock,
    dispatch_cards,
    dispatch_handlers,
    dispatch_key_cases,
    dispatch_moves,
    dispatch_routing,
    dispatch_teams,
    dispatch_whistles,
    errors,
    public,
    staff,
)
from zongzhi.api.auth import staff_auth

api = NinjaAPI(
    title="综治中心信息平台 API",
    version="1",
    description="工作人员接口（令牌或登录会话）与群众公开接口。所有个人信息均脱敏返回。",
    urls_namespace="api-v1",
    docs_url="/docs",
)
errors.install(api)
api.add_router("/", staff.router, auth=staff_auth)
api.add_router("/public", public.router, auth=None)
api.add_router("/", dispatch_moves.router, auth=staff_auth)
api.add_router("/", dispatch_routing.router, auth=staff_auth)
api.add_router("/", dispatch_handlers.router, auth=staff_auth)
api.add_router("/", dispatch_teams.router, auth=staff_auth)
api.add_router("/", dispatch_key_cases.router, auth=staff_auth)
api.add_router("/", dispatch_cards.router, auth=staff_auth)
api.add_router("/", clock.router, auth=staff_auth)
api.add_router("/", dispatch_whistles.router, auth=staff_auth)
