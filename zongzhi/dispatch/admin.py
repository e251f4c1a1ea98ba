"""Admin of dispatch: routing rules (with a 试运行 page to try a rule on a sample case before
switching it on), the read-only record of routing decisions, the 包保 table (editable) and
the key cases with their duties and plans (read-only: they change through the case page)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from zongzhi.cases.choices import RiskGrade, Source
from zongzhi.cases.models import Case
from zongzhi.dispatch import routing
from zongzhi.dispatch.models import (
    Coverage,
    Duty,
    JointCallSeat,
    KeyCase,
    PlanItem,
    RoutingDecision,
    RoutingRule,
    SubTask,
    UnitContacts,
)
from zongzhi.lib.forms import CleanInputMixin
from zongzhi.places.naming import short_path


class RoutingRuleForm(CleanInputMixin, forms.ModelForm):
    risks = forms.MultipleChoiceField(
        label="风险等级",
        choices=RiskGrade.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选表示不限",
    )
    sources = forms.MultipleChoiceField(
        label="来源渠道",
        choices=Source.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选表示不限",
    )

    class Meta:
        model = RoutingRule
        fields = [
            "name",
            "priority",
            "is_active",
            "description",
            "dispute_types",
            "risks",
            "min_people",
            "max_people",
            "place",
            "sources",
            "keywords",
            "target_level",
            "unit_kind",
            "department",
            "unit",
            "handler",
        ]
        widgets = {"dispute_types": forms.CheckboxSelectMultiple}

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_people"), cleaned.get("max_people")
        if low is not None and high is not None and low > high:
            self.add_error("max_people", "“涉及人数不多于”不能小于“涉及人数不少于”")
        if cleaned.get("unit") and (cleaned.get("unit_kind") or cleaned.get("department")):
            self.add_error("unit", "已指定具体单位时，请不要再填写单位类别或所属部门")
        return cleaned


class TryOutForm(CleanInputMixin, forms.Form):
    number = forms.CharField(label="样例纠纷的案件编号", max_length=32)


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    form = RoutingRuleForm
    list_display = ["name", "priority", "is_active", "target_level", "try_link"]
    list_editable = ["priority", "is_active"]
    list_filter = ["is_active", "target_level"]
    search_fields = ["name", "keywords", "description"]
    raw_id_fields = ["place", "unit", "handler"]
    fieldsets = [
        (None, {"fields": ["name", "priority", "is_active", "description"]}),
        (
            "条件（留空表示不限；全部符合才适用）",
            {
                "fields": [
                    "dispute_types",
                    "risks",
                    "min_people",
                    "max_people",
                    "place",
                    "sources",
                    "keywords",
                ]
            },
        ),
        ("分流结果", {"fields": ["target_level", "unit_kind", "department", "unit", "handler"]}),
    ]

    @admin.display(description="试运行")
    def try_link(self, rule: RoutingRule) -> str:
        url = reverse("admin:dispatch_routingrule_try", args=[rule.pk])
        return format_html('<a href="{}">试运行…</a>', url)

    def get_urls(self):
        try_out = path(
            "<int:object_id>/try/",
            self.admin_site.admin_view(self.try_view),
            name="dispatch_routingrule_try",
        )
        return [try_out, *super().get_urls()]

    def try_view(self, request, object_id: int):
        """试运行: the rule against a case the user may see, condition by condition, with
        its result; also which active rule would route that case today."""
        rule = get_object_or_404(RoutingRule, pk=object_id)
        if not self.has_view_permission(request, rule):
            raise PermissionDenied
        form = TryOutForm(request.GET or None)
        result = None
        if form.is_valid():
            number = form.cleaned_data["number"].strip()
            case = (
                Case.objects.visible_to(request.user)
                .select_related("place", "dispute_type")
                .filter(number=number)
                .first()
            )
            if case is None:
                form.add_error("number", "没有找到该编号的纠纷，或它不在您的管辖范围内")
            else:
                explanation = routing.explain(rule, case)
                outcome = routing.result_of(rule, case, explanation.reasons)
                current = routing.suggest(case)
                result = {
                    "case": case,
                    "place_label": short_path(case.place),
                    "explanation": explanation,
                    "outcome": outcome,
                    "outcome_label": short_path(outcome.place),
                    "current": current,
                }
        context = {
            **self.admin_site.each_context(request),
            "title": f"试运行：{rule.name}",
            "opts": self.model._meta,
            "original": rule,
            "form": form,
            "result": result,
        }
        return TemplateResponse(request, "admin/dispatch/routingrule/try.html", context)


@admin.register(RoutingDecision)
class RoutingDecisionAdmin(admin.ModelAdmin):
    list_display = ["case", "outcome", "rule_name", "chosen_place", "decided_by", "decided_at"]
    list_filter = ["outcome"]
    list_select_related = ["case", "chosen_place", "decided_by"]
    search_fields = ["case__number", "rule_name"]

    def get_queryset(self, request):
        visible = Case.objects.visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(case__in=visible)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CoverageForm(CleanInputMixin, forms.ModelForm):
    class Meta:
        model = Coverage
        fields = ["cadre", "title", "kind", "place", "label", "starts_on", "ends_on", "note"]


@admin.register(Coverage)
class CoverageAdmin(admin.ModelAdmin):
    """包保责任表: who covers which place, of which kind, for which period."""

    form = CoverageForm
    list_display = ["cadre", "title", "kind", "place", "label", "starts_on", "ends_on"]
    list_filter = ["kind", "ends_on"]
    list_select_related = ["cadre", "place"]
    search_fields = ["cadre__username", "cadre__display_name", "title", "place__name", "label"]
    raw_id_fields = ["cadre", "place"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DutyInline(ReadOnlyInline):
    model = Duty
    fields = ["role", "kind", "person", "title", "deadline", "done_at", "done_note"]
    readonly_fields = fields


@admin.register(KeyCase)
class KeyCaseAdmin(admin.ModelAdmin):
    list_display = ["case", "reason", "township", "handed_at", "missing"]
    list_filter = ["reason"]
    list_select_related = ["case", "township"]
    search_fields = ["case__number"]
    inlines = [DutyInline]


class UnitContactsForm(CleanInputMixin, forms.ModelForm):
    class Meta:
        model = UnitContacts
        fields = ["unit", "liaison", "leader"]


@admin.register(UnitContacts)
class UnitContactsAdmin(admin.ModelAdmin):
    """Each department's 综治专员 and 分管领导 (吹哨报到); model.clean checks both belong to
    the unit."""

    form = UnitContactsForm
    list_display = ["unit", "liaison", "leader", "updated_at"]
    list_select_related = ["unit", "unit__place", "liaison", "leader"]
    search_fields = ["unit__name", "liaison__display_name", "leader__display_name"]
    autocomplete_fields = ["unit", "liaison", "leader"]


@admin.register(JointCallSeat)
class JointCallSeatAdmin(admin.ModelAdmin):
    """The 多长联调 preset roster."""

    list_display = ["title", "office", "kind", "department", "name_contains", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(SubTask)
class SubTaskAdmin(admin.ModelAdmin):
    """吹哨报到 sub-tasks, read-only (they change through the case page and the API)."""

    list_display = ["case", "unit", "liaison", "whistled_at", "reported_in_at", "reported_back_at"]
    list_select_related = ["case", "unit", "liaison"]
    search_fields = ["case__number", "unit__name"]

    def get_queryset(self, request):
        visible = Case.objects.visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(case__in=visible)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PlanItem)
class PlanItemAdmin(KeyCaseAdmin):
    list_display = ["case", "measure", "person", "deadline", "done_at"]
    list_filter = []
    list_select_related = ["case", "person", "deadline"]
    inlines = []
