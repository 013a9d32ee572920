import datetime

from django import forms
from django.utils import translation

from xiangzhen.core.forms import DateInput


class _Form(forms.Form):
    day = forms.DateField(widget=DateInput)


def test_date_input_writes_iso_dates_in_every_language():
    for language in ("zh-hans", "en"):
        with translation.override(language):
            html = str(_Form(initial={"day": datetime.date(2026, 11, 23)})["day"])
        assert 'type="date"' in html
        assert 'value="2026-11-23"' in html
