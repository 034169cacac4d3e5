"""The installed distribution's version: one number for the wheel, ``/openapi.json``, the docs and MCP clients."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def package_version() -> str:
    try:
        return version("motionqa")
    except PackageNotFoundError:  # a source checkout that was never installed
        return "0+unknown"
