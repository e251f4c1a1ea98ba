"""The words of each message. What reaches a citizen's phone never carries the dispute's
details (names, places, what happened): only that something happened and the query code."""

from django.conf import settings

from zongzhi.cases.models import Case
from zongzhi.privacy.masking import mask_free_text

SIGNATURE = "【综治中心】"


def _lookup_hint() -> str:
    return f"可在“群众服务”页面凭查询码和手机号后四位查询进度，或拨打{settings.CITIZEN_HOTLINE}"


def citizen_accepted(case: Case) -> str:
    return f"{SIGNATURE}您反映的事项已受理，查询码{case.query_code}，{_lookup_hint()}。"


def citizen_concluded(case: Case) -> str:
    return (
        f"{SIGNATURE}您反映的事项已办结，查询码{case.query_code}。工作人员将与您联系回访，"
        f"{_lookup_hint()}。"
    )


def _case_label(case: Case) -> str:
    return f"纠纷{case.number}（{mask_free_text(case.title)}）"


def staff_assigned(case: Case, *, to_unit: str = "") -> str:
    whom = f"贵单位（{to_unit}）" if to_unit else "您"
    return f"{_case_label(case)}已交办给{whom}，请按时见面调处。"


def leader_rejected(case: Case, actor: str) -> str:
    return f"{_case_label(case)}已由{actor}作出不予受理。"


def leader_concluded(case: Case, actor: str) -> str:
    return f"{_case_label(case)}已由{actor}化解办结（{case.get_outcome_display()}），待回访结案。"


def staff_team_member(case: Case, role: str) -> str:
    return f"您已加入{_case_label(case)}的跨区域专班（{role}），请查看工作方案。"


def staff_key_duty(case: Case, duty_label: str, due: str) -> str:
    return f"{_case_label(case)}已列为重点案件（一案三交），请您{duty_label}，时限{due}。"


def staff_plan_item(case: Case, measure: str, due: str) -> str:
    return f"{_case_label(case)}一案一策措施由您负责：{mask_free_text(measure)}，请于{due}前完成。"


def staff_card_issued(case: Case, grade: str, due: str, *, to_unit: str = "") -> str:
    whom = f"贵单位（{to_unit}）承办的" if to_unit else ""
    return f"{whom}{_case_label(case)}收到{grade}，请于{due}前书面回复。"


def staff_card_replied(case: Case, grade: str, actor: str) -> str:
    return f"您对{_case_label(case)}发出的{grade}已由{actor}书面回复，请审阅销号。"


def staff_card_closed(case: Case, grade: str, verdict: str) -> str:
    return f"{_case_label(case)}的{grade}已销号（{verdict}）。"


def approver_clock_request(case: Case, actor: str, what: str) -> str:
    return f"{_case_label(case)}：{actor}申请{what}，请审批。"


def requester_clock_decision(case: Case, actor: str, decision: str) -> str:
    return f"{_case_label(case)}：您的申请已由{actor}审批，{decision}。"


def staff_whistled(case: Case, unit: str, report_in_due: str, report_back_due: str) -> str:
    whom = f"贵单位（{unit}）" if unit else "您"
    return (
        f"{_case_label(case)}吹哨报到：请{whom}于{report_in_due}前报到，"
        f"{report_back_due}前反馈办理结果。"
    )


def staff_reminder(case: Case, what: str, due: str, *, on_duty: bool = False) -> str:
    duty = "【值班提醒】" if on_duty else ""
    return f"{duty}{_case_label(case)}的{what}将于{due}到期，请抓紧办理。"


def staff_overdue(case: Case, what: str, due: str, *, on_duty: bool = False) -> str:
    duty = "【值班提醒】" if on_duty else ""
    return f"{duty}{_case_label(case)}的{what}已超期（时限{due}），请立即办理。"


def staff_escalated(case: Case, what: str) -> str:
    return f"{_case_label(case)}超期未办，已{what}。"
