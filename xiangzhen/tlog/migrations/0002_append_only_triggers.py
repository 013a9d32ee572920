"""The log's tables refuse UPDATE and DELETE in the database itself, whatever the client."""

from django.db import migrations

TABLES = ["tlog_logentry", "tlog_subtreehash", "tlog_checkpoint", "tlog_cosignature"]

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION tlog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '透明日志只允许追加：拒绝对 % 执行 %', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION, params=None)
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION tlog_append_only()"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            for op in ("UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '透明日志只允许追加：拒绝对 {table} 执行 {op}'); END"
                )
    else:
        raise RuntimeError(f"no append-only triggers for database vendor {vendor!r}")


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS tlog_append_only()")


class Migration(migrations.Migration):
    dependencies = [("tlog", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
