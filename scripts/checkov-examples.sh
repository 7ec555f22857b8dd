#!/usr/bin/env bash
# Run the pinned checkov over the synthesized templates of every example and record its
# results in snapshots/checkov/<example>.json, which the examples' tests compare with the
# built-in rule pack. CI does not run this (checkov is heavy); run it after changing a rule,
# a default or an example, and commit the recordings.
#
# Usage: scripts/checkov-examples.sh [EXAMPLE...]   (every example when none is named)
#
# Environment:
#   CHECKOV_VENV  venv location (default: <repo root>/target/checkov-venv)
#   PYTHON        interpreter used to create the venv (default: python3)
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
requirements="$repo_root/scripts/checkov-requirements.txt"
venv="${CHECKOV_VENV:-$repo_root/target/checkov-venv}"
python="${PYTHON:-python3}"
stamp="$venv/.checkov-requirements.sha256"
out="$repo_root/target/checkov"
record="$repo_root/snapshots/checkov"

log() { printf 'checkov-examples: %s\n' "$*" >&2; }

want_hash="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want_hash" || ! -x "$venv/bin/checkov" ]]; then
    log "creating venv at $venv"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
        --require-hashes --only-binary=:all: -r "$requirements" 1>&2
    printf '%s\n' "$want_hash" >"$stamp"
fi
log "$("$venv/bin/checkov" --version)"

mkdir -p "$record"
cd "$repo_root"
if [[ $# -gt 0 ]]; then
    examples=("$@")
else
    examples=()
    for dir in examples/*/; do examples+=("$(basename "$dir")"); done
fi
for example in "${examples[@]}"; do
    [[ -d "examples/$example" ]] || { log "no example \`$example\`"; exit 1; }
    rm -rf "$out/$example"
    cargo run --quiet -p "$example" -- synth --out "$out/$example" --format json >/dev/null
    for template in "$out/$example"/*.template.json; do
        "$venv/bin/checkov" -f "$template" --framework cloudformation --output json \
            --compact --skip-download >"$template.checkov" || true
    done
    # Only what the comparison needs, sorted, so a recording changes only when a result does.
    "$python" - "$out/$example" "$record/$example.json" <<'PY'
import glob, json, os, sys
folder, target = sys.argv[1], sys.argv[2]
recording = {}
for path in sorted(glob.glob(os.path.join(folder, "*.template.json.checkov"))):
    report = json.load(open(path))
    if isinstance(report, list):
        report = report[0]
    results = report.get("results", {}) if isinstance(report, dict) else {}
    def rows(kind, comment=False):
        out = []
        for c in results.get(kind, []):
            resource = c["resource"].split(".", 1)[1]
            row = [c["check_id"], resource]
            if comment:
                row.append(c.get("check_result", {}).get("suppress_comment", ""))
            out.append(row)
        return sorted(out)
    name = os.path.basename(path)[: -len(".checkov")]
    recording[name] = {
        "failed": rows("failed_checks"),
        "skipped": rows("skipped_checks", comment=True),
        "passed": rows("passed_checks"),
    }
with open(target, "w") as f:
    json.dump(recording, f, indent=1, sort_keys=True)
    f.write("\n")
failed = sum(len(r["failed"]) for r in recording.values())
skipped = sum(len(r["skipped"]) for r in recording.values())
print(f"checkov-examples: {os.path.basename(target)}: {failed} failed, {skipped} skipped", file=sys.stderr)
PY
done
