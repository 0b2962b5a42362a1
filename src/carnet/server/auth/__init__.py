"""Authentication and request-checking ASGI middleware."""
