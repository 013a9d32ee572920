"""Article bodies to HTML: Markdown written by staff, cleaned by an allow-list before it is shown.

Staff write headings, paragraphs, lists, emphasis, quotes, tables and links in Markdown (python-
markdown); the resulting HTML then passes nh3 (the Rust ammonia sanitizer), which keeps only the
tags and attributes below, only http(s) and mailto links, and never a script, a style or an event
handler — so the page's CSP and the visitors are safe whatever the author typed. Images and files
are attachments shown under the body.
"""

import re

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

TAGS = {
    "h3", "h4", "h5", "h6", "p", "br", "hr", "ul", "ol", "li", "strong", "em", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "a", "code", "pre",
}  # fmt: skip
HEADING = re.compile(r"<(/?)h([1-6])>")
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def render_body(body: str) -> SafeString:
    # Headings start at h3: the page's own title is h1 and its sections h2.
    html = markdown.markdown(body, extensions=["tables", "sane_lists"], output_format="html")
    html = HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 2, 6)}>", html)
    cleaned = nh3.clean(
        html, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto"}, link_rel="noopener nofollow"
    )
    return mark_safe(cleaned)  # noqa: S308 — nh3 kept only the allow-listed tags and attributes above
