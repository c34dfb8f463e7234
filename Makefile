# Every target sets itself up: a fresh machine needs only python3 (>= 3.11) and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EXAMPLE_SRC   := goals/src/2027
EXAMPLE_TEAMS := goals/teams.yaml
OUT    := build
RFC_NUMBER ?=
PY_DIRS := compiler tests tools $(wildcard benchmarks)

.PHONY: rfc pdf test lint typecheck bench images clean setup

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[pdf,watch,dev]'
	touch $(STAMP)

## The RFC of the embedded example slate: build/rfc.md, build/rfc.pdf and build/pr-body.md.
rfc: $(STAMP)
	$(BIN)/slate build $(EXAMPLE_SRC) --teams $(EXAMPLE_TEAMS) --out $(OUT) --format md,pdf $(if $(RFC_NUMBER),--rfc-number $(RFC_NUMBER))

lint: $(STAMP)
	$(BIN)/ruff check $(PY_DIRS)
	$(BIN)/ruff format --check $(PY_DIRS)

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP) lint typecheck
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

## PNG previews of the PDF for the README (title page, contents, widest table), from an RFC's Markdown.
RFC_MD ?= build/rfc.md
images: $(STAMP)
	$(BIN)/python tools/pdf_images.py $(RFC_MD) docs/images

clean:
	rm -rf $(VENV) $(OUT)/*.md $(OUT)/*.pdf
