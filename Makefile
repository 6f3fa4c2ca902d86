# newscrawl — the two commands that must work on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: install demo test lint format clean bench-accuracy bench-speed bench-crawl bench-neardup bench-export \
	bench-redis bench-fuzz

$(STAMP): pyproject.toml setup.py $(wildcard newscrawl/extract/*.pyx)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

install: $(STAMP)  ## virtual environment with newscrawl and its pinned dependencies

demo: $(STAMP)  ## build the sample portal, serve it on 127.0.0.1, crawl it with the generic spider
	$(BIN)/python -m demo.run

test: lint  ## lint, then the whole offline test suite
	$(BIN)/python -m pytest

bench-accuracy: $(BENCH_STAMP)  ## accuracy vs trafilatura / GNE / htmldate on ../shared/corpus (skips if absent)
	$(BIN)/python -m bench.accuracy $(BENCH_ARGS)

bench-speed: $(BENCH_STAMP)  ## extraction pages/s vs lxml / trafilatura / GNE, and date parsing vs dateparser
	$(BIN)/python -m bench.extract_speed $(BENCH_ARGS)
	$(BIN)/python -m bench.date_speed

bench-crawl: $(STAMP)  ## crawl pages/s vs bare Scrapy on a loopback portal (nginx), and memory growth
	$(BIN)/python -m bench.crawl_speed $(BENCH_ARGS)

bench-neardup: $(STAMP)  ## near-duplicate precision/recall on labelled pairs from ../shared/corpus (skips if absent)
	$(BIN)/python -m bench.near_duplicates $(BENCH_ARGS)

bench-export: $(STAMP)  ## export a synthetic dataset larger than the memory it may use: peak RSS per format
	$(BIN)/python -m bench.export_memory $(BENCH_ARGS)

bench-redis: $(STAMP)  ## Redis memory per million URLs / seen articles (starts its own redis-server)
	$(BIN)/python -m bench.redis_memory $(BENCH_ARGS)

bench-fuzz: $(STAMP)  ## fuzz extract_article with thousands of random and mangled pages (fresh randomness)
	$(BIN)/python -m bench.fuzz $(BENCH_ARGS)

lint: $(STAMP)  ## ruff: lint rules and formatting
	$(BIN)/ruff check newscrawl tests demo bench setup.py
	$(BIN)/ruff format --check newscrawl tests demo bench setup.py

format: $(STAMP)
	$(BIN)/ruff format newscrawl tests demo bench setup.py
	$(BIN)/ruff check --fix newscrawl tests demo bench

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache newscrawl/extract/_c*.c newscrawl/extract/_c*.so
