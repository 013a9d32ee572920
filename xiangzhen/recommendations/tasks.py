"""Background tasks of recommendations (django-tasks; a deployment runs `manage.py db_worker`).

Publishing an offer or a demand changes the corpus whose document frequencies weigh text
similarity. Counting them reads both tables, so it is done here, after the publication commits,
never on the request path: the publish services of offers and demands call
`schedule_corpus_rebuild` explicitly.
"""

from django.db import transaction
from django_tasks import task


@task()
def rebuild_text_corpus() -> dict[str, int]:
    # Imported here: the publish services import this module, and recommendations' services import theirs.
    from xiangzhen.recommendations import services

    row = services.rebuild_text_corpus()
    return {"corpus": row.pk, "documents": row.documents, "words": len(row.frequencies)}


def schedule_corpus_rebuild() -> None:
    """Enqueue a recount once the current transaction commits (nothing if it rolls back)."""
    transaction.on_commit(lambda: rebuild_text_corpus.enqueue(), robust=True)
