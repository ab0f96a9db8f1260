"""`kado bench`: round trips, capacity, latency against the raw calls, cold start, hot keys."""
