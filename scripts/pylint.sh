#!/usr/bin/env bash
# `make pylint`: pylint-odoo with OCA's mandatory checks for 18.0
# (scripts/pylintrc-mandatory), from the project's virtualenv. Exits non-zero on any
# finding; .ci/run and `make lint` fail on it too.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_dev_venv || exit 1
"$DEV_VENV/bin/pylint" --rcfile=scripts/pylintrc-mandatory dental_whatsapp
