"""Politeness defaults and their overrides (site profile, spider custom_settings, -s), and the site
profile's coverage floor."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from scrapy.settings import Settings

from newscrawl.site import DEFAULT_COVERAGE_FLOOR, Site, SiteError
from newscrawl.spiders.base import PortalSpider, user_agent


def project_settings(**cmdline: Any) -> Settings:
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    settings.setdict(cmdline, priority="cmdline")
    return settings


class SlowSiteSpider(PortalSpider):
    name = "slow"
    site = Site(
        name="slow",
        domains=("slow.cn",),
        settings={"DOWNLOAD_DELAY": 3.0, "CONCURRENT_REQUESTS_PER_DOMAIN": 1},
    )


class CustomSpider(PortalSpider):
    name = "custom"
    site = Site(
        name="custom", domains=("custom.cn",), settings={"DOWNLOAD_DELAY": 3.0, "USER_AGENT": "site-ua"}
    )
    custom_settings: ClassVar[dict[str, Any] | None] = {"DOWNLOAD_DELAY": 5.0}


def test_polite_defaults() -> None:
    settings = project_settings()
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2
    assert settings.getfloat("DOWNLOAD_DELAY") == 0.5
    assert settings["USER_AGENT"].startswith("newscrawl/")


def test_site_settings_apply_and_the_command_line_wins() -> None:
    settings = project_settings()
    SlowSiteSpider.update_settings(settings)
    assert settings.getfloat("DOWNLOAD_DELAY") == 3.0
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    per_run = project_settings(DOWNLOAD_DELAY=0.25)
    SlowSiteSpider.update_settings(per_run)
    assert per_run.getfloat("DOWNLOAD_DELAY") == 0.25
    assert per_run.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1


def test_custom_settings_win_over_the_site_profile() -> None:
    settings = project_settings()
    CustomSpider.update_settings(settings)
    assert settings.getfloat("DOWNLOAD_DELAY") == 5.0


def test_user_agent_names_the_contact() -> None:
    settings = project_settings(NEWSCRAWL_CONTACT="mailto:ops@example.org")
    SlowSiteSpider.update_settings(settings)
    assert settings["USER_AGENT"] == user_agent("mailto:ops@example.org")
    assert settings["USER_AGENT"].endswith("(+mailto:ops@example.org)")


def test_a_chosen_user_agent_is_kept() -> None:
    per_site = project_settings(NEWSCRAWL_CONTACT="https://x.org/")
    CustomSpider.update_settings(per_site)
    assert per_site["USER_AGENT"] == "site-ua"
    per_run = project_settings(NEWSCRAWL_CONTACT="https://x.org/", USER_AGENT="run-ua")
    SlowSiteSpider.update_settings(per_run)
    assert per_run["USER_AGENT"] == "run-ua"


def test_coverage_floor() -> None:
    assert Site(name="x").floor == DEFAULT_COVERAGE_FLOOR
    assert dict(DEFAULT_COVERAGE_FLOOR) == {"title": 0.9, "published": 0.8, "body": 0.9}
    assert Site(name="x", coverage_floor={"published": 0.5}).floor == {"published": 0.5}
    assert Site(name="x", coverage_floor={}).floor == {}


@pytest.mark.parametrize(
    ("floor", "message"),
    [
        ({"headline": 0.5}, "unknown fields"),
        ({"title": 1.5}, "from 0 to 1"),
        ({"title": "high"}, "from 0 to 1"),
    ],
)
def test_bad_coverage_floors_are_refused(floor: dict[str, Any], message: str) -> None:
    with pytest.raises(SiteError, match=message):
        Site(name="x", coverage_floor=floor)


def test_site_settings_are_read_only() -> None:
    site = Site(name="x", settings={"DOWNLOAD_DELAY": 2})
    with pytest.raises(TypeError):
        site.settings["DOWNLOAD_DELAY"] = 0  # type: ignore[index]
