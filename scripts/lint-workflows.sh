#!/usr/bin/env bash
# Check every GitHub Actions workflow under the given directories with the pinned
# check-jsonschema (GitHub's workflow schema, shipped with it) and zizmor, offline
# (see scripts/install-workflow-tools.sh).
#
# Usage: scripts/lint-workflows.sh DIR...
#
# Workflows are the *.yml and *.yaml files under DIR... (recursively). Exits non-zero if
# a file does not match the schema, if zizmor reports any finding (scripts/zizmor.yml lets
# an action referenced by its tag pass, since stackwright reports those itself), if a tool
# fails to run, or if no workflow is found.
set -euo pipefail

script_dir="$(cd "$(dirname "$0")" && pwd)"

die() { printf 'lint-workflows: %s\n' "$*" >&2; exit 1; }

if [[ $# -eq 0 ]]; then
    die "usage: $0 DIR..."
fi
for dir in "$@"; do
    [[ -d "$dir" ]] || die "not a directory: $dir"
done

bin="$("$script_dir/install-workflow-tools.sh")"
[[ -x "$bin/check-jsonschema" && -x "$bin/zizmor" ]] \
    || die "install-workflow-tools.sh did not yield the tools in: $bin"

files=()
while IFS= read -r -d '' f; do
    files+=("$f")
done < <(find "$@" -type f \( -name '*.yml' -o -name '*.yaml' \) -print0 | sort -z)
[[ ${#files[@]} -gt 0 ]] || die "no workflow files under: $*"

printf 'lint-workflows: %d workflow(s)\n' "${#files[@]}" >&2
"$bin/check-jsonschema" --builtin-schema vendor.github-workflows "${files[@]}"
"$bin/zizmor" --offline --no-progress --config "$script_dir/zizmor.yml" "${files[@]}"
