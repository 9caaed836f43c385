"""The record blocks two sorted N-Quads dumps differ in, found without parsing the lines they
share.

``kg build`` writes ``kg.nq`` sorted by graph, subject, predicate and object
(:func:`kg.compile.dumps.sorted_quads`), and a fact graph's IRI names its record
(``fact/<kind>/<id>/<hex>``, docs/provenance.md). So a dump is a run of *blocks*, each
contiguous and in increasing order of its key (:func:`block_key`):

- the facts of one record: every line in one of its fact graphs;
- the provenance of one record: every line of the provenance graph about one of its fact graphs;
- any other (graph, subject): the ontology, a catalogue's description.

:func:`changed_blocks` reads both dumps as lists of lines, a chunk at a time (each chunk ends
where a block ends), skips the lines they share by comparing slices of the two lists (a C-level
comparison, no parsing), and only where they differ takes the whole block on both sides, so that
what follows sees every line of a record that changed. It also hands out the provenance block of
every record whose facts changed, even where the provenance itself did not. Memory holds two
chunks and the blocks that differ.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from kg.compile.rdf import PROVENANCE_GRAPH
from kg.errors import DumpError
from kg.schema.vocabulary import ID

FACT = f"<{ID}fact/".encode()
PROVENANCE = f"<{PROVENANCE_GRAPH.value}>".encode()
PROVENANCE_END = b" " + PROVENANCE + b" .\n"
CHUNK = 1 << 22
"""Bytes of lines read at a time, before the chunk is extended to the end of its last block."""
MAX_RUN = 1 << 14
"""Most lines compared in one slice comparison."""

Key = tuple[bytes, bytes]


def block_key(line: bytes) -> Key:
    """The key of the block ``line`` is in: blocks are contiguous in a sorted dump, and their
    keys increase.

    Examples
    --------
    >>> fact = b"<https://w3id.org/llmkg/id/fact/model/bloom/0123456789ab>"
    >>> block_key(b'<s> <p> "o p q" ' + fact + b" .\\n")
    (b'<https://w3id.org/llmkg/id/fact/model/bloom/', b'')
    >>> prov = b"<https://w3id.org/llmkg/id/graph/provenance>"
    >>> block_key(fact + b" <p> <o> " + prov + b" .\\n")[1]
    b'<https://w3id.org/llmkg/id/fact/model/bloom/'
    """
    head, graph, _ = line.rsplit(b" ", 2)
    if graph.startswith(FACT):
        return graph[: graph.rindex(b"/") + 1], b""
    subject = head[: head.index(b" ")]
    if graph == PROVENANCE and subject.startswith(FACT):
        return graph, subject[: subject.rindex(b"/") + 1]
    return graph, subject


def record_of(key: Key) -> bytes | None:
    """The record prefix (``<...fact/<kind>/<id>/``) of a facts or provenance block's key."""
    if key[0].startswith(FACT):
        return key[0]
    if key[0] == PROVENANCE and key[1].startswith(FACT):
        return key[1]
    return None


def is_facts(key: Key) -> bool:
    """Whether ``key`` is the key of a record's facts (not of its provenance)."""
    return key[0].startswith(FACT)


@dataclass(frozen=True)
class Block:
    """One block on both sides: ``old`` or ``new`` is empty where a side has none."""

    key: Key
    old: list[bytes]
    new: list[bytes]


def _chunks(stream: BinaryIO, name: str) -> Iterator[list[bytes]]:
    """Lists of lines of about :data:`CHUNK` bytes, each ending where a block ends."""
    carry: list[bytes] = []
    previous: Key | None = None
    while lines := carry + stream.readlines(CHUNK):
        last = _key(lines[-1], name)
        carry = []
        while line := stream.readline():
            if _key(line, name) != last:
                carry = [line]
                break
            lines.append(line)
        first = _key(lines[0], name)
        if previous is not None and first <= previous:
            raise DumpError(f"{name} is not sorted as kg build writes kg.nq (by graph, subject)")
        previous = last
        yield lines


def _key(line: bytes, name: str) -> Key:
    try:
        return block_key(line)
    except ValueError:
        raise DumpError(f"{name}: not an N-Quads line of a named graph: {line[:120]!r}") from None


class _Cursor:
    """A position in the lines of one dump."""

    def __init__(self, chunks: Iterator[list[bytes]], name: str) -> None:
        self.chunks = chunks
        self.name = name
        self.lines: list[bytes] = []
        self.pos = 0
        self.taken: Key | None = None

    def fill(self) -> bool:
        """Whether there is a line at the position (reading the next chunk if needed).

        The last block of the chunk read before stays in front of the next one: its lines may
        have been shared with the other dump, whose block of that key goes on."""
        while self.pos == len(self.lines):
            chunk = next(self.chunks, None)
            if chunk is None:
                return False
            tail = self.lines[self._start(len(self.lines)) :]
            self.lines, self.pos = tail + chunk, len(tail)
        return True

    def _start(self, end: int) -> int:
        """Where the block of the line before ``end`` starts."""
        if end == 0:
            return 0
        key, start = _key(self.lines[end - 1], self.name), end - 1
        while start > 0 and _key(self.lines[start - 1], self.name) == key:
            start -= 1
        return start

    def key(self) -> Key:
        return _key(self.lines[self.pos], self.name)

    def take(self, key: Key) -> list[bytes]:
        """The lines of block ``key`` around the position (those before it were shared), and
        move past them. A block never spans two chunks."""
        if self.taken is not None and key <= self.taken:
            raise DumpError(f"{self.name} is not sorted as kg build writes kg.nq")
        self.taken = key
        lines, start, end, member = self.lines, self.pos, self.pos, _member(key, self.name)
        while start > 0 and member(lines[start - 1]):
            start -= 1
        while end < len(lines) and member(lines[end]):
            end += 1
        self.pos = end
        return lines[start:end]


