"""What leaves the desk: caption sheets, publish copies and XMP sidecars.

`entries` reads the photos once from the catalog; `selection` says which;
the writers below them never see the catalog.
"""
