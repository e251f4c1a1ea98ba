import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from zongzhi.cases import uploads
from zongzhi.cases.models import CaseAttachment, CaseEvent
from zongzhi.workbench import forms

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, format="JPEG")
    return buffer.getvalue()


def upload(client, case, file):
    return client.post(
        reverse("workbench:case_attachment", args=[case.pk]), {"file": file}, follow=True
    )


def test_upload_png(world, login, east_case):
    response = upload(
        login(world.east.clerk), east_case, SimpleUploadedFile("现场照片.png", png_bytes())
    )
    assert "附件“现场照片.png”已上传" in response.content.decode()
    attachment = CaseAttachment.objects.get()
    assert attachment.content_type == "image/png"
    assert attachment.uploaded_by == world.east.clerk
    assert CaseEvent.objects.filter(case=east_case, kind="attachment_added").exists()
    assert "现场照片.png" in response.content.decode()


def test_upload_jpeg_and_pdf_whatever_the_browser_claims(world, login, east_case):
    client = login(world.east.clerk)
    upload(client, east_case, SimpleUploadedFile("a.jpg", jpeg_bytes(), "application/x-foo"))
    upload(client, east_case, SimpleUploadedFile("协议.pdf", PDF_BYTES, "text/plain"))
    types = sorted(CaseAttachment.objects.values_list("content_type", flat=True))
    assert types == ["application/pdf", "image/jpeg"]


def test_text_file_disguised_as_png_is_refused(world, login, east_case):
    response = upload(
        login(world.east.clerk),
        east_case,
        SimpleUploadedFile("photo.png", b"not an image at all", "image/png"),
    )
    errors = response.context["attachment_errors"]
    assert errors == [
        "文件“photo.png”不是有效的 JPG、PNG、WebP 图片或 PDF 文件，只能上传这几种格式"
    ]
    assert not CaseAttachment.objects.exists()


def test_truncated_png_is_refused(world, login, east_case):
    broken = png_bytes((64, 64))[:60]
    response = upload(
        login(world.east.clerk), east_case, SimpleUploadedFile("x.png", broken, "image/png")
    )
    assert len(response.context["attachment_errors"]) == 1
    assert not CaseAttachment.objects.exists()


def test_gif_is_refused(world, login, east_case):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="GIF")
    response = upload(
        login(world.east.clerk), east_case, SimpleUploadedFile("x.gif", buffer.getvalue())
    )
    assert "只能上传这几种格式" in response.context["attachment_errors"][0]


def test_file_over_ten_megabytes_is_refused(world, login, east_case, monkeypatch):
    monkeypatch.setattr(forms, "STAFF_MAX_BYTES", 1000)
    response = upload(
        login(world.east.clerk), east_case, SimpleUploadedFile("big.pdf", PDF_BYTES + b"x" * 1000)
    )
    assert "超过 0 MB 的上限" in response.context["attachment_errors"][0]
    assert not CaseAttachment.objects.exists()


def test_real_limit_is_ten_megabytes():
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024))
    try:
        uploads.check_upload(big, max_bytes=uploads.STAFF_MAX_BYTES, allow_pdf=True)
    except Exception as error:  # noqa: BLE001
        assert "超过 10 MB" in str(error)
    else:
        raise AssertionError("a file over 10 MB was accepted")
    ok = SimpleUploadedFile("ok.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024 - len(PDF_BYTES)))
    assert (
        uploads.check_upload(ok, max_bytes=uploads.STAFF_MAX_BYTES, allow_pdf=True).content_type
        == "application/pdf"
    )


def test_missing_and_empty_file_are_refused(world, login, east_case):
    client = login(world.east.clerk)
    response = client.post(
        reverse("workbench:case_attachment", args=[east_case.pk]), {}, follow=True
    )
    assert response.context["attachment_errors"] == ["请选择要上传的文件"]
    response = upload(client, east_case, SimpleUploadedFile("empty.pdf", b""))
    assert len(response.context["attachment_errors"]) == 1
    assert not CaseAttachment.objects.exists()


def test_download_is_scoped_to_the_case_area(world, login, east_case):
    client = login(world.east.clerk)
    upload(client, east_case, SimpleUploadedFile("协议.pdf", PDF_BYTES))
    attachment = CaseAttachment.objects.get()
    url = reverse("workbench:attachment_download", args=[east_case.pk, attachment.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert login(world.west.clerk).get(url).status_code == 404
