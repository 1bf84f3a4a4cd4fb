#!/usr/bin/env bash
# `make lint` (first half) and .ci/run: ruff check and ruff format --check with the ruff
# pinned in requirements-dev.txt, from the project's virtualenv. Blocking.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_dev_venv || exit 1
"$DEV_VENV/bin/ruff" check . && "$DEV_VENV/bin/ruff" format --check .
