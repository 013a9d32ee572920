"""Chinese full-text search that works the same on SQLite and PostgreSQL.

A record keeps a `search_index`: its text cut by jieba in search mode (every word and the
shorter words inside it), space-separated and padded with spaces. A query is cut into words and
every word must appear whole in the index, so "留守儿童" finds "农村留守儿童课后辅导" but "童课"
does not match across a word boundary. Results rank title hits first.
"""

import logging
import re
import threading
from functools import cache
from typing import Any

import jieba
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

# Words of the domain that jieba's general dictionary would split or miss.
DOMAIN_WORDS = [
    "留守儿童", "留守妇女", "留守老人", "困境儿童", "空巢老人", "特困人员", "低保对象", "残疾人",
    "脱贫人口", "监测对象", "易地搬迁", "以购代捐", "以买代帮", "消费帮扶", "结对帮扶", "乡村振兴",
    "课后辅导", "助学", "助老", "助残", "技能培训", "电商直播", "直播带货", "农产品", "人居环境",
    "宝贝小屋", "阅读小屋", "直播小屋", "医生小屋", "社会组织", "社工站", "志愿服务", "防止返贫",
]  # fmt: skip
_PUNCTUATION = re.compile(r"^[\W_]+$", re.UNICODE)
_lock = threading.Lock()


@cache
def _tokenizer() -> jieba.Tokenizer:
    with _lock:
        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        for word in DOMAIN_WORDS:
            tokenizer.add_word(word, freq=200000)
        return tokenizer


def _clean(words: Any) -> list[str]:
    return [w.strip().lower() for w in words if w.strip() and not _PUNCTUATION.match(w.strip())]


def index_text(*parts: str) -> str:
    """The search index for a record made of `parts` (title first, then the rest)."""
    words = _clean(_tokenizer().cut_for_search(" ".join(p for p in parts if p)))
    return " " + " ".join(dict.fromkeys(words)) + " "


def query_words(q: str) -> list[str]:
    return list(dict.fromkeys(_clean(_tokenizer().cut(q))))


def search(queryset: QuerySet[Any], q: str, *, title_field: str = "title") -> QuerySet[Any]:
    """Rows of `queryset` whose `search_index` holds every word of `q`, title hits first.

    The queryset's model needs a `search_index` text field kept by its services.
    """
    q = (q or "").strip()
    if not q:
        return queryset
    words = query_words(q)
    condition = Q(**{f"{title_field}__icontains": q})
    if words:
        every_word = Q()
        for word in words:
            every_word &= Q(search_index__contains=f" {word} ")
        condition |= every_word
    rank = Case(
        When(**{f"{title_field}__icontains": q}, then=Value(2)),
        When(Q(*[Q(**{f"{title_field}__icontains": w}) for w in words], _connector=Q.OR) if words else Q(pk__in=[]),
             then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )  # fmt: skip
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    return queryset.filter(condition).annotate(search_rank=rank).order_by("-search_rank", *ordering)
