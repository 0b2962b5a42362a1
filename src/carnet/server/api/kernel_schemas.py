"""OpenAPI component schemas of the kernel, session and kernelspec models.

They describe the dicts built by ManagedKernel.to_model, SessionManager.model and
the kernelspecs endpoint; the spec endpoint merges them into /api/spec.yaml.
"""

from __future__ import annotations

from typing import Any

SCHEMAS: dict[str, Any] = {
    "Kernel": {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "name": {"type": "string", "description": "kernelspec name"},
            "last_activity": {"type": "string", "format": "date-time"},
            "execution_state": {"type": "string"},
            "connections": {"type": "integer"},
        },
    },
    "Session": {
        "type": "object",
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "path": {"type": "string"},
            "name": {"type": "string"},
            "type": {"type": "string"},
            "kernel": {"$ref": "#/components/schemas/Kernel"},
        },
    },
    "KernelSpec": {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "spec": {
                "type": "object",
                "properties": {
                    "argv": {"type": "array", "items": {"type": "string"}},
                    "display_name": {"type": "string"},
                    "language": {"type": "string"},
                    "interrupt_mode": {"type": "string", "enum": ["signal", "message"]},
                    "env": {"type": "object", "additionalProperties": {"type": "string"}},
                    "metadata": {"type": "object"},
                },
            },
            "resources": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
}
