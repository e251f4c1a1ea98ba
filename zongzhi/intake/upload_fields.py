"""A form field for several files from one input, each checked by cases.uploads."""

from django import forms

from zongzhi.cases.uploads import check_upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleUploadField(forms.FileField):
    """Up to `max_count` files of at most `max_bytes` each, of a real type (images, and PDF
    when `allow_pdf`); every refused file is named in the errors."""

    def __init__(self, *, max_count: int, max_bytes: int, allow_pdf: bool, accept: str, **kwargs):
        self.max_count, self.max_bytes, self.allow_pdf = max_count, max_bytes, allow_pdf
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        files = [super(MultipleUploadField, self).clean(item, initial) for item in items if item]
        if len(files) > self.max_count:
            raise forms.ValidationError(f"一次最多上传 {self.max_count} 个文件")
        errors = []
        for upload in files:
            try:
                check_upload(upload, max_bytes=self.max_bytes, allow_pdf=self.allow_pdf)
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return files
