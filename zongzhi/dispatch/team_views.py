"""The case page's cross-area team panel (跨区域专班) and the POST endpoints behind its forms.

Each POST loads the case through `case_or_404` (404 outside the user's reach), calls one
service of dispatch.teams and redirects back to the case page; a refusal becomes a Chinese
message tagged with its form ("form-dispatch-team-<form>").
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.decorators.http import require_POST

from zongzhi.accounts.models import User
from zongzhi.cases.models import Case
from zongzhi.dispatch import teams
from zongzhi.dispatch.models.teams import TeamRole
from zongzhi.lib.forms import CleanInputMixin
from zongzhi.places.naming import short_paths
from zongzhi.workbench.case_actions import back_to_case, refusal_of
from zongzhi.workbench.forms import first_error, handler_label
from zongzhi.workbench.selectors import case_or_404

FORM_PREFIX = "dispatch-team-"
FORMS = ("create", "add-member", "remove-member", "plan", "part")
TARGET_DAYS = forms.IntegerField(
    required=False,
    min_value=1,
    max_value=teams.MAX_TARGET_DAYS,
    error_messages={
        "invalid": "目标时限须为工作日数",
        "min_value": f"目标时限须为1至{teams.MAX_TARGET_DAYS}个工作日",
        "max_value": f"目标时限须为1至{teams.MAX_TARGET_DAYS}个工作日",
    },
)


def _people() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        error_messages={"invalid_choice": teams.NOT_A_CANDIDATE},
    )


class CreateTeamForm(CleanInputMixin, forms.Form):
    leader = _people()
    members = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": teams.NOT_A_CANDIDATE,
            "invalid_pk_value": teams.NOT_A_CANDIDATE,
        },
    )
    plan = forms.CharField(required=False, max_length=4000)
    target_days = TARGET_DAYS

    def __init__(self, *args, case: Case, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = teams.candidates(case, actor)
        self.fields["members"].queryset = teams.candidates(case, actor)


class AddMemberForm(CleanInputMixin, forms.Form):
    user = _people()
    role = forms.ChoiceField(
        choices=[(r.value, r.label) for r in teams.MEMBER_ROLES],
        error_messages={
            "invalid_choice": "请选择副组长、成员或联络员",
            "required": "请选择副组长、成员或联络员",
        },
    )

    def __init__(self, *args, case: Case, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = teams.candidates(case, actor)


class RemoveMemberForm(CleanInputMixin, forms.Form):
    member = forms.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        error_messages={
            key: "所选成员不存在或已移出专班"
            for key in ("required", "invalid", "min_value", "max_value")
        },
    )
    reason = forms.CharField(required=False, max_length=2000)


class PlanForm(CleanInputMixin, forms.Form):
    plan = forms.CharField(required=False, max_length=4000)
    target_days = TARGET_DAYS


class PartForm(CleanInputMixin, forms.Form):
    note = forms.CharField(required=False, max_length=2000)


def _done(request, case: Case, form_name: str, error: str | None, success: str):
    return back_to_case(request, case, f"{FORM_PREFIX}{form_name}", error, success)


_run = refusal_of


@login_required
@require_POST
def create_team(request, pk: int):
    case = case_or_404(request.user, pk)
    form = CreateTeamForm(request.POST, case=case, actor=request.user)
    if not form.is_valid():
        return _done(request, case, "create", first_error(form), "")
    data = form.cleaned_data
    error = _run(
        lambda: teams.create_team(
            case,
            actor=request.user,
            leader=data["leader"],
            members=list(data["members"]),
            plan=data["plan"],
            target_days=data["target_days"],
        )
    )
    return _done(request, case, "create", error, "已组建跨区域专班")


@login_required
@require_POST
def add_member(request, pk: int):
    case = case_or_404(request.user, pk)
    form = AddMemberForm(request.POST, case=case, actor=request.user)
    if not form.is_valid():
        return _done(request, case, "add-member", first_error(form), "")
    data = form.cleaned_data
    error = _run(
        lambda: teams.add_member(case, actor=request.user, user=data["user"], role=data["role"])
    )
    return _done(request, case, "add-member", error, "已增加专班成员")


@login_required
@require_POST
def remove_member(request, pk: int):
    case = case_or_404(request.user, pk)
    form = RemoveMemberForm(request.POST)
    if not form.is_valid():
        return _done(request, case, "remove-member", first_error(form), "")
    data = form.cleaned_data
    error = _run(
        lambda: teams.remove_member(case, data["member"], actor=request.user, reason=data["reason"])
    )
    return _done(request, case, "remove-member", error, "已移出专班成员")


@login_required
@require_POST
def update_plan(request, pk: int):
    case = case_or_404(request.user, pk)
    form = PlanForm(request.POST)
    if not form.is_valid():
        return _done(request, case, "plan", first_error(form), "")
    data = form.cleaned_data
    error = _run(
        lambda: teams.update_plan(
            case, actor=request.user, plan=data["plan"], target_days=data["target_days"]
        )
    )
    return _done(request, case, "plan", error, "工作方案已保存")


@login_required
@require_POST
def team_part(request, pk: int):
    case = case_or_404(request.user, pk)
    form = PartForm(request.POST)
    if not form.is_valid():
        return _done(request, case, "part", first_error(form), "")
    error = _run(lambda: teams.record_team_part(case, request.user, form.cleaned_data["note"]))
    return _done(request, case, "part", error, "本方工作情况已提交")


def candidate_label(user: User, place_label: str) -> str:
    """ "郑正平（红塔区自然资源局）" or "杨兴祥（综治中心主任，凤凰街道）": whom a leader picks."""
    if user.unit_id:
        return f"{user.display_name or user.username}（{user.unit.name}）"
    return handler_label(user, place_label)


def member_rows(team, viewer: User) -> list[dict]:
    """The team's current members with their side named (places.naming, from the viewer)."""
    members = list(teams.active_members(team))
    places = [m.side_place for m in members] + [m.user.place for m in members if m.user.place_id]
    labels = short_paths(places, viewer.place)
    rows = []
    for member in members:
        side = labels[member.side_place.path]
        if member.side_unit_id:
            side = f"{member.side_unit.name}（{side}）"
        rows.append(
            {
                "member": member,
                "name": member.user.display_name or member.user.username,
                "role": member.get_role_display(),
                "side": side,
            }
        )
    return rows


