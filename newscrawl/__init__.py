"""newscrawl: a Scrapy crawler for local news portals that gets Chinese article metadata right."""

__version__ = "0.1.0"
