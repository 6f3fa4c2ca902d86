"""Tests for newscrawl.extract.encoding.decode_html.

Hand-made pages are built (and encoded) here, so they always run. The corpus tests read the
third-party pages in ../shared/corpus (relative to the repository root) and are skipped without it.
"""

from __future__ import annotations

import codecs
import random
from collections import Counter

import pytest
from w3lib.encoding import resolve_encoding

from bench.corpus import load_jsonl, zh_files
from newscrawl.extract import encoding
from newscrawl.extract.encoding import decode_html, plain_utf8
from tests.conftest import CORPUS, needs_corpus

# Characters that GBK has and GB2312 lacks (names in the news: 朱镕基, 陶喆, 张祎, 王堃, 昇).
OUTSIDE_GB2312 = "镕喆祎堃昇"
SIMPLIFIED = (
    "新华社北京电 国务院总理朱镕基今天在人民大会堂会见了来访的代表团。双方就经济合作、文化交流等问题"
    "深入交换了意见。歌手陶喆、记者张祎和王堃参加了活动，昇平街道的居民也表示欢迎。"
)
TRADITIONAL = (
    "中央社記者台北電 行政院今天召開會議，討論經濟發展與國際合作等問題。院長表示，政府將繼續推動"
    "產業轉型，並加強與各國的交流。記者會後，多位官員對這項政策的實際效果說明了看法。"
)
KOREAN = "서울시는 오늘 새로운 교통 정책을 발표했다. 시민들은 대중교통 요금 인상에 대해 우려를 표시했다."
CP1252_TEXT = "“Smart quotes” – and ‘single’ ones… cost 5 € — naïve café, Größe"


def page(body: str, *, charset: str | None = None, title: str = "新闻") -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    return f"<!DOCTYPE html><html><head>{meta}<title>{title}</title></head><body><p>{body}</p></body></html>"


def meta_charset_page(body: str, charset: str) -> str:
    return f'<html><head><meta charset="{charset}"><title>新闻</title></head><body>{body}</body></html>'


# ---------------------------------------------------------------- hand-made pages


def test_empty_input() -> None:
    assert decode_html(b"") == ("", "utf-8")
    assert decode_html(b"", http_charset="gbk") == ("", "utf-8")


def test_characters_outside_gb2312_exist_only_in_gbk() -> None:
    for char in OUTSIDE_GB2312:
        with pytest.raises(UnicodeEncodeError):
            char.encode("gb2312")
        char.encode("gbk")


@pytest.mark.parametrize("label", ["gb2312", "GB2312", "gbk", "x-gbk", "cp936", "GB18030", "csgb2312"])
def test_gbk_page_declared_in_meta(label: str) -> None:
    html = page(SIMPLIFIED, charset=label)
    assert decode_html(html.encode("gbk")) == (html, "gb18030")


@pytest.mark.parametrize("header", ["gb2312", "text/html; charset=GB2312", 'text/html;charset="gbk"'])
def test_gbk_page_declared_in_header(header: str) -> None:
    html = page(SIMPLIFIED)
    assert decode_html(html.encode("gbk"), http_charset=header) == (html, "gb18030")


def test_gbk_page_without_declaration() -> None:
    html = page(SIMPLIFIED)
    assert decode_html(html.encode("gbk")) == (html, "gb18030")


def test_big5_page_declared_big5() -> None:
    html = page(TRADITIONAL, charset="big5", title="新聞")
    assert decode_html(html.encode("big5")) == (html, "big5hkscs")
    assert decode_html(html.encode("big5"), http_charset="Big5") == (html, "big5hkscs")


def test_big5_page_without_declaration() -> None:
    html = page(TRADITIONAL, title="新聞")
    assert decode_html(html.encode("big5")) == (html, "big5hkscs")


def test_big5_page_declared_gb2312() -> None:
    # The bytes of this Big5 page also decode strictly as GB18030; only plausibility tells them apart.
    html = page(TRADITIONAL, charset="gb2312", title="新聞")
    data = html.encode("big5")
    data.decode("gb18030")
    assert decode_html(data) == (html, "big5hkscs")


