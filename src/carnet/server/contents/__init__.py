"""The contents service: files, notebooks, directories and checkpoints under the root."""

from carnet.server.contents.manager import ContentsManager
from carnet.server.contents.trusthook import NotebookTrust

__all__ = ["ContentsManager", "NotebookTrust"]
