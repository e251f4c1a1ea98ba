"""The admin speaks Chinese: model names, app names, field labels and list columns."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from zongzhi.accounts.models import Role
from zongzhi.cases.models import Party
from zongzhi.privacy.access import reveal
from zongzhi.testing.factories import UserFactory, make_case

CJK = re.compile(r"[\u4e00-\u9fff]")
REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTERED, ids=[m._meta.label for m, _ in REGISTERED]
)
def test_every_admin_model_field_and_column_is_named_in_chinese(model, model_admin):
    meta = model._meta
    with translation.override("zh-hans"):
        names = [meta.verbose_name, meta.verbose_name_plural, meta.app_config.verbose_name]
        names += [
            field.verbose_name
            for field in meta.get_fields()
            if field.concrete and not field.primary_key
        ]
        names += [
            label_for_field(column, model, model_admin)
            for column in model_admin.get_list_display(None)
            if column != "__str__"
        ]
        english = [str(name) for name in names if not CJK.search(str(name))]
    assert english == []


@pytest.fixture
def admin_client_zh(client, world):
    user = UserFactory(
        username="root", role=Role.ADMINISTRATOR, place=world.city, is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return client, user


def test_personal_data_log_reads_in_chinese(world, admin_client_zh):
    client, user = admin_client_zh
    case = make_case(world.east.village, world.east.clerk)
    party = case.parties.first()
    reveal(user, party, ["name", "phone"], place_path=case.place_path, ip_address="10.0.0.1")
    html = client.get(reverse("admin:privacy_personaldataaccess_changelist")).content.decode()
    for header in ("查看人", "对象类型", "查看字段", "IP 地址"):
        assert header in html
    assert "姓名、联系电话" in html
    assert str(Party._meta.verbose_name) in html
    assert "name,phone" not in html


def test_task_results_admin_reads_in_chinese(admin_client_zh):
    client, _ = admin_client_zh
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="zongzhi.jobs.tasks.housekeeping",
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )
    text = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).content
    text = text.decode()
    for label in ("后台任务记录", "任务队列", "任务", "状态", "入队时间", "优先级"):
        assert label in text
    assert "Task name" not in text and "Enqueued at" not in text
    detail = reverse("admin:django_tasks_database_dbtaskresult_change", args=[task.pk])
    text = client.get(detail).content.decode()
    assert "错误堆栈" in text and "最早执行时间" in text and "Traceback" not in text


def test_user_list_names_places_so_they_can_be_told_apart(world, admin_client_zh):
    client, _ = admin_client_zh
    html = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "红塔区·玉兴街道·玉兴街道一村·第一网格" in html
    assert "红塔区·凤凰街道·凤凰街道一村·第一网格" in html


def test_empty_choice_is_chinese(admin_client_zh):
    client, _ = admin_client_zh
    html = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "Select an option" not in html
    assert "- 请选择 -" in html
