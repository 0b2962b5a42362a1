"""Extensions: server extensions (Python packages, `carnet.server_extensions` entry points)
and front-end extensions (ES or AMD modules under `nbextensions/` in the Jupyter data path).

`api` is what an extension author uses; `loading` finds and loads the enabled server
extensions at start-up; `static` serves `nbextensions/` and extensions' own files;
`cli` is `carnet extension list|enable|disable`.
"""
