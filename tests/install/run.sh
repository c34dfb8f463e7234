#!/usr/bin/env bash
# The install test: slate as users get it, not as the test suite imports it.
#
#   1. builds the wheel from a snapshot of this checkout (tracked and new files, no build leftovers), and fails on a
#      setuptools deprecation banner;
#   2. installs it with the `pdf` extra into a fresh venv in a temporary folder outside the checkout and, from another
#      folder, runs `slate --version`, `python -m rust_goals_slate --version`, `slate build --format md,pdf`,
#      `slate check`, `slate fcp`, `slate new-period`, `slate issues` and `slate updates` on a copy of the example slate;
#   3. runs the `slate-check` hook of `.pre-commit-hooks.yaml` through the real pre-commit (from PyPI) on a goals
#      repository made from the example: `pre-commit run --all-files` passes, and fails once a goal is broken.
#
# Run it with `make install-test`; `.ci/run` runs it after `make test`. Needs python3 (>= 3.11), git and network access
# to the package index; pdftotext (poppler-utils) for the check of the PDF's text, which is required under CI.
set -euo pipefail

checkout=$(cd "$(dirname "$0")/../.." && pwd)
python=${PYTHON:-python3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/slate-install-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'printf "install-test: FAILED (exit %s) at line %s: %s\n" "$?" "$LINENO" "$BASH_COMMAND" >&2' ERR
export PIP_DISABLE_PIP_VERSION_CHECK=1 PRE_COMMIT_HOME="$tmp/pre-commit-home"
unset PYTHONPATH VIRTUAL_ENV
git=(git -c user.name=slate-install-test -c user.email=slate@invalid -c commit.gpgsign=false -c init.defaultBranch=main)

step() { printf 'install-test: %s\n' "$*"; }
fail() { printf 'install-test: FAILED: %s\n' "$*" >&2; exit 1; }
nonempty() { for f in "$@"; do [[ -s $f ]] || fail "$f is missing or empty"; done; }

# 1. A snapshot of the working tree, committed into a repository of its own: the wheel is built from it, and pre-commit
# clones it at that commit (as it would clone slate's published repository at a tag).
step "snapshot of $checkout"
slate_repo="$tmp/slate-repo"
mkdir -p "$slate_repo"
(cd "$checkout" && git ls-files -z --cached --others --exclude-standard) |
    (cd "$checkout" && while IFS= read -r -d '' f; do [[ -e $f || -L $f ]] && printf '%s\0' "$f"; done) |
    tar -C "$checkout" --null -T - -cf - | tar -C "$slate_repo" -xf -
(cd "$slate_repo" && "${git[@]}" init -q && "${git[@]}" add -A && "${git[@]}" commit -q -m snapshot)
rev=$(git -C "$slate_repo" rev-parse HEAD)

step "pip wheel --no-deps"
# One venv with pip for the tools (pip, pre-commit); the venv under test gets its packages from that pip.
"$python" -m venv "$tmp/tools"
pip="$tmp/tools/bin/pip"
"$pip" wheel --no-deps --verbose "$slate_repo" -w "$tmp/dist" >"$tmp/wheel.log" 2>&1 ||
    { cat "$tmp/wheel.log" >&2; fail "the wheel did not build"; }
if grep -n "SetuptoolsDeprecationWarning" "$tmp/wheel.log" >&2; then
    fail "setuptools printed a deprecation warning while building the wheel"
fi
wheels=("$tmp"/dist/rust_goals_slate-*.whl)
[[ ${#wheels[@]} -eq 1 && -f ${wheels[0]} ]] || fail "expected one rust_goals_slate wheel in $tmp/dist"
wheel=${wheels[0]}
version=$(basename "$wheel" | cut -d- -f2)
# the licenses and the users' long description (docs/pypi.md, not the developers' README) are in the wheel
"$python" - "$wheel" <<'PY' || fail "the wheel lacks its license files or its long description"
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
meta = zipfile.ZipFile(sys.argv[1]).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
assert any(n.endswith("licenses/LICENSE-MIT") for n in names) and any(n.endswith("licenses/LICENSE-APACHE") for n in names), names
assert "rust_goals_slate/templates/compiled/manifest.json" in names, "no precompiled templates"
assert "License-Expression: MIT OR Apache-2.0" in meta and "pipx install" in meta and "make test" not in meta
PY

# 2. A fresh venv with the wheel and its pdf extra; every command runs from a folder that has nothing of the checkout.
step "fresh venv: ${wheel##*/}[pdf]"
"$python" -m venv --without-pip "$tmp/venv"
"$pip" --python "$tmp/venv/bin/python" install --quiet "$wheel[pdf]"
slate="$tmp/venv/bin/slate"
example="$tmp/example"
cp -R "$checkout/goals" "$example"
period=$(cd "$example/src" && ls -d -- */ | head -n 1)
period=${period%/}
src="$example/src/$period"
title=$(sed -n '1s/^# //p' "$src/c-header-export.md")
[[ -n $title ]] || fail "no goal title in $src/c-header-export.md"
elsewhere="$tmp/elsewhere"
mkdir -p "$elsewhere"
cd "$elsewhere"

where=$("$tmp/venv/bin/python" -c 'import rust_goals_slate; print(rust_goals_slate.__file__)')
[[ $where == "$tmp/venv/"* ]] || fail "rust_goals_slate was imported from $where, not from the venv"
# the built-in templates come precompiled in the wheel (setup.py; render/precompiled.py), and are used from there
compiled=$("$tmp/venv/bin/python" -c 'from rust_goals_slate.render.rfc import template_env; print(template_env().get_template("rfc.md.j2").filename)')
[[ $compiled == "$tmp/venv/"*"/rust_goals_slate/templates/compiled/tmpl_"*.py ]] ||
    fail "rfc.md.j2 was loaded from $compiled, not from the wheel's precompiled templates"

step "slate --version"
out=$("$slate" --version)
[[ $out == "slate $version "* ]] || fail "slate --version printed '$out', expected 'slate $version ...'"
out=$("$tmp/venv/bin/python" -m rust_goals_slate --version)
[[ $out == "slate $version "* ]] || fail "python -m rust_goals_slate --version printed '$out'"

step "slate build --format md,pdf"
"$slate" build "$src" --teams "$example/teams.yaml" --format md,pdf --out "$tmp/out"
nonempty "$tmp/out/rfc.md" "$tmp/out/pr-body.md" "$tmp/out/rfc.pdf"
grep -qF "$title" "$tmp/out/rfc.md" || fail "rfc.md does not name the goal '$title'"
[[ $(head -c 5 "$tmp/out/rfc.pdf") == "%PDF-" ]] || fail "rfc.pdf is not a PDF"
if command -v pdftotext >/dev/null 2>&1; then
    pdftotext "$tmp/out/rfc.pdf" - | tr -s '[:space:]' ' ' | grep -qF "$title" || fail "rfc.pdf does not name the goal '$title'"
elif [[ -n ${CI:-} ]]; then
    fail "pdftotext is not installed (poppler-utils)"
else
    step "pdftotext not installed: the PDF's text is not checked"
fi

step "slate check"
"$slate" check "$src" --teams "$example/teams.yaml"

step "slate fcp"
"$slate" fcp "$src" --teams "$example/teams.yaml" >"$tmp/fcp.md"
nonempty "$tmp/fcp.md"
grep -q -- '\[ \]' "$tmp/fcp.md" || fail "slate fcp printed no checkbox"

step "slate new-period, issues, updates (their templates come from the wheel)"
"$slate" new-period 2099 "$example" -q
nonempty "$example/src/2099/README.md" "$example/src/2099/goals.md" "$example/src/2099/not_accepted.md"
"$slate" check "$example/src/2099" --teams "$example/teams.yaml" -q
echo '[]' >"$tmp/no-issues.json"
"$slate" issues "$src" --teams "$example/teams.yaml" --issues "$tmp/no-issues.json" --script "$tmp/issues.sh" -q \
    >"$tmp/plan.md"
grep -q '^# Tracking issues of ' "$tmp/plan.md" || fail "slate issues printed no plan"
nonempty "$tmp/issues.sh"
"$slate" updates "$src" --teams "$example/teams.yaml" --comments "$tmp/no-issues.json" --from 2027-01-01 -q \
    >"$tmp/post.md"
grep -q '^## Other goal updates' "$tmp/post.md" || fail "slate updates printed no post"

# 3. pre-commit installs the hook's repository itself (pip install into a virtualenv of its own, no pdf extra).
step "pre-commit run --all-files (slate-check hook at $rev)"
"$pip" install --quiet pre-commit
goals_repo="$tmp/goals-repo"
cp -R "$checkout/goals" "$goals_repo"
cat >"$goals_repo/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $slate_repo
    rev: $rev
    hooks:
      - id: slate-check
        args: [src/$period, --teams, teams.yaml]
YAML
cd "$goals_repo"
"${git[@]}" init -q && "${git[@]}" add -A && "${git[@]}" commit -q -m goals
"$tmp/tools/bin/pre-commit" run --all-files || fail "the slate-check hook failed on the example slate"

step "pre-commit run --all-files on a broken goal must fail"
sed -i '/^| Status /s/Proposed/Someday/' "src/$period/c-header-export.md"
"${git[@]}" add -A
if "$tmp/tools/bin/pre-commit" run --all-files >"$tmp/broken.log" 2>&1; then
    cat "$tmp/broken.log" >&2
    fail "the slate-check hook passed on a goal with an unknown status"
fi
grep -q "c-header-export.md:[0-9]*:[0-9]*: error: .*\[unknown-status\]" "$tmp/broken.log" ||
    { cat "$tmp/broken.log" >&2; fail "the hook failed without reporting the unknown status"; }

step "passed"