def _shared(xs: list[bytes], i: int, ys: list[bytes], j: int, most: int) -> int:
    """How many lines from ``xs[i]`` and ``ys[j]`` on are equal, up to ``most``: slices of
    doubling size are compared whole until two differ, then the first difference is found by
    halving that slice."""
    n, size = 0, 16
    while n < most:
        size = min(size, most - n)
        if xs[i + n : i + n + size] != ys[j + n : j + n + size]:
            break
        n += size
        size = min(size * 2, MAX_RUN)
    else:
        return n
    low, high = n, n + size  # equal before low; a difference before high
    while high - low > 1:
        middle = (low + high) // 2
        if xs[i + low : i + middle] == ys[j + low : j + middle]:
            low = middle
        else:
            high = middle
    return low


def _member(key: Key, name: str) -> Callable[[bytes], bool]:
    """Whether a line is in block ``key``: ``block_key(line) == key``, without splitting the
    line where that is not needed."""
    first, second = key
    if first.startswith(FACT):  # its graph is one of the record's fact graphs

        def facts(line: bytes) -> bool:
            parts = line.rsplit(b" ", 2)
            return (
                len(parts) == 3
                and parts[1].startswith(first)
                and b"/" not in parts[1][len(first) :]
            )

        return facts
    if first == PROVENANCE and second.startswith(FACT):  # about one of its fact graphs

        def provenance(line: bytes) -> bool:
            if not line.startswith(second):
                return False
            subject, _, rest = line.partition(b" ")
            return b"/" not in subject[len(second) :] and rest.rsplit(b" ", 2)[-2] == PROVENANCE

        return provenance
    return lambda line: _key(line, name) == key


def _before(lines: list[bytes], start: int, n: int, target: Key, name: str) -> int:
    """How many of the ``n`` lines from ``start`` on have a key below ``target`` (the key of a
    record's provenance)."""
    last = lines[start + n - 1]
    if lines[start].endswith(PROVENANCE_END) and last.endswith(PROVENANCE_END):
        # Lines of the provenance graph sort as bytes the way their keys do.
        if last < target[1]:
            return n
        return bisect_left(lines, target[1], start, start + n) - start
    if _key(last, name) < target:
        return n
    return bisect_left(lines, target, start, start + n, key=lambda x: _key(x, name)) - start


def changed_blocks(old: Path, new: Path) -> Iterator[Block]:
    """The blocks where ``old`` and ``new`` differ, in key order, and the provenance block of
    every record whose facts differ (equal on both sides or not).

    Raises
    ------
    DumpError
        If a dump is not sorted as ``kg build`` writes it, or not N-Quads of named graphs.
    """
    with old.open("rb") as a_stream, new.open("rb") as b_stream:
        a = _Cursor(_chunks(a_stream, str(old)), str(old))
        b = _Cursor(_chunks(b_stream, str(new)), str(new))
        wanted: deque[Key] = deque()  # provenance blocks of records whose facts differ
        while True:
            more_a, more_b = a.fill(), b.fill()
            if not more_a and not more_b:
                return
            if more_a and more_b:
                most = min(len(a.lines) - a.pos, len(b.lines) - b.pos)
                if wanted:  # stop at the next provenance block asked for
                    most = _before(a.lines, a.pos, most, wanted[0], a.name)
                n = _shared(a.lines, a.pos, b.lines, b.pos, most)
                if n:
                    a.pos += n
                    b.pos += n
                    continue
            key = min(c.key() for c, more in ((a, more_a), (b, more_b)) if more)
            while wanted and wanted[0] < key:
                wanted.popleft()  # the record has no provenance on either side
            asked = bool(wanted) and wanted[0] == key
            if asked:
                wanted.popleft()
            old_lines, new_lines = a.take(key), b.take(key)  # at the end too: shared lines
            if asked or set(old_lines) != set(new_lines):
                if is_facts(key):
                    wanted.append((PROVENANCE, key[0]))
                yield Block(key, old_lines, new_lines)


def record_blocks(path: Path, records: set[bytes]) -> dict[bytes, list[bytes]]:
    """The facts blocks of ``records`` (record prefixes) in the dump ``path``, read line by
    line: for the rare record whose provenance changed while its facts did not."""
    found: dict[bytes, list[bytes]] = {}
    with path.open("rb") as stream:
        for line in stream:
            key = _key(line, str(path))
            if is_facts(key) and key[0] in records:
                found.setdefault(key[0], []).append(line)
    return found
