"""The in-process offer index answers exactly as the SQL path and follows audited writes; the text
corpus is counted by a background task after a publication and read by scoring."""

from dataclasses import replace

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


def _latest_audit_id():
    from xiangzhen.core.models import AuditEntry

    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_a_write_committed_below_the_mark_is_still_picked_up(demand, settings, platform_admin):
    """A slow transaction commits an audit id below one a faster transaction already committed."""
    offers = [make_offer(), make_offer(title="乡镇儿童阅读陪伴")]
    settings.RECOMMENDATION_OFFER_INDEX = True
    context = Context.load()
    built = index.build(context)
    offer_services.close_offer(actor=platform_admin, offer=offers[0], reason="名额已满")
    late = _latest_audit_id()
    # What the index saw before: the mark already past `late`, which was not visible yet.
    seen_before = replace(built, audit_mark=late + 1, gaps={late: 0.0})
    refreshed = index.refresh(seen_before, context, now=1.0)
    assert offers[0].pk not in refreshed.facts.ids.tolist()
    assert offers[1].pk in refreshed.facts.ids.tolist()
    assert refreshed.gaps == {}


def test_a_gap_that_never_fills_is_given_up_after_a_while(demand, settings):
    make_offer()
    context = Context.load()
    built = index.build(context)
    waiting = replace(built, gaps={10**9: 0.0})
    assert index.refresh(waiting, context, now=1.0).gaps == {10**9: 0.0}
    assert index.refresh(waiting, context, now=index.GAP_SECONDS + 1).gaps == {}


def test_missing_ids_below_the_new_mark_are_remembered(demand, settings, platform_admin):
    from xiangzhen.core import audit
    from xiangzhen.core.models import AuditEntry

    offer = make_offer()
    context = Context.load()
    built = index.build(context)
    audit.record(actor=platform_admin, action="offers.note", instance=offer)
    gone = _latest_audit_id()
    audit.record(actor=platform_admin, action="offers.note", instance=offer)
    AuditEntry.objects.filter(pk=gone).delete()  # as if still uncommitted, or rolled back
    gaps = index.refresh(built, context, now=5.0).gaps
    assert gone in gaps and gone + 1 not in gaps and len(gaps) <= index.MAX_GAPS


def test_an_index_read_inside_a_transaction_is_not_kept(demand, settings):
    from django.db import transaction

    make_offer()
    settings.RECOMMENDATION_OFFER_INDEX = True
    context = Context.load()
    with transaction.atomic():
        assert index.current(context) is not None
    assert index._current == []
    assert index.current(context) is index._current[0]
