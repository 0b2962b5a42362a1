"""Notebook trust: Jupyter-compatible signatures, so output from elsewhere never runs unasked.

Public API: `Notary` (sign, check and mark notebooks; the contents service's trust
hook) and `SignatureStore` (the nbsignatures.db database with its fallbacks).
"""

from carnet.trust.notary import Notary
from carnet.trust.store import SignatureStore

__all__ = ["Notary", "SignatureStore"]
