from xiangzhen.core.textsearch import index_text, index_words, query_words


def test_domain_words_stay_whole():
    assert "留守儿童" in query_words("留守儿童")
    assert " 留守儿童 " in index_text("农村留守儿童课后辅导")


def test_index_holds_shorter_words_inside_longer_ones():
    index = index_text("十八洞村猕猴桃产业技术培训")
    assert " 猕猴桃 " in index and " 培训 " in index


def test_index_holds_the_title_pieces_apart_from_the_words():
    index = index_text("义诊进村", "量血压")
    assert " ~义诊 " in index and " ~诊进 " in index and " ~进村 " in index and "~血压" not in index
    assert index_words(index) == [w for w in index.split() if not w.startswith("~")]
    assert "义诊" in index_words(index) and "血压" in index_words(index)


def test_punctuation_is_not_a_word():
    assert query_words("助学，助老！") == ["助学", "助老"]


# ---------------------------------------------------------------- search over records, both databases

import pytest  # noqa: E402
from django.apps import apps  # noqa: E402
from django.db import connection  # noqa: E402

from xiangzhen.core.textsearch import search, search_terms_index, title_pieces  # noqa: E402
from xiangzhen.demands.models import Demand  # noqa: E402
from xiangzhen.demands.tests.factories import DemandFactory  # noqa: E402

pytestmark = pytest.mark.django_db


TUTORING, CLINIC, LATIN, GOATS = "农村留守儿童课后辅导", "义诊进村", "AI 助农 Live 直播", "养羊技术培训"


@pytest.fixture
def demands():
    DemandFactory(title=TUTORING, description="每周三次")
    DemandFactory(title=CLINIC, description="为留守老人量血压")
    DemandFactory(title=LATIN, description="电商")
    DemandFactory(title=GOATS, description="黑山羊")


def found(q: str) -> set[str]:
    return set(search(Demand.objects.all(), q).values_list("title", flat=True))


def test_every_word_must_be_in_the_title_or_description(demands):
    assert found("留守") == {TUTORING, CLINIC}
    assert found("留守 老人") == {CLINIC}
    assert found("留守儿童 血压") == set()


def test_a_piece_of_the_title_matches_across_word_boundaries_but_not_of_the_description(demands):
    assert found("童课") == {TUTORING}
    assert found("压") == set()  # in the description only, and not a word of it
    assert found("羊技") == {GOATS}


def test_one_character_and_latin_queries_ignore_case_and_spaces(demands):
    assert found("羊") == {GOATS}
    assert found("live 直播") == {LATIN}
    assert found("ai 助农") == {LATIN}


def test_title_hits_rank_first(demands):
    ranked = list(search(Demand.objects.all(), "留守").values_list("title", flat=True))
    assert ranked[0] == TUTORING


def test_title_pieces_skip_whitespace():
    assert title_pieces("Ai 助农") == ["~ai", "~助农"]
    assert title_pieces("羊") == []


def test_the_migration_gives_rows_indexed_before_pieces_their_pieces(demands):
    old = Demand.objects.get(title=TUTORING)
    Demand.objects.filter(pk=old.pk).update(search_index=" " + " ".join(index_words(old.search_index)) + " ")
    if connection.vendor == "postgresql":  # SQLite scans the titles themselves, pieces or not
        assert found("童课") == set()
    add_pieces = search_terms_index("demands", "demand")[0]
    add_pieces.code(apps, None)
    add_pieces.code(apps, None)  # a second run finds nothing left to do
    assert Demand.objects.get(pk=old.pk).search_index == index_text(TUTORING, "每周三次")
    assert found("童课") == {TUTORING}


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the GIN index is PostgreSQL's")
def test_postgresql_answers_from_the_search_terms_index(demands):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        sql, params = search(Demand.objects.all(), "留守儿童 课后").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "demands_demand_search_terms" in plan
