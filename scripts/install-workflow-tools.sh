#!/usr/bin/env bash
# Install the pinned workflow checkers (scripts/workflow-tools-requirements.txt:
# check-jsonschema and zizmor) into a virtual environment and print the path of
# its bin folder.
#
# Usage: scripts/install-workflow-tools.sh
#
# Environment:
#   WORKFLOW_TOOLS_VENV  venv location (default: <repo root>/target/workflow-tools-venv)
#   PYTHON               interpreter used to create the venv (default: python3)
#
# Idempotent: the venv is (re)built only when it is missing, broken, or was
# built from a different requirements file (sha256 recorded in a stamp file
# inside the venv). stdout carries exactly one line, the bin folder; progress
# goes to stderr.
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
requirements="$repo_root/scripts/workflow-tools-requirements.txt"
venv="${WORKFLOW_TOOLS_VENV:-$repo_root/target/workflow-tools-venv}"
python="${PYTHON:-python3}"
stamp="$venv/.workflow-tools-requirements.sha256"
bin="$venv/bin"

log() { printf 'install-workflow-tools: %s\n' "$*" >&2; }

if [[ ! -f "$requirements" ]]; then
    log "missing $requirements"
    exit 1
fi

want_hash="$(sha256sum "$requirements" | cut -d' ' -f1)"
have_hash=""
if [[ -f "$stamp" ]]; then
    have_hash="$(cat "$stamp")"
fi

if [[ "$have_hash" == "$want_hash" && -x "$bin/check-jsonschema" && -x "$bin/zizmor" ]] \
    && "$bin/check-jsonschema" --version >/dev/null 2>&1 \
    && "$bin/zizmor" --version >/dev/null 2>&1; then
    log "up to date: $venv"
else
    log "creating venv at $venv (requirements sha256 $want_hash)"
    start=$SECONDS
    rm -rf "$venv"
    mkdir -p "$(dirname "$venv")"
    "$python" -m venv "$venv"
    # Everything in the requirements file is pinned and hashed, so pip
    # refuses anything that does not match. zizmor is a compiled program
    # published as wheels, so no source build is ever needed. stdout goes to
    # stderr so that the only line on our stdout is the bin folder.
    "$venv/bin/python" -m pip install \
        --quiet \
        --disable-pip-version-check \
        --no-input \
        --require-hashes \
        --only-binary=:all: \
        -r "$requirements" 1>&2
    "$bin/check-jsonschema" --version >&2
    "$bin/zizmor" --version >&2
    # Write the stamp last: an interrupted install is retried next time.
    printf '%s\n' "$want_hash" >"$stamp"
    log "installed in $((SECONDS - start))s"
fi

printf '%s\n' "$bin"
