"""Chinese full-text search that gives the same results on SQLite and PostgreSQL.

A record keeps a `search_index`: its text cut by jieba in search mode (every word and the
shorter words inside it), space-separated and padded with spaces. A record matches a query when
every word of the query appears whole in the index, so "留守儿童" finds "农村留守儿童课后辅导" but
"童课" does not match across a word boundary of the description, or when the whole query is part of
the title. Results rank title hits first.

On SQLite (a county's or a test's worth of data) both conditions are scans. So that PostgreSQL can answer
them from one GIN index over the index's terms at national size, the index also holds the title's
two-character pieces, marked with "~" (they are not words: `index_words` leaves them out). Every
word of the query must be among the terms; a title containing the query holds every piece of it,
which narrows the rows before `ILIKE` checks the title itself. A query of one character has no
piece, so its title check stays a scan of the rows the other filters leave.
"""

import logging
import re
import threading
from functools import cache
from typing import Any

import jieba
from django.contrib.postgres.fields import ArrayField
from django.db import connections, migrations
from django.db.models import Case, F, Func, IntegerField, Q, QuerySet, TextField, Value, When

# Words of the domain that jieba's general dictionary would split or miss.
DOMAIN_WORDS = [
    "留守儿童", "留守妇女", "留守老人", "困境儿童", "空巢老人", "特困人员", "低保对象", "残疾人",
    "脱贫人口", "监测对象", "易地搬迁", "以购代捐", "以买代帮", "消费帮扶", "结对帮扶", "乡村振兴",
    "课后辅导", "助学", "助老", "助残", "技能培训", "电商直播", "直播带货", "农产品", "人居环境",
    "宝贝小屋", "阅读小屋", "直播小屋", "医生小屋", "社会组织", "社工站", "志愿服务", "防止返贫",
]  # fmt: skip
TITLE_PIECE = "~"  # marks a title's two-character piece in an index (no word starts with it)
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
    return " " + " ".join([*dict.fromkeys(words), *title_pieces(parts[0] if parts else "")]) + " "


def index_words(search_index: str) -> list[str]:
    """The words of a stored index, without the title's pieces."""
    return [term for term in search_index.split() if not term.startswith(TITLE_PIECE)]


def title_pieces(title: str) -> list[str]:
    """The title's two-character pieces (none with a space), marked: a title containing a query
    holds every piece of the query."""
    t = title.lower()
    pieces = (t[i : i + 2] for i in range(len(t) - 1))
    return list(dict.fromkeys(TITLE_PIECE + piece for piece in pieces if not re.search(r"\s", piece)))


def query_words(q: str) -> list[str]:
    return list(dict.fromkeys(_clean(_tokenizer().cut(q))))


class SearchTerms(Func):
    """PostgreSQL: a stored index as an array of its terms (what the GIN index holds)."""

    template = "string_to_array(btrim(%(expressions)s), ' ')"
    output_field = ArrayField(TextField())


def search_terms_index(app_label: str, model_name: str) -> list[migrations.RunPython]:
    """The migration operations that give a model's stored indexes their title pieces (rows indexed
    before pieces existed; in batches, skipping rows that have them) and index the terms on
    PostgreSQL, built concurrently so that writes go on: the migration must not be atomic."""

    def add_pieces(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        rows = model.objects.exclude(search_index="").exclude(search_index__contains=f" {TITLE_PIECE}")
        batch = []
        for row in rows.only("pk", "title", "search_index").iterator(chunk_size=2000):
            row.search_index = " " + " ".join([*row.search_index.split(), *title_pieces(row.title)]) + " "
            batch.append(row)
            if len(batch) == 2000:
                model.objects.bulk_update(batch, ["search_index"])
                batch = []
        model.objects.bulk_update(batch, ["search_index"])

    table = f"{app_label}_{model_name}"

    def create_index(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {table}_search_terms ON {table} "
                "USING gin (string_to_array(btrim(search_index), ' '))"
            )

    def drop_index(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {table}_search_terms")

    return [
        migrations.RunPython(add_pieces, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]


def _matches(q: str, words: list[str], title_field: str, vendor: str) -> Q:
    in_title = Q(**{f"{title_field}__icontains": q})
    if vendor == "postgresql":
        if pieces := title_pieces(q):
            in_title &= Q(search_terms__contains=pieces)
        every_word = Q(search_terms__contains=words)
    else:
        every_word = Q(*[Q(search_index__contains=f" {word} ") for word in words])
    return in_title | every_word if words else in_title


def search(queryset: QuerySet[Any], q: str, *, title_field: str = "title") -> QuerySet[Any]:
    """Rows of `queryset` whose `search_index` holds every word of `q` or whose title contains `q`,
    title hits first.

    The queryset's model needs a `search_index` text field kept by its services (`index_text` of
    its title first), and on PostgreSQL the index `search_terms_index` makes.
    """
    q = (q or "").strip()
    if not q:
        return queryset
    words = query_words(q)
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        queryset = queryset.alias(search_terms=SearchTerms(F("search_index")))
    condition = _matches(q, words, title_field, vendor)
    rank = Case(
        When(**{f"{title_field}__icontains": q}, then=Value(2)),
        When(Q(*[Q(**{f"{title_field}__icontains": w}) for w in words], _connector=Q.OR) if words else Q(pk__in=[]),
             then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )  # fmt: skip
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    return queryset.filter(condition).annotate(search_rank=rank).order_by("-search_rank", *ordering)
