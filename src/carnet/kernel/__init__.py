"""Carnet's Python kernel: `python -m carnet.kernel -f CONNECTION_FILE`.

core.py dispatches Jupyter requests to an Interpreter (python.py, built on
IPython); channels, IOPub, streams, stdin, comms, control and heartbeat each
live in their own module. Nothing heavy is imported here.
"""
