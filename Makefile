# Opora: the two commands are `make run` and `make test`; both rest on `make setup`.
SHELL := /bin/bash
PYTHON ?= $(shell for p in $$HOME/.pyenv/versions/3.12*/bin/python3.12 /root/.pyenv/versions/3.12*/bin/python3.12 /usr/bin/python3.12 /usr/local/bin/python3.12 python3.12; do "$$p" -c "import sys; assert sys.version_info >= (3, 12)" >/dev/null 2>&1 && { echo "$$p"; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup venv deps assets migrate demo run test lint browser bench lock

setup: deps assets migrate

venv: $(BIN)/python

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Нужен Python 3.12 (python3.12 или pyenv 3.12)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q uv==0.13.8

deps: $(BIN)/python
	$(BIN)/uv pip sync -q --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .

assets:
	@test -d node_modules/bootstrap/dist && test -d node_modules/htmx.org/dist || npm ci --no-audit --no-fund --loglevel=error

migrate:
	$(BIN)/opora migrate --noinput -v0

demo: setup
	$(BIN)/opora demo

run: demo
	@echo "Опора: http://$(HOST):$(PORT)/  (остановка — Ctrl+C)"
	@trap 'kill 0' EXIT INT TERM; \
	$(BIN)/opora recover-imports; \
	$(BIN)/opora db_worker --queue-name '*' & \
	$(BIN)/opora schedule & \
	$(BIN)/opora runserver $(HOST):$(PORT)

browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Для браузерных тестов нужен пакет chromium: sudo apt-get install chromium"; exit 1; fi; }

lint: deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: setup browser lint
	$(BIN)/python -m pytest -q -n 2 --dist load

bench: setup
	status=0; for b in pages roadmaps documents loop load; do $(BIN)/python bench/$$b.py --quick || status=1; done; \
	$(BIN)/python bench/identify.py --schools 300 || status=1; exit $$status

lock:
	$(BIN)/uv pip compile -q pyproject.toml --extra dev --python-version 3.12 -o requirements.lock
