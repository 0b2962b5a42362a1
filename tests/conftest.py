"""Settings for the whole suite."""

from hypothesis import HealthCheck, settings

# The suite runs on shared, sometimes heavily loaded machines: time-based
# hypothesis checks would fail on load, not on bugs.
settings.register_profile("carnet", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("carnet")
