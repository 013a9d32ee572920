from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def test_compiled_catalogs_match_their_sources():
    """`make messages` was run after the last .po edit: every .mo says what its .po says."""
    for po_path in LOCALE.glob("*/LC_MESSAGES/*.po"):
        source = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(po_path)).translated_entries()}
        compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(po_path.with_suffix(".mo")))}
        compiled.pop((None, ""), None)
        assert compiled == source, po_path


@pytest.mark.django_db
def test_pages_are_chinese_by_default(client):
    response = client.get("/accounts/login/")
    assert "用户名" in response.content.decode()
    assert response.headers["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_english_works_through_the_language_switch(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/").content.decode()
    assert "Username" in page
    assert "Log in" in page
