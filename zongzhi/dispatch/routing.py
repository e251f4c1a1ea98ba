"""The routing engine (分流): which level should hold a case, and who should work it.

Pure reads: `suggest(case)` tries the active rules in order (priority, then id) and returns
the first match as a Suggestion with its reasons; `explain(rule, case)` says, condition by
condition, why a rule does or does not match (the admin's 试运行 page and the case page use
it). Rules are loaded once (`active_rules`) with everything their conditions need, so one
case costs the same few queries however many rules there are; callers that evaluate several
cases pass the loaded list in. Accepting or overriding a suggestion is in
`dispatch.routing_services`.
"""

import re
from dataclasses import dataclass, field

from zongzhi.accounts.models import Unit, User
from zongzhi.cases.choices import RiskGrade, Source
from zongzhi.cases.models import Case
from zongzhi.dispatch import eligibility
from zongzhi.dispatch.centres import centre_at_level, nearest_centre
from zongzhi.dispatch.models import RoutingRule
from zongzhi.places.models import Level, Place

KEYWORD_SEPARATORS = re.compile(r"[\s,，、;；]+")


def split_keywords(text: str) -> list[str]:
    """The words of a rule's keyword field (separated by spaces, commas, 、 or new lines)."""
    return [word for word in KEYWORD_SEPARATORS.split(text or "") if word]


@dataclass(frozen=True)
class Check:
    """One condition of a rule against one case: its name, whether it held, and why."""

    label: str
    passed: bool
    detail: str


@dataclass
class Explanation:
    rule: RoutingRule
    checks: list[Check]

    @property
    def matches(self) -> bool:
        return all(check.passed for check in self.checks)

    @property
    def reasons(self) -> list[str]:
        """The conditions that made the rule match, in words (empty ones left out)."""
        return [check.detail for check in self.checks if check.passed]


@dataclass
class Suggestion:
    """Where a rule sends a case: the centre (the case's own ancestor at the rule's level),
    and optionally a unit and a handler who may be given it."""

    rule: RoutingRule
    place: Place
    reasons: list[str]
    unit: Unit | None = None
    handler: User | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def level(self) -> Level:
        return Level(self.place.level)


def active_rules() -> list[RoutingRule]:
    """The switched-on rules in evaluation order, with what their conditions read."""
    return list(
        RoutingRule.objects.filter(is_active=True)
        .select_related("place", "unit", "unit__place", "handler")
        .prefetch_related("dispute_types")
        .order_by("priority", "id")
    )


def _unless(ok: bool, text: str) -> str:
    return "" if ok else text


def _labels(values, choices) -> str:
    names = dict(choices)
    return "、".join(str(names.get(value, value)) for value in values)


def explain(rule: RoutingRule, case: Case) -> Explanation:
    """Every non-empty condition of `rule` checked against `case`, with a Chinese detail.

    A rule without conditions matches every case (a catch-all) and says so."""
    checks: list[Check] = []
    types = list(rule.dispute_types.all())
    if types:
        ok = case.dispute_type_id in {t.pk for t in types}
        names = "、".join(t.name for t in types)
        checks.append(
            Check(
                "纠纷类型",
                ok,
                f"纠纷类型为“{case.dispute_type.name}”" + _unless(ok, f"，不属于{names}"),
            )
        )
    if rule.risks:
        ok = case.risk in rule.risks
        wanted = _labels(rule.risks, RiskGrade.choices)
        checks.append(
            Check(
                "风险等级",
                ok,
                f"风险等级为{case.get_risk_display()}" + _unless(ok, f"，不属于{wanted}"),
            )
        )
    if rule.min_people is not None:
        ok = case.people_count >= rule.min_people
        checks.append(
            Check(
                "涉及人数",
                ok,
                f"涉及{case.people_count}人，{'达到' if ok else '不足'}{rule.min_people}人",
            )
        )
    if rule.max_people is not None:
        ok = case.people_count <= rule.max_people
        checks.append(
            Check(
                "涉及人数",
                ok,
                f"涉及{case.people_count}人，{'未超过' if ok else '超过'}{rule.max_people}人",
            )
        )
    if rule.place_id is not None:
        ok = case.place_path.startswith(rule.place.path)
        checks.append(
            Check("地域范围", ok, f"发生地{'在' if ok else '不在'}{rule.place.name}范围内")
        )
    if rule.sources:
        ok = case.source in rule.sources
        wanted = _labels(rule.sources, Source.choices)
        checks.append(
            Check(
                "来源渠道",
                ok,
                f"来源为{case.get_source_display()}" + _unless(ok, f"，不属于{wanted}"),
            )
        )
    words = split_keywords(rule.keywords)
    if words:
        text = f"{case.title}\n{case.description}"
        found = [word for word in words if word in text]
        detail = f"事由或详情含“{'、'.join(found)}”" if found else "事由和详情不含所列关键词"
        checks.append(Check("关键词", bool(found), detail))
    if not checks:
        checks.append(Check("条件", True, "本规则没有条件，适用于所有纠纷"))
    return Explanation(rule, checks)


def target_centre(case: Case, level: Level) -> Place:
    """The centre at `level` that should hold `case`: the case's own ancestor at that level,
    or, when its place lies above that level (a county-level dispute sent "to the village"),
    the case's own nearest centre."""
    return centre_at_level(case.place, Level(level)) or nearest_centre(case.place)


def result_of(rule: RoutingRule, case: Case, reasons: list[str]) -> Suggestion:
    """The rule's result for `case`: the centre, and the unit and handler when the one
    eligibility rule lets them take the case (otherwise left out, with a note why)."""
    place = target_centre(case, rule.target_level)
    suggestion = Suggestion(rule=rule, place=place, reasons=reasons)
    if rule.unit_id is not None:
        if eligibility.may_take_unit(case, rule.unit):
            suggestion.unit = rule.unit
        else:
            suggestion.notes.append(f"规则指定的单位“{rule.unit.name}”不能承办此纠纷，未予建议")
    elif rule.unit_kind or rule.department:
        units = eligibility.assignable_units(case).filter(place=place)
        if rule.unit_kind:
            units = units.filter(kind=rule.unit_kind)
        if rule.department:
            units = units.filter(department=rule.department)
        suggestion.unit = units.order_by("name", "id").first()
        if suggestion.unit is None:
            suggestion.notes.append(f"{place.name}没有符合规则的在岗单位，未建议承办单位")
    if rule.handler_id is not None:
        if eligibility.may_take_person(case, rule.handler):
            suggestion.handler = rule.handler
        else:
            suggestion.notes.append("规则指定的承办人不能承办此纠纷，未予建议")
    return suggestion


def suggest(case: Case, rules: list[RoutingRule] | None = None) -> Suggestion | None:
    """The first rule (in order) that matches `case`, as a Suggestion; None when none does.

    `rules` are the active rules already loaded (see active_rules); loaded when None."""
    for rule in active_rules() if rules is None else rules:
        explanation = explain(rule, case)
        if explanation.matches:
            return result_of(rule, case, explanation.reasons)
    return None
