"""What tests and benchmarks share: servers as subprocesses, process probes, Chromium's flags.

Imported as `tests.support` by pytest (rootdir on sys.path) and by bench/ (run as the
package `bench` from the repository root).
"""