def test_gbk_page_declared_big5() -> None:
    html = page(SIMPLIFIED.replace("镕", "荣"), charset="big5")
    data = html.encode("gbk")
    assert decode_html(data) == (html, "gb18030")


def test_hong_kong_characters_decode_as_big5_hkscs() -> None:
    html = page(TRADITIONAL + "香港的「𥚃」與「嘅」字。", charset="big5", title="新聞")
    assert decode_html(html.encode("big5hkscs")) == (html, "big5hkscs")


def test_big5_page_with_euro_sign_falls_back_to_cp950() -> None:
    # Big5-HKSCS has no euro sign; Microsoft's cp950 puts it at 0xA3E1.
    html = page(TRADITIONAL + "歐元兌美元升至1.1€。", charset="big5", title="新聞")
    assert decode_html(html.encode("cp950")) == (html, "cp950")


@pytest.mark.parametrize("header", [None, "gb2312", "big5", "iso-8859-1"])
def test_utf8_page_declaring_gb2312(header: str | None) -> None:
    html = page(SIMPLIFIED, charset="gb2312")
    assert decode_html(html.encode("utf-8"), http_charset=header) == (html, "utf-8")


def test_utf8_page_with_a_broken_character_stays_utf8() -> None:
    # A title cut in the middle of a character: invalid UTF-8, yet clearly a UTF-8 page.
    cut = "标题".encode()[:-1]
    html = page(SIMPLIFIED * 3, charset="gb2312").encode()
    data = html.replace(b"<title>", b"<title>" + cut, 1)
    text, codec = decode_html(data)
    assert codec == "utf-8"
    assert text.count("\ufffd") == 1
    assert SIMPLIFIED in text


@pytest.mark.parametrize("header", [None, "gb2312", "iso-8859-1"])
def test_utf8_bom_wins(header: str | None) -> None:
    html = page(SIMPLIFIED, charset="gb2312")
    text, codec = decode_html(codecs.BOM_UTF8 + html.encode(), http_charset=header)
    assert (text, codec) == (html, "utf-8")


