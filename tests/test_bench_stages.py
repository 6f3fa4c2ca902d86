"""bench.extract_speed --stages: the functions it times exist, are timed, and are put back afterwards.

Pure: a page written here, neither ../shared nor the rival extractors.
"""

from __future__ import annotations

import importlib
from datetime import UTC, datetime

import pytest

from bench import extract_speed
from newscrawl.extract import extract_article

PAGE = """<html><head><title>县里新修了一座桥_映象网</title>
<meta name="description" content="县里新修了一座桥，方便了两岸群众出行。"></head><body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/news/">新闻</a></div>
<h1>县里新修了一座桥</h1><div class="info">2026-11-20 09:30 来源：映象网 记者 王明</div>
<div class="content"><p>11月20日，县里新修的大桥正式通车，两岸群众出行时间由一小时缩短到十分钟。</p>
<p>据介绍，大桥全长三百米，历时两年建成，总投资一点二亿元。沿河的村民说，以后赶集方便多了。</p></div>
<div class="editor">责任编辑：李华</div></body></html>"""


def _run() -> None:
    extract_article(
        PAGE.encode(),
        "https://www.hnr.cn/news/2026/1120/1.html",
        site="generic",
        fetched_at=datetime(2026, 11, 26, tzinfo=UTC),
    )


def test_every_timed_function_exists_and_is_put_back() -> None:
    spots = extract_speed._STAGES + extract_speed._STEPS
    before = {(module, name): getattr(importlib.import_module(module), name) for _, module, name in spots}
    total, best = extract_speed.stage_times(_run, rounds=2)
    after = {(module, name): getattr(importlib.import_module(module), name) for _, module, name in spots}
    assert after == before  # unwrapped again
    assert set(best) == {label for label, _, _ in spots}
    for label in (
        "parse (libxml2)",
        "render lines",
        "field cascade",
        "headline match",
        "body block",
        "dates",
    ):
        assert best[label] > 0, label  # each of these runs once per page: it was timed
    assert best["  of which htmldate"] == 0  # a Chinese page never reaches htmldate
    stages = sum(best[label] for label, _, _ in extract_speed._STAGES)
    assert 0 < stages <= total
    assert sum(best[label] for label, _, _ in extract_speed._STEPS[:6]) <= best["field cascade"]


def test_the_stage_table_has_a_row_per_stage_and_step(capsys: pytest.CaptureFixture[str]) -> None:
    total, best = extract_speed.stage_times(_run, rounds=1)
    extract_speed.print_stages(total, best, pages=1)
    out = capsys.readouterr().out.splitlines()
    labels = [label.strip() for label, _, _ in extract_speed._STAGES + extract_speed._STEPS]
    for label in (*labels, "the rest (record, free)", "total"):
        assert any(line.strip().startswith(label) for line in out), label
    assert out[-1].split()[1:4] == [f"{total:.3f}", "s", "100.0"]  # the total row: all of the time


def test_targets_are_judged_on_the_chinese_set_only(capsys: pytest.CaptureFixture[str]) -> None:
    rates = {"lxml parse": 1200.0, "newscrawl": 420.0, "trafilatura": 30.0, "GNE": 36.0}
    extract_speed.print_ratios("zh", rates)
    judged = capsys.readouterr().out
    assert "newscrawl / trafilatura   14.00×  target ≥ 10× ✓" in judged
    assert "newscrawl / lxml parse     0.35×  target ≥ 0.3× ✓" in judged
    assert (
        "lxml parsing ran at 40× trafilatura's, 33× GNE's speed (where the issue measured: 42×, 33×)"
        in judged
    )
    extract_speed.print_ratios("zh", {**rates, "newscrawl": 240.0})
    assert "newscrawl / trafilatura    8.00×  target ≥ 10× ✗" in capsys.readouterr().out
    extract_speed.print_ratios("mixed", rates)
    informative = capsys.readouterr().out
    assert "not the target set" in informative
    assert "target" not in informative.replace("not the target set", "")
