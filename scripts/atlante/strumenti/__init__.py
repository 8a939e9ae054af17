"""Tools around the data: new records, staleness, benchmarks, synthetic data, link checks."""
