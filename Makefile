# Two commands do everything on a fresh machine:
#   make run    venv, install, index the bundled sample, serve it on http://127.0.0.1:8000
#   make test   venv, install (with test extras and Debian's chromium), check a bare install, run the whole suite
#   make test-fast   the unit and in-process tests alone, in under a minute (while you work)

VENV    ?= .venv
BARE    := .venv-bare
PY      := $(VENV)/bin/python
DATA    ?= data
SAMPLE  := data/sample/sources.toml
CHROMIUM := /usr/bin/chromium

.PHONY: run test test-fast install check-install browser sample bench bench-10k bench-10k-copies check-reliability screenshots clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

sample: install
	$(VENV)/bin/catalog --data $(DATA) reindex --config $(SAMPLE)

run: sample
	$(VENV)/bin/catalog --data $(DATA) serve --host 127.0.0.1 --port 8000

# The browser tests drive Debian's chromium and inject axe-core from npm; they fail (never skip) without them.
browser:
	@test -x $(CHROMIUM) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)
	@$(CHROMIUM) --version
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund

# The product as `pip install .` leaves it, no extras, in a fresh venv: every run-time import declared,
# every source kind indexed against a site on 127.0.0.1, the pages served by gunicorn.
# setuptools builds in ./build and never removes a module deleted since: start from nothing.
check-install:
	rm -rf $(BARE) build *.egg-info && python3 -m venv $(BARE)
	$(BARE)/bin/python -m pip install --quiet .
	$(BARE)/bin/python tests/install_check.py

test: install browser check-install
	$(PY) -m ruff check app.py catalog indexer tests
	$(PY) -m pytest

# No browser, no gunicorn, no SIGKILLed or yt-dlp processes, no deadlines waited out, no fuzzing:
# the tests marked `browser` (all of tests/browser/) or `slow` are left out. `make test` runs them all.
test-fast: install
	$(PY) -m pytest -q -m "not slow and not browser"

# Benchmarks print figures; they are not tests. bench-10k is the long 10,000-hour run.
bench: install
	$(PY) -m bench

bench-10k: install
	$(PY) -m bench --sizes 10000

# The 10,000-hour figures in a fraction of the time: the 1,000-hour corpus copied ten times.
bench-10k-copies: install
	$(PY) -m bench --sizes 10000 --copies 10

# Heavy reliability checks (about 5 min): load during publishes, 20 SIGKILLed reindexes,
# hostile content in every field, deep schemathesis fuzzing. Prints its figures.
check-reliability: install browser
	$(PY) -m tests.reliability.check

screenshots: install browser
	$(PY) -m tests.browser.screenshots screenshots

clean:
	rm -rf $(VENV) $(BARE) build $(DATA)/catalog.db* $(DATA)/index $(DATA)/reindex.lock
