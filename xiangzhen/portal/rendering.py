"""Article bodies to HTML: a safe subset of Markdown, rendered by escaping everything first.

The `markdown` and `nh3` packages are not installed here, so the body is escaped as a whole and
only then given structure: blank lines separate paragraphs, single line breaks stay line breaks,
and a line starting with "# ", "## " or "### " becomes a heading. No HTML written by the author
ever reaches the page; images and files are attachments shown under the body.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

HEADING = re.compile(r"^(#{1,3})\s+(.+)$")


def render_body(body: str) -> SafeString:
    blocks = re.split(r"\n\s*\n", body.replace("\r\n", "\n").strip())
    parts: list[str] = []
    for block in blocks:
        if not block.strip():
            continue
        heading = HEADING.match(block.strip())
        if heading and "\n" not in block.strip():
            level = len(heading.group(1)) + 2
            parts.append(f"<h{level}>{escape(heading.group(2).strip())}</h{level}>")
            continue
        lines = [escape(line.strip()) for line in block.split("\n")]
        parts.append("<p>" + "<br>".join(lines) + "</p>")
    return mark_safe("\n".join(parts))  # noqa: S308 — every piece of text above went through escape()
