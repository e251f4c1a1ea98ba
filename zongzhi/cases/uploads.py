"""Checks on files attached to a case: count, size and real type (never the browser's word).

Used by the window registration, the case page, the citizen page and the public API.
"""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

MB = 1024 * 1024
# Staff attach evidence (photos, scanned documents); citizens send photos only.
STAFF_MAX_BYTES = 10 * MB
STAFF_MAX_FILES = 10
STAFF_ACCEPT = ".jpg,.jpeg,.png,.webp,.pdf,image/jpeg,image/png,image/webp,application/pdf"

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
PDF_MAGIC = b"%PDF-"


def sniff_type(upload: UploadedFile) -> str | None:
    """The file's real type from its content: an image Pillow can verify, or a PDF."""
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head == PDF_MAGIC:
        return "application/pdf"
    try:
        with Image.open(upload) as image:
            image.verify()
            kind = IMAGE_FORMATS.get(image.format or "")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        kind = None
    upload.seek(0)
    return kind


def check_upload(upload: UploadedFile, *, max_bytes: int, allow_pdf: bool) -> UploadedFile:
    """Raise a ValidationError (in Chinese) unless the file is a real image (or PDF) that
    fits; on success its `content_type` is set to the sniffed type, which is what is stored."""
    name = upload.name or "附件"
    if upload.size == 0:
        raise ValidationError(f"文件“{name}”是空文件", code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            f"文件“{name}”大小为 {upload.size / MB:.1f} MB，超过 {max_bytes // MB} MB 的上限",
            code="file_too_large",
        )
    kind = sniff_type(upload)
    if kind is None or (kind == "application/pdf" and not allow_pdf):
        kinds = " JPG、PNG、WebP 图片" + ("或 PDF 文件" if allow_pdf else "")
        raise ValidationError(
            f"文件“{name}”不是有效的{kinds}，只能上传这几种格式", code="file_type"
        )
    upload.content_type = kind
    return upload


def check_uploads(
    uploads: list[UploadedFile], *, max_count: int, max_bytes: int, allow_pdf: bool
) -> list[UploadedFile]:
    """Validate a batch of uploads (see check_upload)."""
    if len(uploads) > max_count:
        raise ValidationError(f"最多上传{max_count}个文件", code="too_many_files")
    for upload in uploads:
        check_upload(upload, max_bytes=max_bytes, allow_pdf=allow_pdf)
    return uploads
