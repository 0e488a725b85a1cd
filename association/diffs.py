"""Line-by-line difference between two wordings of a document, for safe rendering.

The result is plain data (kinds, line numbers and text segments); templates escape every
segment, so a version's text can never inject markup into the page.
"""

import difflib
from dataclasses import dataclass, field

CONTEXT = 2  # unchanged lines kept around each change


@dataclass
class DiffRow:
    kind: str  # "same", "removed", "added" or "skipped"
    old_number: int | None = None
    new_number: int | None = None
    # (text, changed) pairs: inside a changed line, which characters changed.
    segments: list = field(default_factory=list)
    skipped: int = 0


def _char_segments(old, new):
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    old_segments, new_segments = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            old_segments.append((old[i1:i2], False))
            new_segments.append((new[j1:j2], False))
            continue
        if i2 > i1:
            old_segments.append((old[i1:i2], True))
        if j2 > j1:
            new_segments.append((new[j1:j2], True))
    return old_segments, new_segments


def diff_rows(old_text, new_text, *, context=CONTEXT):
    old_lines = old_text.splitlines()
    new_lines = new_text.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    rows = []
    opcodes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            keep_head = context if index > 0 else 0
            keep_tail = context if index < len(opcodes) - 1 else 0
            length = i2 - i1
            if length > keep_head + keep_tail + 1:
                for k in range(keep_head):
                    rows.append(_same(old_lines, i1 + k, j1 + k))
                rows.append(DiffRow("skipped", skipped=length - keep_head - keep_tail))
                for k in range(length - keep_tail, length):
                    rows.append(_same(old_lines, i1 + k, j1 + k))
            else:
                for k in range(length):
                    rows.append(_same(old_lines, i1 + k, j1 + k))
        elif tag == "delete":
            rows += [DiffRow("removed", i + 1, None, [(old_lines[i], True)]) for i in range(i1, i2)]
        elif tag == "insert":
            rows += [DiffRow("added", None, j + 1, [(new_lines[j], True)]) for j in range(j1, j2)]
        else:
            removed, added = [], []
            for k in range(max(i2 - i1, j2 - j1)):
                i, j = i1 + k, j1 + k
                if i < i2 and j < j2:
                    old_segments, new_segments = _char_segments(old_lines[i], new_lines[j])
                    removed.append(DiffRow("removed", i + 1, None, old_segments))
                    added.append(DiffRow("added", None, j + 1, new_segments))
                elif i < i2:
                    removed.append(DiffRow("removed", i + 1, None, [(old_lines[i], True)]))
                else:
                    added.append(DiffRow("added", None, j + 1, [(new_lines[j], True)]))
            rows += removed + added
    return rows


def _same(lines, i, j):
    return DiffRow("same", i + 1, j + 1, [(lines[i], False)])
