"""Enumerations of the dispute case. Stored values are English; labels are the interface's."""

from django.db import models


class Status(models.TextChoices):
    """Where a case stands on the nine steps (会泽 9 步), plus the terminal states.

    督办 is one of the nine steps on paper but not a state: a supervision card (dispatch.cards)
    is issued on a case at whatever step it stands and never moves it."""

    VISIT = "visit", "走访"
    SCREEN = "screen", "排查"
    REPORT = "report", "上报待受理"
    ASSESS = "assess", "研判"
    ASSIGN = "assign", "交办"
    RESOLVE = "resolve", "化解"
    STABILISE = "stabilise", "稳控"
    FOLLOW_UP = "follow_up", "回访"
    CLOSED = "closed", "已结案"
    REJECTED = "rejected", "不予受理"


# The one rule of "open" (work in progress) against "ended": a case ends when it is closed
# after follow-up (结案) or rejected at intake (不予受理). Its clock stops, it shows no overdue
# milestone and it counts as ended everywhere (colours, counts, to-do lists, API, Open311).
ENDED_STATUSES = frozenset({Status.CLOSED, Status.REJECTED})
OPEN_STATUSES = frozenset(set(Status) - ENDED_STATUSES)


class Source(models.TextChoices):
    CITIZEN = "citizen", "群众自主上报"
    WINDOW = "window", "窗口登记"
    GRID = "grid", "网格员排查"
    HOTLINE_12345 = "hotline_12345", "12345热线"
    POLICE_110 = "police_110", "110非警务警情"
    PETITION = "petition", "信访"
    WEATHER_STATION = "weather_station", "民情气象站"
    PLATFORM = "platform", "其他平台"
    OPEN311 = "open311", "Open311接口"


# The channels through which staff register a case for somebody (the window, the API); the
# citizen's own channels (the H5 page, Open311) are intake's and carry their own checks.
STAFF_SOURCES = (
    Source.WINDOW,
    Source.GRID,
    Source.HOTLINE_12345,
    Source.POLICE_110,
    Source.PETITION,
    Source.WEATHER_STATION,
)


class RiskGrade(models.TextChoices):
    HIGH = "high", "高"
    MEDIUM = "medium", "中"
    LOW = "low", "低"


class Outcome(models.TextChoices):
    NONE = "", "—"
    RESOLVED = "resolved", "实质化解"
    UNRESOLVED = "unresolved", "办结未化解"
    REJECTED = "rejected", "不予受理"


class Colour(models.TextChoices):
    """The 红黄绿 light of a case (see deadlines.colour_expression)."""

    RED = "red", "红色（临期或超期）"
    YELLOW = "yellow", "黄色（办结未化解）"
    GREEN = "green", "绿色（实质化解）"
    NORMAL = "normal", "正常办理"
    # Not a light: a case rejected at intake has ended without being handled.
    REJECTED = "rejected", "不予受理"


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", "申请人"
    RESPONDENT = "respondent", "被申请人"
    OTHER = "other", "其他当事人"


class Milestone(models.TextChoices):
    """The four deadlines of 13715, each counted from the report."""

    ACCEPT = "accept", "受理"
    MEET = "meet", "见面"
    RESOLVE = "resolve", "化解"
    CLOSE = "close", "办结"
