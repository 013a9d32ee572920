"""The in-process offer index answers exactly as the SQL path and follows audited writes; the text
corpus is counted by a background task after a publication and read by scoring."""

import pytest

from xiangzhen.offers import services as offer_services
from xiangzhen.organizations.tests.factories import OrganizationFactory
from xiangzhen.recommendations import index, scoring, text
from xiangzhen.recommendations.facts import Context
from xiangzhen.recommendations.models import TextCorpus
from xiangzhen.recommendations.tests.conftest import FENGHUANG, HUNAN, SHUANGLONG_TOWN, make_offer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_index():
    index.clear()
    yield
    index.clear()


def ranked(demand):
    return [(s.offer_id, round(s.total, 9), s.chips) for s in scoring.top_offers(demand, 10)]


def test_the_offer_index_answers_as_the_sql_path_and_follows_audited_writes(demand, settings, platform_admin):
    offers = [
        make_offer(organization=OrganizationFactory(rating="4A", rating_year=2024)),
        make_offer(regions=[SHUANGLONG_TOWN], title="乡镇儿童阅读陪伴"),
        make_offer(regions=[HUNAN], description="全省困境儿童助学"),
        make_offer(regions=[FENGHUANG]),  # does not cover the demand
        make_offer(nationwide=True, regions=[]),
    ]
    settings.RECOMMENDATION_OFFER_INDEX = False
    by_sql = ranked(demand)
    settings.RECOMMENDATION_OFFER_INDEX = True
    assert ranked(demand) == by_sql
    assert len(by_sql) == 4

    offer_services.close_offer(actor=platform_admin, offer=offers[0], reason="名额已满")
    closed = ranked(demand)
    settings.RECOMMENDATION_OFFER_INDEX = False
    assert closed == ranked(demand)
    assert offers[0].pk not in [pk for pk, _, _ in closed]


def test_the_index_reads_one_audit_id_when_nothing_was_written(demand, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_offer()
    settings.RECOMMENDATION_OFFER_INDEX = True
    scoring.top_offers(demand)
    with CaptureQueriesContext(connection) as queries:
        scoring.top_offers(demand)
    assert not any('FROM "offers_offer"' in q["sql"] for q in queries.captured_queries)


def test_a_publication_rebuilds_the_corpus_in_the_background_and_scoring_reads_it(
    demand, settings, platform_admin, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    offer = make_offer(status="submitted")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        offer_services.publish_offer(actor=platform_admin, offer=offer)
    assert not TextCorpus.objects.exists(), "nothing is counted on the request path"
    for callback in callbacks:
        callback()
    stored = TextCorpus.objects.get()
    assert stored.documents == 2  # the published offer and the published demand
    assert stored.frequencies["留守儿童"] == 2
    text.clear()
    assert Context.load().corpus.identity == stored.pk
    assert text.corpus().idf("留守儿童") == pytest.approx(text.Corpus.of([["留守儿童"]] * 2).idf("留守儿童"))


def test_closing_an_offer_does_not_rebuild_the_corpus(
    demand, settings, platform_admin, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    offer = make_offer()
    with django_capture_on_commit_callbacks(execute=True):
        offer_services.close_offer(actor=platform_admin, offer=offer, reason="名额已满")
    assert not TextCorpus.objects.exists()
