"""Page form for articles; the rules are in the services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiangzhen.core.forms import MultipleFileField, ServiceErrorsMixin
from xiangzhen.portal.models import Article
from xiangzhen.portal.services import ArticleData


class ArticleForm(ServiceErrorsMixin, forms.Form):
    FIELD_ALIASES = {"exemplary_case_id": "exemplary_case", "commendation_id": "commendation"}

    kind = forms.ChoiceField(label=_("类别"), choices=Article.Kind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    summary = forms.CharField(label=_("摘要"), max_length=300, required=False)
    body = forms.CharField(
        label=_("正文"), widget=forms.Textarea(attrs={"rows": 12}), max_length=50000,
        help_text=_("支持 Markdown：空行分段，# 小标题，- 列表，**加粗**，[文字](链接)；不支持 HTML。"),
    )  # fmt: skip
    exemplary_case = forms.IntegerField(label=_("关联典型案例（编号 ID，可选）"), required=False, min_value=1)
    commendation = forms.IntegerField(label=_("关联表彰（ID，可选）"), required=False, min_value=1)
    attachments = MultipleFileField(label=_("图片和附件（可多选，每个不超过 10MB）"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def initial_for(cls, article: Article) -> dict[str, Any]:
        return {
            "kind": article.kind, "title": article.title, "summary": article.summary, "body": article.body,
            "exemplary_case": article.exemplary_case_id, "commendation": article.commendation_id,
            "version": article.version,
        }  # fmt: skip

    def to_data(self) -> ArticleData:
        c = self.cleaned_data
        return ArticleData(
            kind=c["kind"], title=c["title"], summary=c["summary"], body=c["body"],
            exemplary_case_id=c.get("exemplary_case"), commendation_id=c.get("commendation"),
        )  # fmt: skip
