"""Django form pieces that put the pages' input through zongzhi.lib.cleaning."""

from django import forms
from django.core.exceptions import ValidationError

from zongzhi.lib import cleaning

CONTROL_SUMMARY = f"提交的内容{cleaning.CONTROL_MESSAGE}，请删除后重新提交"


def _unclean(value) -> bool:
    if isinstance(value, str):
        return cleaning.has_forbidden_characters(value)
    if isinstance(value, list | tuple):
        return any(_unclean(item) for item in value)
    return False


class CleanInputMixin:
    """Refuses control characters in any submitted field, with one Chinese message on top
    of the form (hidden fields included) and the field itself left out of cleaned_data.

    Put it first among the bases: `class ReportForm(CleanInputMixin, forms.Form)`.
    """

    def _clean_fields(self) -> None:
        unclean = [name for name in self.fields if _unclean(self[name].data)]
        super()._clean_fields()
        for name in unclean:
            # Replaces Django's own NUL message, and whatever a clean_<field> said.
            self._errors.pop(name, None)
            self.add_error(name, ValidationError(cleaning.CONTROL_MESSAGE, code="control"))
        if unclean:
            self.add_error(None, ValidationError(CONTROL_SUMMARY, code="control"))


class StrictDateField(forms.DateField):
    """A date as ISO YYYY-MM-DD in ASCII digits, within cleaning's sane range; a wrong
    format gets the field's own "invalid" message, a date out of range says the range."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, str):
            return super().to_python(value)
        try:
            return cleaning.parse_date(value)
        except cleaning.InvalidInput as error:
            message = error.message if error.code == "out_of_range" else None
            raise ValidationError(
                message or self.error_messages["invalid"], code="invalid"
            ) from error


class StrictIntegerField(forms.IntegerField):
    """An integer in ASCII digits only (Python's int() also takes "٣" and "３")."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not _ascii_integer(value.strip()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def _ascii_integer(text: str) -> bool:
    return cleaning.is_ascii_digits(text.removeprefix("-"))
