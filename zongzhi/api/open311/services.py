"""Open311 services: each active dispute type is a service; its attributes (the service
definition) ask what a case needs beyond the spec's own fields."""

from zongzhi.api.open311 import config
from zongzhi.cases.models import DisputeType
from zongzhi.places.models import Level, Place

GROUP = "矛盾纠纷"


def active_types():
    return DisputeType.objects.filter(is_active=True).select_related("parent")


def service_entry(dispute_type: DisputeType) -> dict:
    parent = dispute_type.parent
    keywords = [dispute_type.name] + ([parent.name] if parent else [])
    return {
        "service_code": dispute_type.code,
        "service_name": dispute_type.name,
        "description": dispute_type.description or f"反映{dispute_type.name}，由综治中心受理调处。",
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(keywords),
        "group": parent.name if parent else GROUP,
    }


def township_choices() -> list[dict]:
    """The townships (乡镇/街道) a report can be filed to, as singlevaluelist values."""
    townships = Place.objects.filter(level=Level.TOWNSHIP).select_related("parent")
    root = config.root_place()
    if root is not None:
        townships = townships.filter(path__under=root.path)
    return [
        {"key": p.code, "name": f"{p.parent.name}{p.name}" if p.parent_id else p.name}
        for p in townships.order_by("path")
    ]


def attributes_for(dispute_type: DisputeType) -> list[dict]:
    """The attribute definitions of one service, in the spec's format.

    The same four for every dispute type today; a type that needs more (e.g. the amount of
    wages owed) adds them here."""
    return [
        {
            "variable": True,
            "code": "phone",
            "datatype": "string",
            "required": True,
            "datatype_description": "手机号码，例如 13812345678",
            "order": 1,
            "description": "联系电话（必填）：凭查询码和手机号后四位查询办理进度",
            "values": [],
        },
        {
            "variable": True,
            "code": "contact_name",
            "datatype": "string",
            "required": False,
            "datatype_description": "不超过40字",
            "order": 2,
            "description": "联系人姓名（可不填，不填则记为匿名）",
            "values": [],
        },
        {
            "variable": True,
            "code": "people_count",
            "datatype": "number",
            "required": False,
            "datatype_description": "1到10000之间的整数",
            "order": 3,
            "description": "涉及人数",
            "values": [],
        },
        {
            "variable": True,
            "code": "township",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": "从列表中选择一项",
            "order": 4,
            "description": "纠纷发生的乡镇（街道）；不选时按 lat/long 就近确定",
            "values": township_choices(),
        },
    ]


def definition(dispute_type: DisputeType) -> dict:
    return {"service_code": dispute_type.code, "attributes": attributes_for(dispute_type)}
