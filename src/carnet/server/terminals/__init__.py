"""Terminals: shells in pseudo-terminals, reached through Jupyter Server's terminals API.

`manager` keeps the terminals by name, `pty` runs one shell, `websocket` speaks
terminado's messages to the browser; the REST routes are in server/api/terminals.py.
Nothing here is imported until a server with terminals enabled starts one.
"""
