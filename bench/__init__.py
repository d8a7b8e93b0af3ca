"""venuewire benchmarks: `make bench` (python -m bench). Side by side in one run, ratios only."""
