"""Article records for tests and for the authorization matrix."""

from typing import Any

from xiangzhen.accounts.tests.factories import staff
from xiangzhen.portal import services


def article_data(**overrides: Any) -> services.ArticleData:
    values: dict[str, Any] = {
        "kind": "notice", "title": "关于开展助学活动的通知", "summary": "请各社会组织报名",
        "body": "# 一、活动内容\n\n面向农村留守儿童开展课后辅导。\n第二行",
    }  # fmt: skip
    values.update(overrides)
    return services.ArticleData(**values)


def published_article(writer: Any, reviewer: Any, **overrides: Any) -> Any:
    article = services.create_article(actor=writer, data=article_data(**overrides))
    services.submit_article(actor=writer, article=article)
    return services.publish_article(actor=reviewer, article=article)


def matrix_world() -> dict[str, Any]:
    """An article written by 花垣县 civil affairs and published by 花垣县 rural revitalization."""
    writer = staff("civil_affairs", "433124000000", username="hy_mz_portal")
    reviewer = staff("rural_revitalization", "433124000000", username="hy_xc_portal")
    return {
        "article_id": published_article(writer, reviewer, title="矩阵文章").pk,
        "open_dataset": "demands",
        "open_format": "json",
    }
