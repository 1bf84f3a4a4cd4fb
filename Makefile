.PHONY: test demo lint ruff pylint bench odoo wheel-check venv

# The test command named in README.rst; .ci/run calls it. Builds Odoo 18 in a cache
# folder when the machine has none (scripts/bootstrap-odoo.sh).
test:
	bash scripts/run-tests.sh

# Simulator + Odoo with demo data on http://localhost:8069 (builds Odoo the same way).
demo:
	bash scripts/demo.sh

# ruff, then pylint-odoo's mandatory checks for 18.0; either fails the target.
lint: ruff
	bash scripts/pylint.sh

ruff:
	bash scripts/ruff.sh

pylint:
	bash scripts/pylint.sh

# Speed figures with their targets (measured, never asserted in tests).
bench:
	bash scripts/bench.sh

# Only build (or find) Odoo 18: ODOO_SRC, ODOO_BRANCH, DENTAL_WA_CACHE (README.rst).
odoo:
	bash scripts/bootstrap-odoo.sh

# Build the addon's wheel and install the addon from it on a fresh database.
wheel-check:
	bash scripts/check-wheel.sh

# The project's virtualenv .venv with requirements-dev.txt.
venv:
	bash -c 'source scripts/lib.sh && ensure_dev_venv'
