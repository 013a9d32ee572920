"""Refresh the translation catalogs and compile them, without needing GNU gettext to compile.

Source strings are Simplified Chinese (the platform's default language); `locale/en` holds the
English catalog. When xgettext is installed, `makemessages` first adds new strings to the .po
files; the .mo files are then compiled with polib, so a machine with only Python can build them.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "xiangzhen" / "locale"


def main() -> int:
    if shutil.which("xgettext"):
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="xiangzhen.settings")
        for domain in ("django", "djangojs"):
            subprocess.run(  # noqa: S603 - fixed argv, our own manage.py
                [sys.executable, "manage.py", "makemessages", "-l", "en", "-d", domain, "--no-obsolete",
                 "--ignore=.venv/*", "--ignore=var/*", "--ignore=tests/*", "--ignore=bench/*", "--ignore=scripts/*",
                 "--ignore=xiangzhen/static/xiangzhen/vendor/*"],
                cwd=ROOT, env=env, check=True,
            )  # fmt: skip
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        catalog = polib.pofile(str(po_path))
        catalog.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"{po_path.relative_to(ROOT)}: {catalog.percent_translated()}% translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
