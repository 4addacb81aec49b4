"""`make bench` and `make profile`: load and profiles against a running platform (docs/performance.md)."""
