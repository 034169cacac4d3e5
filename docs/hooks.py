"""MkDocs hooks: the API reference built from the app's own OpenAPI document, and the images the pages
show from outside ``docs/``.

The schema is the one ``motionqa serve`` serves at ``/openapi.json`` (``openapi_schema`` builds the routes
without the model or an index), so the reference cannot drift from the code. Swagger UI renders it from the
copy in the ``fastapi-offline`` package (the one the server's ``/docs`` uses): the built site loads nothing
from a CDN. Not ReDoc, though the package has it too: its sidebar loads Redocly's logo from cdn.redoc.ly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import fastapi_offline
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from assistant.api.app import openapi_schema
from assistant.api.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = "openapi"  # the site's folder for the schema and the Swagger UI page that shows it
REFERENCE_ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon.png")
OPERATIONS_MARKER = "<!-- openapi-operations -->"
# Pages show these as ../<folder>/… (so the images show on GitHub too); the site carries them under repo/.
OUTSIDE_DOCS = ("ui/screenshots", "reports/bench")
REFERENCE_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>motionqa {version}: API reference</title>
<link rel="icon" href="favicon.png">
<link rel="stylesheet" href="swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script id="openapi-schema" type="application/json">{schema}</script>
<script src="swagger-ui-bundle.js"></script>
<script>
SwaggerUIBundle({{
  spec: JSON.parse(document.getElementById("openapi-schema").textContent),
  dom_id: "#swagger-ui",
  deepLinking: true,
  supportedSubmitMethods: [],
  validatorUrl: null,
}});
</script>
</body>
</html>
"""


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the schema, its Swagger UI page and Swagger UI's own files, and the images from outside ``docs/``."""
    schema = _schema()
    files.append(File.generated(config, f"{REFERENCE}/openapi.json", content=json.dumps(schema, indent=2)))
    files.append(File.generated(config, f"{REFERENCE}/index.html", content=_reference_page(schema)))
    static = Path(fastapi_offline.__file__).parent / "static"
    for asset in REFERENCE_ASSETS:
        files.append(File.generated(config, f"{REFERENCE}/{asset}", abs_src_path=str(static / asset)))
    for folder in OUTSIDE_DOCS:
        for image in sorted((ROOT / folder).glob("*.png")):
            uri = image.relative_to(ROOT).as_posix()
            files.append(File.generated(config, f"repo/{uri}", abs_src_path=str(image)))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Point ``../ui/screenshots/…`` at the site's copies, and put the operations table at its marker."""
    for folder in OUTSIDE_DOCS:
        markdown = markdown.replace(f"](../{folder}/", f"](repo/{folder}/")
    if OPERATIONS_MARKER in markdown:
        markdown = markdown.replace(OPERATIONS_MARKER, _operations_table(_schema()))
    return markdown


def _schema() -> dict[str, Any]:
    """The schema ``motionqa serve`` would serve with this environment's settings (``MOTIONQA_*``)."""
    return openapi_schema(Settings())


def _reference_page(schema: dict[str, Any]) -> str:
    """Swagger UI over the schema inlined in the page (``</`` escaped), so it opens from the file system too.

    Read-only (no "Try it out": the site has no server behind it) and without the online validator's badge.
    """
    inline = json.dumps(schema).replace("</", "<\\/")
    return REFERENCE_PAGE.format(version=schema["info"]["version"], schema=inline)


def _operations_table(schema: dict[str, Any]) -> str:
    """Every operation with its name and the statuses it can give, as the schema says."""
    rows = ["| operation | `operationId` | statuses | what it does |", "|---|---|---|---|"]
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            statuses = ", ".join(sorted(operation["responses"]))
            name, summary = operation["operationId"], operation.get("summary", "")
            rows.append(f"| `{method.upper()} {path}` | `{name}` | {statuses} | {summary} |")
    return "\n".join(rows)
