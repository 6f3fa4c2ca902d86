"""Credit lines: 来源 / 记者 / 责编 / 关键词 values, names only."""

from __future__ import annotations

import pytest

from newscrawl.extract.credits import (
    lead_credits,
    parse_credits,
    split_keywords,
    split_names,
    trailer_credits,
)


@pytest.mark.parametrize(
    ("line", "source", "authors", "editors", "keywords"),
    [
        ("2021-09-03 16:39:39  来源:映象网", "映象网", [], [], []),
        ("文章关键词:许昌市,建安区,乡村振兴 责编:高御", None, [], ["高御"], ["许昌市", "建安区", "乡村振兴"]),
        ("2021年09月03日 09:15 | 稿源：河南日报 | 作者：张三", "河南日报", ["张三"], [], []),
        ("来源：映象网 2021-09-03 16:39:39", "映象网", [], [], []),
        ("【责任编辑：李四】", None, [], ["李四"], []),
        ("作者：王建宏 张文攀  编辑：孙桂芳", None, ["王建宏", "张文攀"], ["孙桂芳"], []),
        ("文/王五 图/赵六", None, ["王五"], [], []),
        ("责任编辑：杨倩_NF4425", None, [], ["杨倩"], []),
        ("来源：未知  作者：佚名", None, [], [], []),
        ("审核：陈七 校对：周八", None, [], ["陈七", "周八"], []),
        ("作者: 赵  培", None, ["赵培"], [], []),
        ("标签：疫情防控 核酸检测 开学时间", None, [], [], ["疫情防控", "核酸检测", "开学时间"]),
        ("来源: 人民网－人民日报", "人民网－人民日报", [], [], []),
        (
            "发布时间：2024-05-20 13:15 来源：央视新闻客户端 责任编辑：张毅",
            "央视新闻客户端",
            [],
            ["张毅"],
            [],
        ),
        ("总编辑部主任会议纪要", None, [], [], []),
        ("编辑：倪仕轩、杨格", None, [], ["倪仕轩", "杨格"], []),
    ],
)
def test_parse_credits(
    line: str, source: str | None, authors: list[str], editors: list[str], keywords: list[str]
) -> None:
    found = parse_credits(line)
    assert (found.source, found.authors, found.editors, found.keywords) == (
        source,
        authors,
        editors,
        keywords,
    )


@pytest.mark.parametrize(
    ("lead", "authors"),
    [
        ("映象网讯(记者 康世保 见习记者 郭歌)近年来,许昌市建安区紧抓基层党建", ["康世保", "郭歌"]),
        ("新华社北京9月3日电（记者 王五、赵六）国务院新闻办公室3日发布", ["王五", "赵六"]),
        ("本报讯（记者 张三 通讯员 李四）昨日，市区", ["张三", "李四"]),
        ("大河网讯 记者 马俊峰 近日，记者从", ["马俊峰"]),
        ("近年来（2019年以来），全市经济", []),
        ("本报讯（通讯员 王小明）3日上午", ["王小明"]),
        ("新华社北京5月19日电（刘艺、杨吉）记者从", ["刘艺", "杨吉"]),
        ("新华社北京5月19日电（完成时间待定）记者从", []),
    ],
)
def test_lead_credits(lead: str, authors: list[str]) -> None:
    assert lead_credits(lead).authors == authors


def test_bare_names_in_a_closing_bracket() -> None:
    assert trailer_credits("……过一个平安、祥和的新春佳节。（常书香 马丹阳 ）").authors == ["常书香", "马丹阳"]
    assert trailer_credits("……全文如下。（二〇二二年二月）").authors == []


def test_trailer_credits() -> None:
    found = trailer_credits("……为全面推进乡村振兴战略积蓄了力量。（来源：新华社 责任编辑：王五）")
    assert found.source == "新华社"
    assert found.editors == ["王五"]


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("康世保 郭歌", ["康世保", "郭歌"]),
        ("本报记者王五", ["王五"]),
        ("李楠_NF1234", ["李楠"]),
        ("新华网", []),
        ("Jeremy Tsheng", ["Jeremy Tsheng"]),
        ("Anna Smith and Bob Lee", ["Anna Smith", "Bob Lee"]),
        ("王乐文  方  敏", ["王乐文", "方敏"]),
        ("彭冲 山东冠县", ["彭冲"]),
        ("研究部部长、研究员徐占忱", ["徐占忱"]),
        ("杜智 PX", ["杜智"]),
        ("小编", []),
        ("阿卜杜拉·买买提", ["阿卜杜拉·买买提"]),
        # Byline words before a Latin name; short particles only in lower case ("Di Maria" is a name).
        ("By Bob Yirka", ["Bob Yirka"]),
        ("von Christoph Schulz", ["Christoph Schulz"]),
        ("Por Rodrigo Mejías", ["Rodrigo Mejías"]),
        ("di Mario Rossi", ["Mario Rossi"]),
        ("Di Maria", ["Di Maria"]),
        ("Von", []),
        ("David Brand and Ramsey Khalifeh", ["David Brand", "Ramsey Khalifeh"]),
    ],
)
def test_split_names(value: str, names: list[str]) -> None:
    assert split_names(value) == names


def test_split_names_strict_refuses_long_words() -> None:
    assert split_names("全面推进乡村振兴", strict=True) == []


def test_split_names_strict_accepts_accented_latin_names() -> None:
    assert split_names("Björn Jahner", strict=True) == ["Björn Jahner"]
    assert split_names("掌上绥德", strict=True) == []


def test_split_keywords() -> None:
    assert split_keywords("许昌市,建安区，乡村振兴、 乡村振兴;;") == ["许昌市", "建安区", "乡村振兴"]
