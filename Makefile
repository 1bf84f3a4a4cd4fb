.PHONY: test demo lint bench i18n

# The test command named in README.rst; .ci/run calls it.
test:
	bash scripts/run-tests.sh

# Simulator + Odoo with demo data on http://localhost:8069.
demo:
	bash scripts/demo.sh

lint:
	ruff check . && ruff format --check .

# Speed figures with their targets (measured, never asserted in tests).
bench:
	bash scripts/bench.sh
