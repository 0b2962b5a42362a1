"""The browser pages: /tree, /notebooks, /edit, the built bundle under /static, custom/.

`routes()` gives the page routes relative to base_url, for create_app to add after
the API routes. The pages themselves are small HTML shells (see shell.py) that load
the frontend bundle built from frontend/ into carnet/static/.
"""

from carnet.server.pages.routes import routes

__all__ = ["routes"]
