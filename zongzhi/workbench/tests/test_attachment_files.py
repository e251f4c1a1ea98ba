"""Attachments leave only through the area-checked view; their files follow the transaction."""

import importlib
import os
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import clear_url_caches, re_path, reverse
from django.views.static import serve

from zongzhi.api.tests.test_public import REPORTS, report
from zongzhi.cases import checks, files
from zongzhi.cases import services as case_services
from zongzhi.cases.models import Case, CaseAttachment
from zongzhi.intake.models import SubmissionReceipt
from zongzhi.workbench.tests.test_attachments import PDF_BYTES, png_bytes, upload

# A URLconf that serves the media folder the way `static()` did under DEBUG.
urlpatterns = [re_path(r"^media/(?P<path>.*)$", serve)]


def disk_files(settings) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs the block's on-commit callbacks at its end, as a commit
    would (the test's own transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def debug_urls(settings):
    settings.DEBUG = True
    import zongzhi.urls

    importlib.reload(zongzhi.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(zongzhi.urls)
    clear_url_caches()


def test_no_media_route_serves_an_attachment_even_in_debug(
    world, login, east_case, client, settings, debug_urls
):
    upload(login(world.east.clerk), east_case, SimpleUploadedFile("照片.png", png_bytes()))
    attachment = CaseAttachment.objects.get()
    assert files.promote(attachment.file.name)
    media_url = "/" + settings.MEDIA_URL.lstrip("/") + attachment.file.name
    assert client.get(media_url).status_code == 404  # the uploader, logged in
    client.logout()
    assert client.get(media_url).status_code == 404
    assert login(world.west.clerk).get(media_url).status_code == 404


def test_file_is_moved_into_place_on_commit_under_a_random_name(
    world, login, east_case, settings, committed
):
    with committed():
        upload(
            login(world.east.clerk), east_case, SimpleUploadedFile("张三身份证.png", png_bytes())
        )
    attachment = CaseAttachment.objects.get()
    assert disk_files(settings) == [attachment.file.name]
    assert attachment.file.name.startswith(f"cases/{east_case.county.code}/{east_case.pk}/")
    assert "张三" not in attachment.file.name and attachment.file.name.endswith(".png")
    assert attachment.original_name == "张三身份证.png"


def test_a_failure_after_the_file_is_written_leaves_no_file(
    world, login, east_case, settings, monkeypatch, committed
):
    real = case_services.record_event

    def crash_on_attachment(case, kind, **kwargs):
        if kind == "attachment_added":
            raise RuntimeError("database gone")
        return real(case, kind, **kwargs)

    monkeypatch.setattr(case_services, "record_event", crash_on_attachment)
    client = login(world.east.clerk)
    client.raise_request_exception = False
    with committed():
        response = client.post(
            reverse("workbench:case_attachment", args=[east_case.pk]),
            {"file": SimpleUploadedFile("现场.png", png_bytes())},
        )
    assert response.status_code == 500
    assert not CaseAttachment.objects.exists()
    assert disk_files(settings) == []


@pytest.mark.parametrize("crash_in", ["receipt", "numbering"])
def test_a_crashed_citizen_submission_leaves_no_photo(
    world, client, settings, monkeypatch, committed, crash_in
):
    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    if crash_in == "receipt":  # after register_case returned, in the submission's transaction
        monkeypatch.setattr(SubmissionReceipt.objects, "create", explode)
    else:  # inside register_case, after the photos were written
        monkeypatch.setattr(case_services, "next_case_number", explode)
    client.raise_request_exception = False
    photos = [SimpleUploadedFile(f"p{n}.png", png_bytes(), "image/png") for n in range(2)]
    with committed():
        response = client.post(
            REPORTS, {**report(world), "photos": photos}, HTTP_IDEMPOTENCY_KEY="k"
        )
    assert response.status_code == 500
    assert Case.objects.count() == 0
    assert disk_files(settings) == []


def test_settle_finishes_what_a_killed_process_left(world, east_case, settings):
    # Killed after commit, before the move: the row exists, the file is still staged.
    kept = files.final_name(east_case, "image/png")
    files.stage(SimpleUploadedFile("a.png", png_bytes()), kept)
    CaseAttachment.objects.create(
        case=east_case, file=kept, original_name="a.png", content_type="image/png",
        size=1, sha256="0" * 64,
    )  # fmt: skip
    # Killed before commit: a staged file without a row.
    orphan = files.final_name(east_case, "image/png")
    files.stage(SimpleUploadedFile("b.png", png_bytes()), orphan)
    # A submission still running: too young to judge.
    young = files.final_name(east_case, "image/png")
    files.stage(SimpleUploadedFile("c.png", png_bytes()), young)
    old = time.time() - files.STALE_SECONDS - 60
    for name in (kept, orphan):
        os.utime(Path(settings.MEDIA_ROOT) / files.staging_name(name), (old, old))

    assert files.settle_staged() == {"promoted": 1, "deleted": 1}
    assert disk_files(settings) == sorted([kept, files.staging_name(young)])


def test_download_moves_a_committed_but_staged_file_into_place(world, login, east_case):
    client = login(world.east.clerk)
    upload(client, east_case, SimpleUploadedFile("协议.pdf", PDF_BYTES))  # on_commit not run
    attachment = CaseAttachment.objects.get()
    url = reverse("workbench:attachment_download", args=[east_case.pk, attachment.pk])
    response = client.get(url)
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_download_headers(world, login, east_case, committed):
    client = login(world.east.clerk)
    with committed():
        upload(client, east_case, SimpleUploadedFile("协议.pdf", PDF_BYTES))
        upload(client, east_case, SimpleUploadedFile("现场.png", png_bytes()))
    pdf, png = CaseAttachment.objects.order_by("id")
    for attachment, disposition in ((pdf, "attachment"), (png, "inline")):
        url = reverse("workbench:attachment_download", args=[east_case.pk, attachment.pk])
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith(disposition)
        assert "filename*=utf-8''" in response["Content-Disposition"]
        assert b"".join(response.streaming_content)


def test_download_of_a_missing_file_is_a_404(world, login, east_case, committed):
    client = login(world.east.clerk)
    with committed():
        upload(client, east_case, SimpleUploadedFile("现场.png", png_bytes()))
    attachment = CaseAttachment.objects.get()
    Path(attachment.file.path).unlink()
    url = reverse("workbench:attachment_download", args=[east_case.pk, attachment.pk])
    assert client.get(url).status_code == 404


def test_check_refuses_a_media_root_inside_static_files(settings):
    settings.MEDIA_ROOT = Path(settings.STATIC_ROOT) / "uploads"
    assert [e.id for e in checks.media_root_is_not_served_as_static()] == ["zongzhi.E001"]
    settings.MEDIA_ROOT = Path(settings.STATICFILES_DIRS[0])
    assert [e.id for e in checks.media_root_is_not_served_as_static()] == ["zongzhi.E001"]
    settings.MEDIA_ROOT = Path(settings.STATIC_ROOT).parent / "media"
    assert checks.media_root_is_not_served_as_static() == []


def test_check_refuses_a_routed_media_url(settings):
    assert checks.media_url_is_not_routed() == []
    settings.ROOT_URLCONF = __name__
    clear_url_caches()
    try:
        assert [e.id for e in checks.media_url_is_not_routed()] == ["zongzhi.E002"]
    finally:
        clear_url_caches()
