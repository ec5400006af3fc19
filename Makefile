# ipops: the two commands a newcomer needs are `make up` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help
DB ?= sqlite
PY := .venv/bin/python

.PHONY: help install up down status demo test test-faults lint typecheck bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

install: ## virtual environment, pinned packages, Kafka jars
	@scripts/install.sh

up: install ## set up and run Kafka, the five services and the gateway (DB=sqlite|postgres)
	@scripts/platform.sh up $(DB)

demo: install ## fill the platform `make up` started with a synthetic district 2018-2022 (docs/DEMO.md)
	@$(PY) -m scripts.demo

down: ## stop everything `make up` started
	@scripts/platform.sh down

status: ## what is running
	@scripts/platform.sh status

test: install ## the suite, on a real Kafka broker and PostgreSQL it starts and stops itself
	@scripts/test.sh

test-faults: install ## the long fault-injection suite; rewrites docs/RELIABILITY.md from its run
	@IPOPS_TEST_SELECT=faults scripts/test.sh
	@.venv/bin/python scripts/reliability_report.py

lint: install ## ruff (style, complexity), format, size rules, import contracts, mypy
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/python scripts/check_shape.py
	.venv/bin/lint-imports
	@# one mypy run per package: each is its own application with its own settings types
	@for pkg in shared/ipops services/pledge/pledge services/trusteeship/trusteeship \
	  services/navigation/navigation services/enforcement/enforcement \
	  services/operations/operations gateway/gateway; do \
	  echo "mypy $$pkg"; .venv/bin/mypy $$pkg || exit 1; done

bench: install ## run the benchmarks and write docs/BENCHMARKS.md
	@scripts/bench.sh

clean: down ## remove var/ (databases, logs, Kafka data) and the PostgreSQL databases of DB=postgres; keeps the jar cache
	rm -rf var/db var/data var/log var/run
	@deploy/postgres/pg.sh drop
