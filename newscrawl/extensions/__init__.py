"""Scrapy extensions: the run (seen-store session, manifest, exit status) and progress reporting."""
