"""`carnet singleuser`: Carnet as a JupyterHub single-user server (Hub OAuth, activity)."""
