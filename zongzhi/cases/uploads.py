"""Checks on files attached to a case: size, count and real type (not the name or header)."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
PDF_MAGIC = b"%PDF-"


def sniff_type(upload: UploadedFile) -> str | None:
    """The file's real type from its content: an image Pillow can verify, or a PDF."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(PDF_MAGIC):
        return "application/pdf"
    try:
        with Image.open(upload) as image:
            image.verify()
            kind = IMAGE_FORMATS.get(image.format or "")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        kind = None
    upload.seek(0)
    return kind


def check_uploads(
    uploads: list[UploadedFile],
    *,
    max_count: int,
    max_bytes: int,
    allow_pdf: bool,
) -> list[UploadedFile]:
    """Validate a batch of uploads; raises ValidationError with a Chinese message."""
    if len(uploads) > max_count:
        raise ValidationError(f"最多上传{max_count}个文件", code="too_many_files")
    allowed = set(IMAGE_FORMATS.values()) | ({"application/pdf"} if allow_pdf else set())
    for upload in uploads:
        if upload.size > max_bytes:
            raise ValidationError(
                f"文件“{upload.name}”超过{max_bytes // (1024 * 1024)}MB", code="file_too_large"
            )
        kind = sniff_type(upload)
        if kind not in allowed:
            kinds = "JPG、PNG、WebP图片" + ("或PDF" if allow_pdf else "")
            raise ValidationError(f"文件“{upload.name}”不是有效的{kinds}", code="file_type")
        upload.content_type = kind
    return uploads
