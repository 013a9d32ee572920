"""Form pieces every app's pages share."""

from typing import Any

from django import forms

from xiangzhen.core.errors import ValidationFailed


class DateInput(forms.DateInput):
    """A browser date picker. It only accepts ISO dates (2026-11-23), whatever the page's language,
    so the value is always written in that format; Django's Chinese format (2026/11/23) would leave
    the picker empty and a pre-filled date would be lost on save."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__(attrs, format="%Y-%m-%d")


class ServiceErrorsMixin:
    """Put a service's field errors next to the matching inputs, the rest at the top.

    `FIELD_ALIASES` maps a service's field name to the form's where they differ.
    """

    FIELD_ALIASES: dict[str, str] = {}

    def add_service_error(self, exc: ValidationFailed) -> None:
        form: Any = self
        if not exc.errors:
            form.add_error(None, exc.message)
        for error in exc.errors:
            name = self.FIELD_ALIASES.get(error.field, error.field)
            form.add_error(name if name in form.fields else None, error.message)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by `core.attachments.attach` in the service."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.webp,.pdf,.doc,.docx,.xls,.xlsx"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ReasonForm(ServiceErrorsMixin, forms.Form):
    """A workflow step on a review page: the reason (the service decides whether it is required)
    and the version the reviewer saw."""

    reason = forms.CharField(label="原因", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ImportForm(forms.Form):
    """The upload of an Excel import (demands, organizations)."""

    file = forms.FileField(label="Excel 文件（.xlsx）", help_text="请使用下载的模板填写，第 1 个工作表为数据")
