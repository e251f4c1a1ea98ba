"""Pydantic pieces that put the JSON API's input through zongzhi.lib.cleaning.

Every input schema derives from InputSchema, whose one validator refuses text with control
characters in any field (nested lists and dicts too). Dates and page numbers use the
annotated types below, so that the API parses them exactly as the forms and Open311 do.
"""

from datetime import date
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BaseModel, BeforeValidator, ValidationInfo, field_validator

from zongzhi.lib import cleaning


def _clean_tree(value: Any) -> Any:
    if isinstance(value, str):
        return cleaning.clean_text(value)
    if isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _clean_tree(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _clean_tree(key)
            _clean_tree(item)
    return value


def _refuse_control_characters(value: Any) -> Any:
    try:
        return _clean_tree(value)
    except cleaning.InvalidInput as error:
        raise ValueError(error.message) from error


class CleanTextMixin:
    """Before any field is parsed, refuse control characters in its raw value."""

    @field_validator("*", mode="before")
    @classmethod
    def _clean_text(cls, value: Any, info: ValidationInfo) -> Any:
        return _refuse_control_characters(value)


class InputSchema(CleanTextMixin, Schema):
    """Base of the API's input shapes (bodies and query parameters)."""


class InputModel(CleanTextMixin, BaseModel):
    """The same for a plain pydantic model (a query of a public endpoint)."""


def _date(value: Any) -> Any:
    try:
        if isinstance(value, str):
            return cleaning.parse_date(value)
        if isinstance(value, date):
            return cleaning.check_date(value)
    except cleaning.InvalidInput as error:
        raise ValueError(error.message) from error
    raise ValueError("日期格式无效，应为 YYYY-MM-DD")


def bounded_int(minimum: int, maximum: int) -> Any:
    """An int type that takes ASCII digits only, within minimum…maximum (shown in OpenAPI)."""

    def parse(value: Any) -> Any:
        try:
            if isinstance(value, str):
                return cleaning.parse_int(value, minimum=minimum, maximum=maximum)
            if isinstance(value, int) and not isinstance(value, bool):
                return cleaning.check_int(value, minimum=minimum, maximum=maximum)
        except cleaning.InvalidInput as error:
            raise ValueError(error.message) from error
        raise ValueError("应为整数")

    return Annotated[int, BeforeValidator(parse), Field(ge=minimum, le=maximum)]


# An ISO date (ASCII digits) in cleaning's sane range.
CleanDate = Annotated[date, BeforeValidator(_date)]
MAX_PAGE = 100_000
PageNumber = bounded_int(1, MAX_PAGE)
PageSize = bounded_int(1, 200)