def team_context(request, case: Case, form_errors: dict[str, list[str]]) -> dict:
    """What dispatch/_team.html needs: the team (members with their sides, plan, target) and
    the forms this user may use (with their errors)."""
    from zongzhi.clock import tracking

    user = request.user
    team = teams.team_of(case)
    can_manage = case.is_open and teams.may_manage_team(user, case)
    people = []
    if can_manage:
        found = list(teams.candidates(case, user))
        labels = short_paths([p.place for p in found], user.place)
        people = [(p.pk, candidate_label(p, labels[p.place.path])) for p in found]
    errors = {name.replace("-", "_"): form_errors.pop(FORM_PREFIX + name, []) for name in FORMS}
    context = {
        "team": team,
        "team_can_create": can_manage and team is None,
        "team_errors": errors,
        "team_people": people,
        "team_roles": [(r.value, r.label) for r in teams.MEMBER_ROLES],
        "team_max_days": teams.MAX_TARGET_DAYS,
    }
    if team is None:
        return context
    target_state = tracking.state_of(team.target) if team.target is not None else None
    context.update(
        {
            "team_members": member_rows(team, user),
            "team_can_manage": can_manage,
            "team_can_edit_plan": case.is_open and teams.may_edit_plan(user, case),
            "team_can_report": case.is_open and teams.is_active_member(case, user),
            "team_target_state": tracking.STATE_LABELS.get(target_state, ""),
            "team_target_late": target_state == tracking.DeadlineState.LATE,
            "team_leader_role": TeamRole.LEADER,
        }
    )
    return context


def home_teams_context(user, *, now) -> dict:
    """The home page's list of the user's current teams on open cases (_home_teams.html)."""
    from zongzhi.clock import tracking

    memberships = teams.home_teams(user)
    labels = short_paths(
        [m.team.case.place for m in memberships] + [m.side_place for m in memberships],
        user.place,
    )
    rows = []
    for member in memberships:
        side = labels[member.side_place.path]
        if member.side_unit_id:
            side = f"{member.side_unit.name}（{side}）"
        target = member.team.target
        rows.append(
            {
                "case": member.team.case,
                "place": labels[member.team.case.place.path],
                "role": member.get_role_display(),
                "side": side,
                "target": target,
                "late": target is not None
                and tracking.state_of(target, now) == tracking.DeadlineState.LATE,
            }
        )
    return {"team_memberships": rows}


urlpatterns = [
    path("cases/<int:pk>/team/create/", create_team, name="team_create"),
    path("cases/<int:pk>/team/members/add/", add_member, name="team_add_member"),
    path("cases/<int:pk>/team/members/remove/", remove_member, name="team_remove_member"),
    path("cases/<int:pk>/team/plan/", update_plan, name="team_plan"),
    path("cases/<int:pk>/team/part/", team_part, name="team_part"),
]
