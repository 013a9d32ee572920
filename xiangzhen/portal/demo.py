"""Demo articles through the services: 湖南's 2022 policy, a plan, a notice, news with a photo, an
exemplary case and a commendation (linking the brands demo's records), all published by a second
department; and one notice still waiting for review. Called by `manage.py seed_demo`.

Idempotent: an article whose title exists is left as it is.
"""

import struct
import zlib
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from xiangzhen.accounts.models import User
from xiangzhen.brands.models import Commendation, ExemplaryCase
from xiangzhen.portal import services
from xiangzhen.portal.models import Article

POLICY_TITLE = "湖南省动员引导社会组织参与乡村振兴的实施意见"
IN_REVIEW_TITLE = "关于征集社会组织参与乡村振兴典型案例的通知"

POLICY_BODY = "\n".join(
    [
        "湖南省民政厅、湖南省乡村振兴局于 2022 年 5 月 30 日印发《湖南省动员引导社会组织参与乡村振兴的实施意见》。",
        "",
        "# 重点任务",
        "",
        "## 深入开展社会组织助力乡村振兴专项行动",
        "实施“结对帮扶助振兴”“公益品牌助振兴”“消费帮扶助振兴”“四小建设助振兴”专项行动。",
        "",
        "## 做好社会组织参与乡村振兴项目供需对接",
        "建立需求项目数据和供给项目数据，通过项目对接会、公益博览会、现场考察调研等方式有效推动供需对接。",
        "",
        "## 持续优化社会组织参与乡村振兴支持体系",
        "推动“五社联动”，注重社会组织能力建设。",
        "",
        "# 组织保障",
        "市级民政部门会同乡村振兴部门于每年 6 月初、12 月初向省民政厅、省乡村振兴局报告工作进展情况、"
        "遇到的困难问题和好的经验做法。",
    ]
)

# (writer, reviewer, kind, title, summary, body): each published by a second department.
PUBLISHED = [
    ("hn_minzheng", "hn_xiangzhen", "policy", POLICY_TITLE,
     "湖南省民政厅 湖南省乡村振兴局印发（2022 年 5 月 30 日）：专项行动、供需对接、五社联动和定期报送。", POLICY_BODY),
    ("xx_minzheng", "hn_xiangzhen", "plan", "湘西州社会组织助力乡村振兴三年行动计划（演示）",
     "到 2028 年，每个重点帮扶村至少结对一家社会组织。",
     "# 目标\n\n到 2028 年，全州每个重点帮扶村至少与一家社会组织结对，\n"
     "每个乡镇社工站至少孵化一家农村社区社会组织。\n\n"
     "# 措施\n\n建立州、县两级需求项目库和供给项目库，每季度召开一次项目对接会。"),
    ("hy_minzheng", "hy_xiangzhen", "notice", "关于举办花垣县社会组织参与乡村振兴项目对接会的通知",
     "请有意向的社会组织在平台报名并发布供给项目。",
     "各社会组织：\n\n定于下月中旬在花垣县举办项目对接会，现场发布十八洞村等村的需求项目。\n"
     "请于会前在平台发布供给项目，会上可直接“接单”。\n\n花垣县民政局"),
    ("hy_xiangzhen", "hy_minzheng", "news", "十八洞村发布留守儿童课后辅导等三项需求",
     "需求已在平台公开，欢迎社会组织接单。",
     "十八洞村经村民代表会议讨论，提出留守儿童课后辅导、猕猴桃种植技术培训、空巢老人助餐三项需求，\n"
     "经花垣县乡村振兴局审核后在平台发布。"),
    ("hy_minzheng", "hy_xiangzhen", "news", "花垣县十八洞助农服务中心开展冬季走访慰问", "",
     "花垣县十八洞助农服务中心组织志愿者走访十八洞村空巢老人和特困人员，送去棉被和米油。"),
]  # fmt: skip
WITH_PHOTO = "十八洞村发布留守儿童课后辅导等三项需求"


def _photo() -> SimpleUploadedFile:
    """A small green PNG drawn here (no binary file in the repository)."""
    width, height = 64, 40

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes([46, 125, 50]) * width
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )
    return SimpleUploadedFile("十八洞村课后辅导.png", png, content_type="image/png")


def _publish(writer: Any, reviewer: Any, uploads: list[Any] | None = None, **data: Any) -> Article:
    existing = Article.objects.filter(title=data["title"]).first()
    if existing is not None:
        return existing
    article = services.create_article(actor=writer, data=services.ArticleData(**data), uploads=uploads or [])
    services.submit_article(actor=writer, article=article)
    return services.publish_article(actor=reviewer, article=article)


def seed_demo_articles() -> list[Article]:
    names = {"hn_minzheng", "hn_xiangzhen", "xx_minzheng", "hy_minzheng", "hy_xiangzhen"}
    people = {u.username: u for u in User.objects.filter(username__in=names)}
    articles = []
    for writer, reviewer, kind, title, summary, body in PUBLISHED:
        photos = [_photo()] if title == WITH_PHOTO else None
        content = {"kind": kind, "title": title, "summary": summary, "body": body}
        articles.append(_publish(people[writer], people[reviewer], uploads=photos, **content))
    hy_mz, xx_mz = people["hy_minzheng"], people["xx_minzheng"]
    case = ExemplaryCase.objects.filter(status=ExemplaryCase.Status.PUBLISHED).order_by("id").first()
    if case is not None:
        title = f"典型案例｜{case.title}"
        linked: dict[str, Any] = {"exemplary_case_id": case.pk, "summary": case.summary, "body": case.body}
        articles.append(_publish(hy_mz, xx_mz, kind="case", title=title, **linked))
    commendation = Commendation.objects.select_related("organization").order_by("id").first()
    if commendation is not None:
        body = (
            f"{commendation.issuing_department}印发{commendation.document_number}，"
            f"表彰{commendation.organization.name}为{commendation.title}。"
        )
        title = f"表彰｜{commendation.title}"
        articles.append(
            _publish(hy_mz, xx_mz, kind="commendation", title=title, commendation_id=commendation.pk, body=body)
        )
    waiting = Article.objects.filter(title=IN_REVIEW_TITLE).first()
    if waiting is None:
        waiting = services.create_article(
            actor=xx_mz,
            data=services.ArticleData(
                kind="notice", title=IN_REVIEW_TITLE, summary="待省级部门审核后发布。",
                body="请各县市区民政局会同乡村振兴局推荐社会组织参与乡村振兴典型案例，每县不超过 3 个。",
            ),
        )  # fmt: skip
        services.submit_article(actor=xx_mz, article=waiting)
    return [*articles, waiting]
