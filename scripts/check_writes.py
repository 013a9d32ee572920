"""Fail if a module other than a service writes to the database.

Writes belong in `services.py` (or a `services/` package), where they are permission-checked,
audited and transactional. Views, APIs, selectors and forms only call services.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "xiangzhen"
# `.update(` only after a call or a manager, so dict.update does not count.
WRITE = re.compile(
    r"\.(save|delete|bulk_create|bulk_update|update_or_create|get_or_create)\(|\.objects\.create\(|(\)|objects)\.update\("
)
# Shared write helpers that services call, each documented where it lives.
ALLOWED = {
    "core/audit.py",  # appends the audit entry for the calling service
    "core/states.py",  # the compare-and-set of a workflow transition, called by services
    "accounts/auth.py",  # stamps a token's last use while authenticating
    "core/attachments.py",  # stores a file for the calling service, inside its transaction
    "core/numbering.py",  # draws the next number for the calling service, inside its transaction
    "reporting/word.py",  # python-docx's document.save(buffer) writes a .docx into memory, not the database
    "training/documents.py",  # the same: a certificate's .docx written into memory
    "core/textsearch.py",  # the migration step giving indexes stored before title pieces their pieces
}


def is_service(rel: str) -> bool:
    parts = rel.split("/")
    return parts[-1] == "services.py" or "services" in parts[:-1] or parts[-1] == "demo.py"


def main() -> int:
    bad = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if (
            rel == "settings.py"
            or "/migrations/" in rel
            or "/tests/" in rel
            or "/management/" in rel
            or rel in ALLOWED
            or is_service(rel)
        ):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0]
            # A route decorator (`@router.delete(...)`) declares an endpoint; it writes nothing.
            if WRITE.search(code) and not code.lstrip().startswith("@"):
                bad.append(f"xiangzhen/{rel}:{number}: {line.strip()}")
    for line in bad:
        print(line)
    if bad:
        print(f"{len(bad)} database write(s) outside services: move them into the app's services.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
