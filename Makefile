# The two commands of the README: `make run` and `make test`. Everything else is what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install translations compile-translations extract-translations db demo lint chromium clean

VNU_VERSION := 26.9.27
VNU_JAR     := node_modules/vnu-jar/build/dist/vnu.jar

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet '.[test]'
	touch $@

install: $(VENV)/.installed compile-translations

compile-translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d marketplace/translations --statistics

extract-translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o marketplace/translations/messages.pot --no-location --sort-output \
	  --ignore-dirs '.* node_modules' .  # not Babel's default ('.* ._'), which skips templates/_macros and _partials
	$(BIN)/pybabel update -i marketplace/translations/messages.pot -d marketplace/translations --no-fuzzy-matching

db: install
	$(FLASK) db upgrade

demo: db
	$(FLASK) seed-demo

## make run: the site with demo data on SQLite at http://127.0.0.1:5000, and the job worker beside it
run: demo
	@$(FLASK) jobs --workers 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

chromium:
	@command -v chromium >/dev/null 2>&1 || { echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# The Nu HTML validator (vnu-jar) for tests/test_html_validity.py: needs npm to install and Java to run.
$(VNU_JAR):
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing: install Node.js and npm to get the Nu HTML validator (vnu-jar $(VNU_VERSION))" >&2; exit 1; }
	@command -v java >/dev/null 2>&1 || { echo "java is missing: install a Java runtime (17 or newer) to run the Nu HTML validator" >&2; exit 1; }
	npm install --no-save --no-audit --no-fund vnu-jar@$(VNU_VERSION)
	@test -f $@ || { echo "npm did not install $@" >&2; exit 1; }

## make test: the whole suite (SQLite by default; TEST_DATABASE_URL=postgresql+psycopg://... for PostgreSQL), in two
## parallel workers (pytest-xdist; on PostgreSQL each worker has a database of its own); PYTEST_ARGS= runs it serially
PYTEST_ARGS ?= -n 2
test: install chromium $(VNU_JAR)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) instance .pytest_cache
