# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
CHROMIUM := /usr/bin/chromium

.PHONY: run test install install-dev browser lint bench sample clean

run: $(VENV)/.installed
	$(PY) -m streamlit run app.py --server.port $(PORT)

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install-dev: $(VENV)/.installed-dev

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Browser tests drive Debian's Chromium; Playwright cannot download its own browser here.
browser: $(CHROMIUM)

$(CHROMIUM):
	@if [ "$$(id -u)" = "0" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "Chromium saknas: kör 'sudo apt-get install chromium' (krävs för webbläsartesterna)." >&2; exit 1; \
	fi

test: install-dev browser
	GOALLOAD_REQUIRE_BROWSER=1 $(PY) -m pytest -q -p no:cacheprovider

lint: install-dev
	$(VENV)/bin/ruff check .

# Compiled first, as an installed package is: where PYTHONDONTWRITEBYTECODE is set, every
# measured process would otherwise compile goalload from source (0.3 s of each run).
bench: install-dev
	$(PY) -m compileall -q goalload
	$(PY) benchmarks/run.py

sample: $(VENV)/.installed
	$(PY) sample_data/generate.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
