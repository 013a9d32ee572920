"""Take the README screenshot from a running `make run` (http://127.0.0.1:8000 by default).

Usage: .venv/bin/python scripts/screenshot.py [BASE_URL] [USERNAME] [PATH]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
USERNAME = sys.argv[2] if len(sys.argv) > 2 else "hy_minzheng"
PAGE = sys.argv[3] if len(sys.argv) > 3 else "/organizations/"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshot.png"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]

with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
    page = browser.new_page(viewport={"width": 1280, "height": 760}, locale="zh-CN")
    page.goto(f"{BASE}/accounts/login/")
    page.get_by_label("用户名").fill(USERNAME)
    page.get_by_label("密码").fill("Xiangzhen-2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{BASE}/")
    page.goto(f"{BASE}{PAGE}")
    page.screenshot(path=str(OUT))
    browser.close()
print(OUT)
