"""Tests for bench.metrics: the shingle body metric, the tokenizers and the field matchers.

Pure: needs neither ../shared nor the rival extractors.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import accuracy
from bench.metrics import (
    PageCounts,
    authors_match,
    body_score,
    cjk_tokens,
    iso_datetime,
    same_day,
    shingle_counts,
    shingle_match,
    titles_match,
    word_tokens,
)


def test_identical_texts_score_one() -> None:
    text = "The council approved the new budget on Tuesday, after a long debate."
    page = shingle_match(text, text)
    assert (page.precision, page.recall, page.exact) == (1.0, 1.0, True)
    score = body_score([page])
    assert (score.f1, score.precision, score.recall, score.accuracy) == (1.0, 1.0, 1.0, 1.0)


def test_disjoint_texts_score_zero() -> None:
    page = shingle_match("one two three four five", "six seven eight nine ten")
    assert (page.tp, page.precision, page.recall, page.exact) == (0.0, 0.0, 0.0, False)
    assert body_score([page]).f1 == 0.0


def test_hand_computed_case() -> None:
    # truth shingles: (a b c d), (b c d e); prediction: (a b c d), (b c d x) → TP 1, FP 1, FN 1.
    page = shingle_match("a b c d e", "a b c d x")
    assert (page.tp, page.fp, page.fn) == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert (page.precision, page.recall) == pytest.approx((0.5, 0.5))


def test_shingles_are_a_multiset() -> None:
    # "x y z w x y z w" has 5 shingles, (x y z w) twice; the prediction has it once.
    assert shingle_counts(word_tokens("x y z w x y z w"))[("x", "y", "z", "w")] == 2
    page = shingle_match("x y z w x y z w", "x y z w")
    assert (page.tp, page.fp, page.fn) == pytest.approx((0.2, 0.0, 0.8))
    assert (page.precision, page.recall) == pytest.approx((1.0, 0.2))


def test_short_text_is_one_shingle() -> None:
    assert shingle_counts(["a", "b"]) == {("a", "b"): 1}
    assert shingle_match("a b", "a b").recall == 1.0
    assert shingle_match("a b", "a c").recall == 0.0


def test_empty_prediction_is_left_out_of_precision() -> None:
    empty = shingle_match("a b c d e", None)
    assert (empty.precision, empty.recall) == (None, 0.0)
    perfect = shingle_match("a b c d e", "a b c d e")
    score = body_score([empty, perfect])
    assert (score.precision, score.recall) == (1.0, 0.5)
    assert score.f1 == pytest.approx(2 * 0.5 / 1.5)
    assert shingle_match("", "") == PageCounts(0.0, 0.0, 0.0, True)


def test_bootstrap_is_reproducible() -> None:
    pages = [
        shingle_match("a b c d e f", p) for p in ("a b c d e f", "a b c d x y", "q r s t u v", "a b c d e")
    ]
    first, second = body_score(pages, bootstrap=200), body_score(pages, bootstrap=200)
    assert first.f1_sd == second.f1_sd
    assert first.f1_sd is not None
    assert first.f1_sd > 0


def test_word_tokens_keep_a_chinese_run_whole() -> None:
    assert word_tokens("新华社北京5月20日电，记者张三报道") == ["新华社北京5月20日电", "记者张三报道"]


def test_cjk_tokens_split_han_and_kana_into_characters() -> None:
    assert cjk_tokens("新华社北京5月20日电（记者 张三）GDP增长") == [
        *"新华社北京",
        "5",
        "月",
        "20",
        *"日电记者张三",
        "GDP",
        *"增长",
    ]
    assert cjk_tokens("ひらがなカタカナ漢字") == list("ひらがなカタカナ漢字")
    # Hangul and Latin keep their words.
    assert cjk_tokens("서울 시청, hello world!") == ["서울", "시청", "hello", "world"]
    assert cjk_tokens("𠀀𠀁") == ["𠀀", "𠀁"]


def test_cjk_shingles_compare_by_characters() -> None:
    # 我爱北京天安门 has 4 four-character shingles; 我爱北京天 shares the first 2 and adds none.
    page = shingle_match("我爱北京天安门", "我爱北京天", cjk_tokens)
    assert (page.precision, page.recall) == pytest.approx((1.0, 0.5))
    # With \w+ the two are single, different tokens: nothing in common.
    assert shingle_match("我爱北京天安门", "我爱北京天").tp == 0.0


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2021年05月20日 09:56", "2021-05-20T09:56:00"),
        ("发布时间：2021-09-03 16:39:39", "2021-09-03T16:39:39"),
        ("2022/1/3", "2022-01-03"),
        ("2022-02-06T12:48:06+00:00", "2022-02-06T12:48:06"),
        ("2019.10.22", "2019-10-22"),
        ("06/02/2022 - 13:48", None),
        ("2021-13-40", None),
        ("", None),
        (None, None),
    ],
)
def test_iso_datetime(raw: str | None, iso: str | None) -> None:
    assert iso_datetime(raw) == iso


def test_same_day_and_titles() -> None:
    assert same_day("2023-11-08T10:00:00+01:00", "2023-11-08")
    assert not same_day(None, "2023-11-08")
    assert titles_match("  Wir waren\n fast  40 Tage ", "Wir waren fast 40 Tage")
    assert not titles_match("EINBLICK IN DIE PRAXIS", "Einblick in die Praxis")
    assert titles_match("EINBLICK IN DIE PRAXIS", "Einblick in die Praxis", fold=True)


@pytest.mark.parametrize(
    ("pred", "truth", "ok"),
    [
        (["Adam Aaronson"], "ADAM AARONSON", True),
        (["Robin Tschöpe"], "Robin Tschöpe", True),
        (["Fiona Bornhöft", "Mariam Hofbeck"], "Fiona Bornhöft und Mariam Hofbeck", True),
        (["Michael Rädel", "Redaktion"], "Michael Rädel, Redaktion", True),
        (["Evan Halper"], "Evan Halper; Jane Doe", False),
        (["Jane Doe", "Evan Halper"], ["Evan Halper", "Jane Doe"], True),
        ([], "Evan Halper", False),
        (None, "Evan Halper", False),
        (["王建宏", "张文攀"], "王建宏; 张文攀", True),
        (["王建宏", "张文攀"], "王建宏 张文攀", True),
        (["Robin", "Tschöpe"], "Robin Tschöpe", False),
        (["Tschöpe Robin"], "Robin Tschöpe", False),
    ],
)
def test_authors_match(pred: list[str] | None, truth: str | list[str], ok: bool) -> None:
    assert authors_match(pred, truth) is ok


def test_benchmark_skips_without_corpus(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(accuracy, "CORPUS", tmp_path / "absent")
    assert accuracy.main([]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert "skipped" in out
