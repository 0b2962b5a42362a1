"""REST API route families; each module exposes routes() -> list[starlette.routing.BaseRoute]."""
