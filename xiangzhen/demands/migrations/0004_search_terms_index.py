"""Full-text search over a province's demands answered from a GIN index on PostgreSQL (core.textsearch):
existing rows get their title pieces, then the index is built concurrently, so not atomic."""

from django.db import migrations

from xiangzhen.core.textsearch import search_terms_index


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("demands", "0003_region_status_covering_index")]

    operations = search_terms_index("demands", "demand")