@pytest.mark.parametrize(
    ("bom", "codec"), [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
)
def test_utf16_bom(bom: bytes, codec: str) -> None:
    html = page(SIMPLIFIED, charset="utf-8")
    assert decode_html(bom + html.encode(codec), http_charset="gbk") == (html, codec)


def test_utf8_bom_in_front_of_gbk_bytes() -> None:
    # A BOM-saved include glued in front of a GBK page: the rest is not UTF-8, so the BOM loses.
    html = page(SIMPLIFIED, charset="gbk")
    assert decode_html(codecs.BOM_UTF8 + html.encode("gbk")) == (html, "gb18030")


def test_utf16_declared_by_header_without_bom() -> None:
    html = page(SIMPLIFIED)
    assert decode_html(html.encode("utf-16-le"), http_charset="utf-16le") == (html, "utf-16-le")


@pytest.mark.parametrize("header", ["utf-8", "iso-8859-1", "big5", "Shift_JIS-bogus"])
def test_header_wrong_meta_right_gbk(header: str) -> None:
    html = page(SIMPLIFIED, charset="gbk")
    assert decode_html(html.encode("gbk"), http_charset=header) == (html, "gb18030")


@pytest.mark.parametrize("header", ["utf-8", "gb2312", "iso-8859-1"])
def test_header_wrong_meta_right_big5(header: str) -> None:
    html = page(TRADITIONAL, charset="big5", title="新聞")
    assert decode_html(html.encode("big5"), http_charset=header) == (html, "big5hkscs")


@pytest.mark.parametrize("meta", ["utf-8", "big5", "iso-8859-1", "euc-jp"])
def test_header_right_meta_wrong_gbk(meta: str) -> None:
    html = page(SIMPLIFIED, charset=meta)
    assert decode_html(html.encode("gbk"), http_charset="gbk") == (html, "gb18030")


@pytest.mark.parametrize("meta", ["utf-8", "gb2312"])
def test_header_right_meta_wrong_big5(meta: str) -> None:
    html = page(TRADITIONAL, charset=meta, title="新聞")
    assert decode_html(html.encode("big5"), http_charset="big5") == (html, "big5hkscs")


@pytest.mark.parametrize(("meta", "header"), [("iso-8859-1", None), (None, "ISO-8859-1"), ("us-ascii", None)])
def test_latin1_declared_page_decodes_as_cp1252(meta: str | None, header: str | None) -> None:
    html = page(CP1252_TEXT, charset=meta, title="Quotes")
    data = html.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode_html(data, http_charset=header) == (html, "cp1252")


def test_latin1_header_in_front_of_gbk_page() -> None:
    # Servers that default to ISO-8859-1: windows-1252 decodes GB2312 bytes without error.
    html = page(SIMPLIFIED.replace("镕", "荣").replace("喆", "吉").replace("祎", "伟").replace("堃", "坤"))
    html = html.replace("昇", "升")
    data = html.encode("gb2312")
    data.decode("cp1252")
    assert decode_html(data, http_charset="iso-8859-1") == (html, "gb18030")


def test_truncated_gbk_character_is_replaced_not_fatal() -> None:
    body = page(SIMPLIFIED * 5, charset="gb2312").encode("gbk")
    cut = "标题截断".encode("gbk")[:-1]
    data = body.replace(b"<title>", b"<title>" + cut + b"...", 1)
    text, codec = decode_html(data)
    assert codec == "gb18030"
    assert text.count("\ufffd") == 1
    assert SIMPLIFIED in text


def ascii_page(charset: str | None) -> bytes:
    return page("Hello world", charset=charset, title="Hi").encode("ascii")


@pytest.mark.parametrize(
    ("meta", "header", "codec"),
    [
        (None, None, "utf-8"),
        ("iso-8859-1", None, "cp1252"),
        ("gb2312", None, "gb18030"),
        (None, "big5", "big5hkscs"),
        # A page readable as ASCII is not UTF-16, whatever its meta says.
        ("utf-16", None, "utf-8"),
        # A bare ISO-8859-1 header is usually the server default; the document's declaration wins.
        ("utf-8", "iso-8859-1", "utf-8"),
        ("nonsense", None, "utf-8"),
    ],
)
def test_pure_ascii_pages(meta: str | None, header: str | None, codec: str) -> None:
    data = ascii_page(meta)
    assert decode_html(data, http_charset=header) == (data.decode("ascii"), codec)


def test_korean_page_declared_euc_kr_is_not_read_as_chinese() -> None:
    # EUC-KR bytes also decode strictly as GB18030, into plausible-looking hanzi.
    html = page(KOREAN, charset="euc-kr", title="뉴스")
    data = html.encode("euc-kr")
    data.decode("gb18030")
    assert decode_html(data) == (html, "cp949")


def test_shift_jis_declared() -> None:
    html = page("東京都は今日、新しい交通政策を発表しました。", charset="shift_jis", title="ニュース")
    assert decode_html(html.encode("shift_jis")) == (html, "cp932")


@pytest.mark.parametrize("seed", range(40))
def test_binary_garbage_never_raises(seed: int) -> None:
    rng = random.Random(seed)
    data = rng.randbytes(rng.randrange(1, 6000))
    header = rng.choice([None, "gbk", "big5", "utf-8", "utf-16", "latin-1", "nonsense", "text/html"])
    text, codec = decode_html(data, http_charset=header)
    assert isinstance(text, str)
    codecs.lookup(codec)


@pytest.mark.parametrize(
    "data",
    [
        b"\xff",
        b"\x80" * 50,
        b"\xfe\xff\xd8",
        b"\xff\xfe\x00",
        codecs.BOM_UTF8,
        codecs.BOM_UTF8 + b"\xff\xfe",
        b"\x00" * 64,
        b"<meta charset=utf-7>+ADw-script+AD4-",
        b"<meta charset='x-user-defined'>\x81\x82",
        "<p>中文</p>".encode("gbk") + b"\xff" * 3000,
    ],
)
def test_odd_inputs_never_raise(data: bytes) -> None:
    text, codec = decode_html(data)
    assert isinstance(text, str)
    codecs.lookup(codec)


# ---------------------------------------------------------------- plain UTF-8, checked without decoding


def _utf8_samples() -> list[bytes]:
    """Every sequence of one or two bytes, every lead byte from 0xE0 with every second byte and a few
    third ones, the edges of the four-byte forms, each alone, cut short, behind 7 and 8 ASCII bytes (the
    C check reads eight at a time) and in front of ASCII; then random mixes of all of that."""
    cores = [bytes([a]) for a in range(256)] + [bytes([a, b]) for a in range(256) for b in range(256)]
    cores += [
        bytes([a, b, c]) for a in range(0xE0, 0x100) for b in range(256) for c in (0x00, 0x80, 0xBF, 0xC0)
    ]
    for a in range(0xF0, 0x100):
        for b in (0x80, 0x8F, 0x90, 0xBF, 0xC0):
            cores += [bytes([a, b, 0x80, 0x80]), bytes([a, b, 0xBF, 0xC0]), bytes([a, b, 0x80])]
    samples = []
    for core in cores[::7]:
        samples += [core, b"a" * 7 + core, b"<p>news" + core + b"</p>", core + b"x" * 9]
    samples += cores
    rng = random.Random(5)
    pieces = [*cores[:: len(cores) // 500], "新闻".encode(), "é".encode(), "😀".encode(), b"<div class=x>"]
    samples += [b"".join(rng.choices(pieces, k=rng.randrange(1, 40))) for _ in range(3000)]
    return samples


@pytest.mark.skipif(
    encoding.utf8_valid is encoding.utf8_valid_py,
    reason="newscrawl.extract._ctext is not built (no C compiler)",
)
def test_c_utf8_check_is_pythons_strict_decoder() -> None:
    samples = _utf8_samples()
    wrong = [s for s in samples if encoding.utf8_valid(s) != encoding.utf8_valid_py(s)]
    assert not wrong, wrong[:5]
    # Both answers occur, over and over (the samples are not all one kind).
    assert 1000 < sum(map(encoding.utf8_valid_py, samples)) < len(samples) - 1000


@pytest.mark.parametrize(
    ("data", "header", "plain"),
    [
        ("<p>新闻</p>".encode(), None, True),
        ("<p>新闻</p>".encode(), "text/html; charset=gbk", True),  # the bytes overrule a wrong label
        (b"<p>ASCII only</p>", None, False),  # decode_html names a declared codec for ASCII pages
        (codecs.BOM_UTF8 + "<p>新闻</p>".encode(), None, False),
        ("<p>新闻</p>".encode(), "text/html; charset=utf-16", False),
        ("<p>新闻</p>".encode("gbk"), None, False),
        ("<p>新闻</p>".encode()[:-6], None, False),  # a character cut short
        (b"", None, False),
    ],
)
def test_plain_utf8_is_what_decode_html_reads_as_utf8(data: bytes, header: str | None, plain: bool) -> None:
    assert plain_utf8(data, http_charset=header) is plain
    if plain:
        assert decode_html(data, http_charset=header) == (data.decode("utf-8"), "utf-8")


@needs_corpus
def test_corpus_plain_utf8_pages_decode_as_plain_utf8(corpus_rows: list[tuple[str, dict, bytes]]) -> None:
    plain = 0
    for _, _, data in corpus_rows:
        if plain_utf8(data):
            plain += 1
            assert decode_html(data) == (data.decode("utf-8"), "utf-8")
        else:
            text, codec = decode_html(data)
            assert not (codec == "utf-8" and not data.isascii() and text.encode() == data)
    assert plain > 500


# ---------------------------------------------------------------- the shared corpus


def _corpus_rows() -> list[tuple[str, dict, bytes]]:
    rows = []
    for truth in sorted(CORPUS.glob("*/ground_truth.jsonl")):
        for row in load_jsonl(truth):
            rows.append((truth.parent.name, row, (truth.parent / row["file"]).read_bytes()))
    return rows


@pytest.fixture(scope="module")
def corpus_rows() -> list[tuple[str, dict, bytes]]:
    return _corpus_rows()


def _expected(data: bytes, truth: str) -> str:
    # GB18030 decodes every GB2312/GBK page to the same text; a UTF-8 BOM is not part of the text.
    codec = {"gb2312": "gb18030", "gbk": "gb18030"}.get(truth, truth)
    return data.decode("utf-8-sig" if codec == "utf-8" else codec)


@needs_corpus
def test_corpus_pages_decode_like_the_truth(corpus_rows: list[tuple[str, dict, bytes]]) -> None:
    checked: Counter[str] = Counter()
    right: Counter[str] = Counter()
    failures = []
    for source, row, data in corpus_rows:
        if "lossy" in row["encoding"]:
            continue
        checked[source] += 1
        text, codec = decode_html(data)
        if text == _expected(data, row["encoding"]):
            right[source] += 1
        else:
            failures.append(f"{source}/{row['file']}: truth {row['encoding']}, got {codec}")
    summary = ", ".join(f"{source} {right[source]}/{checked[source]}" for source in sorted(checked))
    assert checked, "no corpus pages found"
    assert not failures, f"{summary}\n" + "\n".join(failures[:20])


@needs_corpus
def test_corpus_misdeclared_pages_decode_as_utf8(corpus_rows: list[tuple[str, dict, bytes]]) -> None:
    misdeclared = [
        (source, row, data)
        for source, row, data in corpus_rows
        if row["encoding"] == "utf-8"
        and row.get("encoding_declared")
        and resolve_encoding(row["encoding_declared"]) not in (None, "utf-8")
    ]
    # The corpus README lists 17 such pages in these sources (gb2312, euc-jp, iso-8859-x, euc-kr).
    assert len(misdeclared) >= 15
    wrong = [
        f"{source}/{row['file']} (declared {row['encoding_declared']}): {decode_html(data)[1]}"
        for source, row, data in misdeclared
        if decode_html(data) != (data.decode("utf-8-sig"), "utf-8")
    ]
    report = "\n".join(wrong)
    assert not wrong, f"{len(wrong)}/{len(misdeclared)} mis-declared pages not read as UTF-8:\n{report}"


@needs_corpus
def test_corpus_lossy_pages_decode_to_chinese(corpus_rows: list[tuple[str, dict, bytes]]) -> None:
    lossy = [(row, data) for _, row, data in corpus_rows if "lossy" in row["encoding"]]
    assert lossy
    for row, data in lossy:
        text, codec = decode_html(data)
        assert codec == "gb18030", row["file"]
        non_ascii = [c for c in text if not c.isascii() and not c.isspace()]
        cjk = [c for c in non_ascii if _is_chinese(c)]
        assert len(cjk) >= 0.9 * len(non_ascii), row["file"]
        assert text.count("\ufffd") <= 20, row["file"]


def _is_chinese(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef"


def _chinese_utf8_pages() -> list[tuple[str, str, str]]:
    pages = []
    for name in zh_files(CORPUS):
        try:
            text = (CORPUS / name).read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        hanzi = {c for c in text if "\u4e00" <= c <= "\u9fff"}
        if len(hanzi) < 100:
            continue
        not_gb2312 = sum(1 for c in hanzi if not c.encode("gb2312", "ignore"))
        not_big5 = sum(1 for c in hanzi if not c.encode("big5", "ignore"))
        pages.append((name, text, "big5hkscs" if not_big5 < not_gb2312 else "gb18030"))
    return pages


@needs_corpus
@pytest.mark.parametrize("header", [None, "gb2312", "big5", "iso-8859-1", "utf-8"])
def test_corpus_chinese_pages_reencoded_as_gbk_or_big5(header: str | None) -> None:
    # Real Chinese text in a legacy encoding whose <meta> still says UTF-8, behind various headers:
    # exercises the GB18030/Big5 plausibility choice on real pages (the corpus has no Big5 page).
    results: Counter[str] = Counter()
    wrong = []
    for name, text, codec in _chinese_utf8_pages():
        data = text.encode(codec, "xmlcharrefreplace")
        got = decode_html(data, http_charset=header)
        results[codec] += 1
        if got != (data.decode(codec), codec):
            wrong.append(f"{name}: {codec} read as {got[1]}")
    assert results["gb18030"] >= 50
    assert results["big5hkscs"] >= 3
    assert not wrong, f"{len(wrong)}/{sum(results.values())} wrong:\n" + "\n".join(wrong[:20])
