"""Files the portal builds in the background: big spreadsheets made by the worker.

An Export names one kind of file, found again by its dotted path (`path`), from JSON
parameters (ids, dates as text): build(target, progress=..., user=..., **params) writes it
to the binary file `target`, calling progress(rows_written, total) as it goes;
allowed(user, **params) says whether `user` may have it, asked when the job starts and
again at every download (a scope may have changed since); filename(**params) is the name
it downloads under. association.jobs runs them.
"""


class Export:
    def __init__(self, *, build, allowed, filename, content_type, path):
        self.build = build
        self.allowed = allowed
        self.filename = filename
        self.content_type = content_type
        self.path = path

    def __repr__(self):
        return f"<Export {self.path}>"


def export(*, allowed, filename, content_type):
    """Decorate `build(target, *, progress, user, **params)` as an Export."""

    def decorate(build):
        return Export(
            build=build,
            allowed=allowed,
            filename=filename,
            content_type=content_type,
            path=f"{build.__module__}.{build.__name__}",
        )

    return decorate
