from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from zongzhi.cases.models import Case
from zongzhi.places import services
from zongzhi.places.models import Place
from zongzhi.places.naming import label_places


class RecodeForm(forms.Form):
    code = forms.CharField(label="新的区划代码", max_length=20)
    parent_code = forms.CharField(
        label="上级的区划代码", max_length=20, required=False, help_text="留空表示没有上级"
    )

    def clean_parent_code(self) -> Place | None:
        code = self.cleaned_data["parent_code"].strip()
        if not code:
            return None
        parent = Place.objects.filter(code=code).first()
        if parent is None:
            raise forms.ValidationError(f"没有区划代码为 {code} 的地点")
        return parent


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent"]
    readonly_fields = ["path"]

    def get_readonly_fields(self, request, obj=None):
        # Code and parent are copied into the paths below and into cases: they change only
        # through the re-code page, which re-paths all of them (places.services).
        if obj is None:
            return self.readonly_fields
        return [*self.readonly_fields, "code", "parent", "recode_link"]

    @admin.display(description="调整区划代码或上级")
    def recode_link(self, obj: Place) -> str:
        url = reverse("admin:places_place_recode", args=[obj.pk])
        return format_html('<a href="{}">调整区划代码或上级…</a>', url)

    def get_urls(self):
        recode = path(
            "<int:object_id>/recode/",
            self.admin_site.admin_view(self.recode_view),
            name="places_place_recode",
        )
        return [recode, *super().get_urls()]

    def recode_view(self, request, object_id: int):
        place = get_object_or_404(Place, pk=object_id)
        if not self.has_change_permission(request, place):
            raise PermissionDenied
        initial = {"code": place.code, "parent_code": place.parent.code if place.parent else ""}
        form = RecodeForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                with transaction.atomic():
                    services.move(place, form.cleaned_data["parent_code"])
                    place = services.change_code(place, form.cleaned_data["code"])
            except services.PlaceChangeRefused as refused:
                form.add_error(None, str(refused))
            else:
                self.log_change(request, place, f"区划代码或上级调整为 {place.path}")
                self.message_user(request, f"已调整：{place.name} {place.path}", messages.SUCCESS)
                return redirect("admin:places_place_change", place.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"调整区划代码或上级：{place.name}",
            "opts": self.model._meta,
            "original": place,
            "form": form,
            "descendants": Place.objects.under(place, include_self=False).count(),
            "cases": Case.objects.filter(place_path__under=place.path).count(),
        }
        return TemplateResponse(request, "admin/places/place/recode.html", context)


class PlaceLabelChangeList(ChangeList):
    """A change list that names each row's place by its path (places.naming), one query."""

    place_attr = "place"

    def get_results(self, request):
        super().get_results(request)
        self.result_list = label_places(self.result_list, None, self.place_attr)


class PlaceLabelMixin:
    """For admins of models with a `place`: a 所属 column that tells same-named places apart."""

    def get_changelist(self, request, **kwargs):
        return PlaceLabelChangeList

    @admin.display(description="所属地点", ordering="place__path")
    def place_path_label(self, obj) -> str:
        if not getattr(obj, "place_id", None):
            return "-"
        return getattr(obj, "place_label", None) or str(obj.place)
