"""Write the log, its checkpoints and every record's current leaf to files for an offline audit:
`xiangzhen-verify audit --export DIR --key KEY`."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from xiangzhen.tlog import selectors

BATCH = 1000


class Command(BaseCommand):
    help = "导出透明日志（条目、检查点、各记录当前叶子）供离线审计"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        checkpoints = [
            {"tree_size": c.tree_size, "note": c.note} for c in selectors.checkpoints().order_by("tree_size")
        ]
        (directory / "checkpoints.json").write_text(json.dumps(checkpoints, ensure_ascii=False, indent=1), "utf-8")
        (directory / "key.txt").write_text(selectors.public_key_data()["verifier_key"] + "\n", "utf-8")
        count = 0
        with (
            (directory / "entries.jsonl").open("w", encoding="utf-8") as entries,
            (directory / "current.jsonl").open("w", encoding="utf-8") as current,
        ):
            start = 0
            while batch := selectors.entries(start, start + BATCH):
                for entry in batch:
                    row = {"index": entry.index, "kind": entry.kind, "number": entry.number}
                    entries.write(json.dumps({**row, "leaf": entry.leaf}, ensure_ascii=False) + "\n")
                    leaf = selectors.current_leaf(entry.kind, entry.number)
                    current.write(
                        json.dumps({**row, "leaf": leaf.decode() if leaf else None}, ensure_ascii=False) + "\n"
                    )
                count += len(batch)
                start += BATCH
        self.stdout.write(f"已导出 {count} 条日志、{len(checkpoints)} 个检查点到 {directory}")
