"""Operating the portal: readiness, metrics, JSON logs with request ids, sweep runs and the system page."""
