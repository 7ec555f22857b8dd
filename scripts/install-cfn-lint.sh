#!/usr/bin/env bash
# Install the pinned cfn-lint (scripts/cfn-lint-requirements.txt) into a
# virtual environment and print the path of its cfn-lint executable.
#
# Usage: scripts/install-cfn-lint.sh
#
# Environment:
#   CFN_LINT_VENV  venv location (default: <repo root>/target/cfn-lint-venv)
#   PYTHON         interpreter used to create the venv (default: python3)
#
# Idempotent: the venv is (re)built only when it is missing, broken, or was
# built from a different requirements file (sha256 recorded in a stamp file
# inside the venv). stdout carries exactly one line, the cfn-lint path;
# progress goes to stderr.
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
requirements="$repo_root/scripts/cfn-lint-requirements.txt"
venv="${CFN_LINT_VENV:-$repo_root/target/cfn-lint-venv}"
python="${PYTHON:-python3}"
stamp="$venv/.cfn-lint-requirements.sha256"
cfn_lint="$venv/bin/cfn-lint"

log() { printf 'install-cfn-lint: %s\n' "$*" >&2; }

if [[ ! -f "$requirements" ]]; then
    log "missing $requirements"
    exit 1
fi

want_hash="$(sha256sum "$requirements" | cut -d' ' -f1)"
have_hash=""
if [[ -f "$stamp" ]]; then
    have_hash="$(cat "$stamp")"
fi

if [[ "$have_hash" == "$want_hash" && -x "$cfn_lint" ]] \
    && "$cfn_lint" --version >/dev/null 2>&1; then
    log "up to date: $venv"
else
    log "creating venv at $venv (requirements sha256 $want_hash)"
    start=$SECONDS
    rm -rf "$venv"
    mkdir -p "$(dirname "$venv")"
    "$python" -m venv "$venv"
    # Everything in the requirements file is pinned and hashed, so pip
    # refuses anything that does not match. stdout goes to stderr so that
    # the only line on our stdout is the cfn-lint path.
    "$venv/bin/python" -m pip install \
        --quiet \
        --disable-pip-version-check \
        --no-input \
        --require-hashes \
        --only-binary=:all: \
        -r "$requirements" 1>&2
    "$cfn_lint" --version >&2
    # Write the stamp last: an interrupted install is retried next time.
    printf '%s\n' "$want_hash" >"$stamp"
    log "installed in $((SECONDS - start))s"
fi

printf '%s\n' "$cfn_lint"
