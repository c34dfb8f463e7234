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

.PHONY: rfc pdf test test-fast install-test lint typecheck layers deadcode bench images clean setup

setup: $(STAMP)

# setup.py and the built-in templates too: an editable install holds them precompiled (render/precompiled.py), and a
# template edited since would be compiled on every run instead.
$(STAMP): pyproject.toml setup.py $(wildcard templates/*.j2)
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

## The import-linter contract in pyproject.toml: every stage imports only the stages below it.
layers: $(STAMP)
	$(BIN)/lint-imports

## vulture: no dead code in the package, the tests, the benchmarks and the tools ([tool.vulture] in pyproject.toml).
deadcode: $(STAMP)
	$(BIN)/vulture

test: $(STAMP) lint typecheck layers deadcode
	$(BIN)/pytest

## Everything `test` runs except the tests marked slow (the mutation fuzz, the pandoc/Typst runs).
test-fast: $(STAMP) lint typecheck layers deadcode
	$(BIN)/pytest -m "not slow"

## The wheel installed into a fresh venv outside the checkout (build md+pdf, check, fcp from another folder), and the
## slate-check hook run through pre-commit; needs no .venv (tests/install/run.sh).
install-test:
	PYTHON=$(PYTHON) bash tests/install/run.sh

## BASELINE=<another checkout of slate>: rows 1 and 1b measured for it too, in the same rounds.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(if $(BASELINE),--baseline $(BASELINE))

## PNG previews of the PDF for the README (title page, contents, widest table), from an RFC's Markdown.
RFC_MD ?= build/rfc.md
images: $(STAMP)
	$(BIN)/python tools/pdf_images.py $(RFC_MD) docs/images

clean:
	rm -rf $(VENV) $(OUT)/*.md $(OUT)/*.pdf
