"""Place pages and the directory: load (404), authorise (403), call the service, respond."""

from __future__ import annotations
