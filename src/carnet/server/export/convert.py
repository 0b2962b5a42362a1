"""Converting a notebook with nbconvert: the formats offered, and one blocking conversion.

nbconvert (and nbformat) are imported on the first conversion, never at start-up.
`convert` blocks (templates, pandoc, a browser for PDF): callers run it in a thread.
A notebook whose outputs are not trusted is converted the way nbconvert's sanitizing
exporters do it: HTML (and PDF, printed from HTML) with the exporter's `sanitize_html`,
the other text formats through its SanitizeHTML preprocessor, so script and active
HTML from an untrusted output never reach the exported file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from carnet.errors import ExportError, UnknownExportFormat

# The format names of Jupyter's /nbconvert/{format} -> nbconvert's exporter names.
# "python" follows the kernel's language, as the classic "Download as" did.
FORMATS: dict[str, str] = {
    "html": "html",
    "markdown": "markdown",
    "python": "script",
    "script": "script",
    "rst": "rst",
    "latex": "latex",
    "pdf": "webpdf",
    "webpdf": "webpdf",
}
_MIMETYPES = {"script": "text/plain", "webpdf": "application/pdf"}


@dataclass(frozen=True)
class Converted:
    """What a conversion produced: the bytes, their media type, the file extension."""

    body: bytes
    mimetype: str
    extension: str


def exporter_name(format_name: str) -> str:
    try:
        return FORMATS[format_name]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise UnknownExportFormat(
            f"no exporter for format {format_name!r} (formats: {known})", "unknown format"
        ) from None


def _exporter(name: str, trusted: bool) -> Any:
    from nbconvert.exporters import get_exporter

    if name == "webpdf":
        from carnet.server.export.pdf import SystemChromiumPDFExporter

        exporter = SystemChromiumPDFExporter()  # type: ignore[no-untyped-call]
    else:
        exporter = get_exporter(name)()  # type: ignore[no-untyped-call]
    if name in ("script", "python"):  # a script has no outputs to sanitize
        return exporter
    if exporter.has_trait("sanitize_html"):  # the HTML exporters (nbconvert >= 7.3)
        exporter.sanitize_html = not trusted
    elif not trusted:
        from nbconvert.preprocessors.sanitize import SanitizeHTML

        exporter.register_preprocessor(SanitizeHTML(), enabled=True)  # type: ignore[no-untyped-call]
    return exporter


def _language(notebook: dict[str, Any]) -> str:
    """The notebook's language: language_info's, the kernelspec's, or its installed spec's."""
    from carnet.client.kernelspec import get_kernel_spec

    metadata = notebook.get("metadata") or {}
    for key, field in (("language_info", "name"), ("kernelspec", "language")):
        section = metadata.get(key)
        if isinstance(section, dict) and isinstance(section.get(field), str):
            return str(section[field]).lower()
    spec = metadata.get("kernelspec")
    if isinstance(spec, dict) and isinstance(spec.get("name"), str):
        try:
            return get_kernel_spec(spec["name"]).language.lower()
        except Exception:  # no such kernelspec here: the generic script exporter
            return ""
    return ""


def convert(notebook: dict[str, Any], format_name: str, trusted: bool) -> Converted:
    """Convert a notebook (nbformat 4 JSON) or raise ExportError with a reason."""
    import nbformat
    from nbconvert.utils.pandoc import PandocMissing

    name = exporter_name(format_name)
    try:
        node = nbformat.from_dict(notebook)  # type: ignore[no-untyped-call]
        nbformat.validate(node)
    except Exception as exc:
        raise ExportError(f"not a notebook: {exc}", "bad notebook") from exc
    if name == "script" and _language(notebook) == "python":
        name = "python"  # nbconvert's script exporter needs language_info, which pages may not set
    exporter = _exporter(name, trusted)
    try:
        output, resources = exporter.from_notebook_node(node)
    except PandocMissing as exc:
        raise ExportError(
            f"{format_name} export needs pandoc, which is not installed ({exc})", "missing pandoc"
        ) from exc
    except ExportError:
        raise
    except Exception as exc:
        raise ExportError(f"{format_name} export failed: {exc}", "conversion failed") from exc
    body = output if isinstance(output, bytes) else str(output).encode("utf-8")
    extension = str(resources.get("output_extension") or exporter.file_extension)
    mimetype = _MIMETYPES.get(name) or str(exporter.output_mimetype or "text/plain")
    return Converted(body, mimetype, extension)
