from . import test_bench_throughput
