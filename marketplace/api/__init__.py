"""Read-only JSON of the public data, described at /api/v1/openapi.json."""
