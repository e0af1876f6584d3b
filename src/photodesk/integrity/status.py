"""`status`: the archive at a glance — counts, size, schema, last import, last verify."""

from __future__ import annotations

import os
from typing import Any

from photodesk.catalog import Catalog, fixity, thumbs


def _bytes_under(folder: Any) -> int:
    total = 0
    if folder.is_dir():
        for root, _dirs, names in os.walk(folder):
            for name in names:
                try:
                    total += os.lstat(os.path.join(root, name)).st_size
                except OSError:
                    continue
    return total


def status(catalog: Catalog) -> dict[str, Any]:
    archive = catalog.archive
    catalog_bytes = sum(
        p.stat().st_size for p in archive.root.glob(archive.db_path.name + "*") if p.is_file()
    )
    return {
        "archive": str(archive.root),
        "read_only": catalog.read_only,
        "schema_version": catalog.schema_version,
        "default_language": catalog.default_language,
        "counts": fixity.counts(catalog.db),
        # Photos catalogued whose real thumbnail is still to be made: `import` makes them.
        "thumbnails_pending": thumbs.pending_count(catalog.db),
        "disk": {
            "catalog": catalog_bytes,
            "originals": _bytes_under(archive.originals),
            "thumbnails": _bytes_under(archive.thumbs),
        },
        "last_import": fixity.last_import(catalog.db),
        "last_verify": fixity.last_verify(catalog.db),
    }
