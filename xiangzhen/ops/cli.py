"""`xiangzhen`: the operator's command, a thin wrapper over manage.py.

    xiangzhen backup /var/backups/xiangzhen/2026-12-06
    xiangzhen restore /var/backups/xiangzhen/2026-12-06 --verify
    xiangzhen verify_backup DIR | migrate | publish_checkpoint | …   (any manage.py command)

Settings come from the environment exactly as for manage.py (DATABASE_URL, …).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiangzhen.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xiangzhen", *(sys.argv[1:] if argv is None else argv)])
