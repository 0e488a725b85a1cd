"""Files the portal builds in the background: big spreadsheets made by the worker.

An Export names one kind of file, found again by its dotted path (`path`), from JSON
parameters (ids, dates as text): build(target, progress=..., user=..., **params) writes it
to the binary file `target`, calling progress(rows_written, total) as it goes;
allowed(user, **params) says whether `user` may have it, asked when the job starts and
again at every download (a scope may have changed since); filename(**params) is the name
it downloads under. association.jobs runs them. `Progress` counts the rows a build writes
and reports them now and then.
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


class Progress:
    """Counts the rows a build writes and calls `report(rows_written, total)` every `every`
    rows; `finish` reports once more when the file is complete, with the rows actually
    written as the total too (the data may have changed since `total` was counted).
    `report` may be None: an export written inside a request counts for nobody."""

    def __init__(self, report, total, *, every=1000):
        self.report = report
        self.total = total
        self.every = every
        self.written = 0

    def add(self, rows=1):
        before = self.written
        self.written += rows
        if (
            self.report
            and self.written // self.every > before // self.every
            and self.written < self.total
        ):
            self.report(self.written, self.total)

    def finish(self):
        if self.report:
            self.report(self.written, self.written)
