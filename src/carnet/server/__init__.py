"""Carnet's notebook server: Starlette + uvicorn, Jupyter's REST API, config and auth."""
