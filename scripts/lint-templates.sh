#!/usr/bin/env bash
# Lint every CloudFormation template under the given directories with the
# pinned cfn-lint (see scripts/install-cfn-lint.sh).
#
# Usage: scripts/lint-templates.sh DIR...
#
# Templates are the *.json, *.yaml and *.yml files under DIR... (recursively),
# except files named manifest.json and files without a top-level
# "Resources" key (checked with a quick grep). All of them are linted in one
# cfn-lint invocation. Exits non-zero if cfn-lint reports any error (E) or
# warning (W), if it fails to run, or if no templates are found.
# Informational (I) findings are printed but do not fail the run.
set -euo pipefail

script_dir="$(cd "$(dirname "$0")" && pwd)"

die() { printf 'lint-templates: %s\n' "$*" >&2; exit 1; }

if [[ $# -eq 0 ]]; then
    die "usage: $0 DIR..."
fi
for dir in "$@"; do
    [[ -d "$dir" ]] || die "not a directory: $dir"
done

cfn_lint="$("$script_dir/install-cfn-lint.sh")"
[[ -x "$cfn_lint" ]] || die "install-cfn-lint.sh did not yield an executable: $cfn_lint"

# Top-level Resources key: `Resources:` at column 0 in YAML, or a
# "Resources" key anywhere in JSON (JSON is often minified).
resources_re='^Resources[[:space:]]*:|"Resources"[[:space:]]*:'

# Companion files the manifests list (an appspec.yml has a `Resources:` key too) are not
# templates.
companions="$(mktemp)"
find "$@" -type f -name manifest.json -print0 | while IFS= read -r -d '' manifest; do
    python3 - "$manifest" <<'PY'
import json, os, sys
path = sys.argv[1]
try:
    data = json.load(open(path))
except ValueError:
    sys.exit(0)
for stack in data.get("stacks", []):
    for f in stack.get("companionFiles", []):
        print(os.path.normpath(os.path.join(os.path.dirname(path), f)))
PY
done > "$companions"

templates=()
while IFS= read -r -d '' file; do
    if grep -qxF -- "$(python3 -c 'import os,sys; print(os.path.normpath(sys.argv[1]))' "$file")" "$companions"; then
        continue
    fi
    if grep -qE -- "$resources_re" "$file"; then
        templates+=("$file")
    fi
done < <(find "$@" -type f \
    \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' \) \
    ! -name 'manifest.json' -print0 | sort -z)

count=${#templates[@]}
if [[ $count -eq 0 ]]; then
    die "no CloudFormation templates found under: $*"
fi

# cfn-lint checks SAM resources against SAM's schemas but no longer runs the transform, so
# SAM templates are also expanded with the pinned aws-sam-translator (a rejected template
# fails here) and the CloudFormation they become is linted too.
expanded_dir="$(mktemp -d)"
trap 'rm -rf "$expanded_dir" "$companions"' EXIT
python="$(dirname "$cfn_lint")/python"
sam=0
for file in "${templates[@]}"; do
    if grep -q 'AWS::Serverless-2016-10-31' "$file"; then
        sam=$((sam + 1))
        out="$expanded_dir/$sam-$(basename "${file%.*}").expanded.json"
        "$python" "$script_dir/sam-translate.py" "$file" "$out" \
            || die "the SAM transform rejected $file"
        templates+=("$out")
    fi
done
if (( sam > 0 )); then
    printf 'lint-templates: expanded %d SAM template(s) with aws-sam-translator\n' "$sam" >&2
    count=${#templates[@]}
fi

printf 'lint-templates: linting %d template(s) with %s\n' \
    "$count" "$("$cfn_lint" --version)" >&2

# cfn-lint's exit status is a bitmask: 2 = error, 4 = warning,
# 8 = informational; 1 (or anything else) means it could not run properly.
# --non-zero-exit-code on the command line overrides any .cfnlintrc setting.
rc=0
"$cfn_lint" --non-zero-exit-code informational -- "${templates[@]}" || rc=$?

if (( rc == 0 || rc == 8 )); then
    if (( rc == 8 )); then
        echo "cfn-lint: $count templates, clean (informational findings ignored)"
    else
        echo "cfn-lint: $count templates, clean"
    fi
    exit 0
fi

if (( rc & ~14 )); then
    echo "cfn-lint: $count templates, FAILED: cfn-lint did not run cleanly (exit status $rc)"
else
    case $(( rc & 6 )) in
        2) kinds="errors" ;;
        4) kinds="warnings" ;;
        *) kinds="errors and warnings" ;;
    esac
    echo "cfn-lint: $count templates, FAILED: $kinds reported (exit status $rc)"
fi
exit 1
