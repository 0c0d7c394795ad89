"""`make bench` / `python -m bench`: run every benchmark in turn (add yours to BENCHES)."""

import importlib

BENCHES = [
    "bench.export_bench",
    "bench.validate_bench",
    "bench.inputs_bench",
    "bench.rules_bench",
    "bench.agreement",
]

for name in BENCHES:
    importlib.import_module(name).main()
