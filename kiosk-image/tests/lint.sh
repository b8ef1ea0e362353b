#!/bin/bash
# make image-lint: shellcheck on every shell script of the recipe, a syntax check of the
# Python helpers, and the provisioning example through the validator.
set -euo pipefail
IMAGE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$IMAGE_DIR"
mapfile -t shell_scripts < <(grep -rlE '^#!/bin/(ba)?sh' build.sh lib steps tests overlay | sort)
mapfile -t python_scripts < <(grep -rl '^#!/usr/bin/python3' overlay | sort)
shellcheck -x lib/common.sh "${shell_scripts[@]}"
echo "shellcheck: ${#shell_scripts[@]} scripts clean"
for script in "${python_scripts[@]}"; do
    python3 -c 'import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])' "$script"
done
echo "python: ${#python_scripts[@]} scripts parse"
# The example names PEM files that a deployer supplies; check it next to throw-away ones.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp config/kiosk-provision.example.toml "$scratch/kiosk-provision.toml"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=lint \
    -keyout "$scratch/kiosk.key" -out "$scratch/kiosk.crt" 2>/dev/null
cp "$scratch/kiosk.crt" "$scratch/office-ca.pem"
python3 overlay/usr/lib/legal-kiosk/kiosk-provision check "$scratch/kiosk-provision.toml" >/dev/null
echo "kiosk-provision.example.toml: valid"
