"""The person's own drawings: 28x28 images with the digit they meant, kept in a folder.

Stored in one SQLite database (`drawings.sqlite3`, WAL mode), one row per drawing: a stable id,
the label and the 784 grey levels. Each keep, relabel or delete is one transaction against the
database, never a rewrite of the whole set from memory, so several windows or processes can
keep drawings into the same folder at once and nothing is lost or mislabelled; a crash loses
at most the keep in flight. After every change the set is re-read from the database.

Held out by id: a drawing whose id is 2, 7, 12, ... (id % 5 == 2) is never taught, so accuracy
on those says whether teaching generalises. Ids count up from 1 and are never reused, so a
delete (here or in another process) never moves another drawing between taught and held out;
in a set never edited that is the second drawing, then every fifth.

A pair of IDX files from an older nndraw (personal-*-idx*-ubyte) is imported once, in file
order (so the same drawings stay held out), and left in place. `export` writes MNIST-style IDX
files for other tools.
"""

import contextlib
import os
import sqlite3
from pathlib import Path

import numpy as np

from nndraw.data.datasets import Split
from nndraw.data.idx import read_idx, write_idx
from nndraw.errors import DataFileError
from nndraw.files import write_atomically

DATABASE = "drawings.sqlite3"
IMAGES = "personal-images-idx3-ubyte"   # the older format, imported once
LABELS = "personal-labels-idx1-ubyte"
SIDE = 28
SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 30  # how long a keep waits for another process's transaction to end

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS drawings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    label INTEGER NOT NULL CHECK (label BETWEEN 0 AND 9),
    pixels BLOB NOT NULL CHECK (length(pixels) = {SIDE * SIDE}),
    kept TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE IF NOT EXISTS imported (source TEXT PRIMARY KEY, count INTEGER NOT NULL);
"""


def held_out(ids):
    """A boolean mask over drawing ids: True for those kept aside for testing."""
    return np.asarray(ids, np.int64) % 5 == 2


class PersonalSet:
    """The drawings kept in `folder` (the folder and database are created on the first keep).
    DataFileError, in one line naming the file, if what is there cannot be read; nothing is
    ever deleted or rewritten because of that.

    `ids`, `images` (n x 28 x 28 uint8) and `labels` are the set as last read from the
    database: after opening and after each change made through this object."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.path = self.folder / DATABASE
        self.ids = np.zeros(0, np.int64)
        self.images = np.zeros((0, SIDE, SIDE), np.uint8)
        self.labels = np.zeros(0, np.uint8)
        legacy = (self.folder / IMAGES).exists() or (self.folder / LABELS).exists()
        if legacy:
            self._import_legacy()
        if self.path.exists():
            self.reload()

    def __len__(self):
        return len(self.labels)

    # ------------------------------------------------------------------ reading
    def reload(self):
        """Re-read the set from the database (what every process has kept so far)."""
        if not self.path.exists():
            return
        try:
            with _Connection(self.path) as db:
                if db.execute("PRAGMA user_version").fetchone()[0] > SCHEMA_VERSION:
                    raise DataFileError(f"{self.path}: written by a newer nndraw; this one "
                                        "cannot read it (it is left as it is)")
                if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                  "name = 'drawings'").fetchone():
                    return          # another process has just created the file: no keeps yet
                rows = db.execute("SELECT id, label, pixels FROM drawings ORDER BY id").fetchall()
        except sqlite3.Error as exc:
            raise DataFileError(self._damaged(exc)) from None
        ids, labels, images = _from_rows(rows, self.path)
        self.ids, self.labels, self.images = ids, labels, images

    def splits(self):
        """(taught, held_out) Splits as the network takes them (float rows in [0, 1]), from
        the database as it is now (or, should it have become unreadable since, the drawings
        last read: the next keep reports the damage)."""
        with contextlib.suppress(DataFileError):
            self.reload()
        flat = self.images.reshape(len(self), SIDE * SIDE).astype(np.float32) / np.float32(255)
        labels = self.labels.astype(np.int64)
        test = held_out(self.ids)
        return Split(flat[~test], labels[~test]), Split(flat[test], labels[test])

    # ------------------------------------------------------------------ changing
    def add(self, image, label):
        """Keep `image` (28x28 floats in [0, 1], ink = 1) as the digit `label`. Returns its
        position in the re-read set."""
        image = np.asarray(image, np.float32)
        if image.shape != (SIDE, SIDE):
            raise ValueError(f"expected a 28x28 image, got shape {image.shape}")
        level = np.round(np.clip(image, 0, 1) * 255).astype(np.uint8)
        label = _label(label)
        new_id = self._change("keep the drawing", lambda db: db.execute(
            "INSERT INTO drawings (label, pixels) VALUES (?, ?)",
            (label, level.tobytes())).lastrowid)
        return int(np.flatnonzero(self.ids == new_id)[0])

    def relabel(self, index, label):
        """Give the drawing at position `index` (in the set as last read) the digit `label`."""
        self.relabel_drawings([self.ids[index]], label)

    def delete(self, indices):
        """Delete the drawings at these positions (in the set as last read)."""
        self.delete_drawings([self.ids[i] for i in indices])

    def relabel_drawings(self, ids, label):
        """Give the drawings with these ids the digit `label` (one transaction)."""
        label = _label(label)
        self._change("relabel", lambda db: db.executemany(
            "UPDATE drawings SET label = ? WHERE id = ?", [(label, int(i)) for i in ids]))

    def delete_drawings(self, ids):
        """Delete the drawings with these ids (one transaction); ones already gone are fine."""
        self._change("delete", lambda db: db.executemany(
            "DELETE FROM drawings WHERE id = ?", [(int(i),) for i in ids]))

    def export(self, folder):
        """Write the set into `folder` as MNIST-style IDX files (train-* the taught drawings,
        t10k-* the held-out ones), so `nndraw train --data` or any MNIST tool reads it."""
        self.reload()
        folder = Path(folder)
        _make_folder(folder)
        test = held_out(self.ids)
        for prefix, mask in (("train", ~test), ("t10k", test)):
            write_atomically(folder / f"{prefix}-images-idx3-ubyte",
                             lambda f, m=mask: write_idx(f, self.images[m]), DataFileError)
            write_atomically(folder / f"{prefix}-labels-idx1-ubyte",
                             lambda f, m=mask: write_idx(f, self.labels[m]), DataFileError)

    # ------------------------------------------------------------------ inside
    def _change(self, what, statement):
        """Run `statement(db)` in one write transaction, then re-read the set. Nothing is
        kept in memory that the database did not accept."""
        _make_folder(self.folder)
        try:
            with _Connection(self.path) as db:
                db.execute("BEGIN IMMEDIATE")
                try:
                    _create(db)
                    result = statement(db)
                    db.execute("COMMIT")
                except BaseException:
                    if db.in_transaction:   # SQLite may have rolled back already
                        db.execute("ROLLBACK")
                    raise
        except sqlite3.DatabaseError as exc:
            if not _is_damage(exc):
                raise DataFileError(f"{self.path}: could not {what} ({exc}); the drawings "
                                    "kept before are unchanged") from None
            raise DataFileError(self._damaged(exc)) from None
        self.reload()
        return result

    def _import_legacy(self):
        """Import the IDX pair an older nndraw kept here, once (the files stay)."""
        images_path, labels_path = self.folder / IMAGES, self.folder / LABELS
        source = f"{IMAGES} + {LABELS}"
        if self.path.exists():
            try:
                with _Connection(self.path) as db:
                    if db.execute("SELECT name FROM sqlite_master WHERE name = 'imported'"
                                  ).fetchone() and db.execute(
                            "SELECT 1 FROM imported WHERE source = ?", (source,)).fetchone():
                        return
            except sqlite3.Error as exc:
                raise DataFileError(self._damaged(exc)) from None
        images, labels = read_idx(images_path), read_idx(labels_path)
        if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != (SIDE, SIDE):
            raise DataFileError(f"{images_path}: expected n x 28 x 28 unsigned bytes, found "
                                f"{images.dtype} of shape {images.shape}; not imported, left "
                                "as it is")
        if labels.dtype != np.uint8 or labels.ndim != 1:
            raise DataFileError(f"{labels_path}: expected unsigned-byte labels, found "
                                f"{labels.dtype} of shape {labels.shape}; not imported, left "
                                "as it is")
        if len(labels) != len(images):   # the shorter file is the one that lost its end
            short, other = ((images_path, labels_path) if len(images) < len(labels)
                            else (labels_path, images_path))
            raise DataFileError(f"{short}: holds {min(len(images), len(labels))} drawings "
                                f"where {other.name} holds {max(len(images), len(labels))}; "
                                "not imported, both left as they are")
        if len(labels) and labels.max() > 9:
            raise DataFileError(f"{labels_path}: labels must be 0 to 9, found "
                                f"{int(labels.max())}; not imported, left as it is")

        def insert(db):
            if db.execute("SELECT 1 FROM imported WHERE source = ?", (source,)).fetchone():
                return                      # another process imported it first
            db.executemany("INSERT INTO drawings (label, pixels) VALUES (?, ?)",
                           [(int(y), x.tobytes()) for x, y in zip(images, labels)])
            db.execute("INSERT INTO imported (source, count) VALUES (?, ?)",
                       (source, len(labels)))

        self._change("import the older drawings", insert)

    def _damaged(self, exc):
        readable = _count_readable(self.path)
        return (f"{self.path}: damaged ({exc}); {readable} drawing"
                f"{'s' if readable != 1 else ''} can still be read from it; it is left as it "
                "is (move it aside to start a new set)")


class _Connection:
    """A connection in autocommit mode (transactions are explicit), WAL journal, waiting up to
    BUSY_TIMEOUT_S for other writers; closed on exit so no -wal/-shm files linger."""

    def __init__(self, path):
        self.path = path

    def __enter__(self):
        self.db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            self.db.execute("PRAGMA journal_mode = WAL")
        except BaseException:
            self.db.close()
            raise
        return self.db

    def __exit__(self, *exc):
        self.db.close()


def _create(db):
    for statement in _SCHEMA.split(";"):   # not executescript: it would COMMIT first
        if statement.strip():
            db.execute(statement)
    if db.execute("PRAGMA user_version").fetchone()[0] == 0:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _from_rows(rows, path):
    ids = np.array([r[0] for r in rows], np.int64)
    labels = np.array([r[1] for r in rows], np.int64)
    if any(not isinstance(r[2], bytes) or len(r[2]) != SIDE * SIDE for r in rows) or \
            (len(labels) and (labels.min() < 0 or labels.max() > 9)):
        raise DataFileError(f"{path}: holds rows that are not 28x28 drawings labelled 0 to 9; "
                            "it is left as it is")
    images = np.frombuffer(b"".join(r[2] for r in rows), np.uint8).reshape(-1, SIDE, SIDE)
    return ids, labels.astype(np.uint8), images.copy()


def _is_damage(exc):
    """Whether an SQLite error means the file itself is bad (not a full disk or a lock)."""
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


def _count_readable(path):
    """How many drawings can still be read, one at a time, from a damaged database."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error:
        return 0
    try:
        ids = []
        try:
            for (row_id,) in db.execute("SELECT id FROM drawings"):
                ids.append(row_id)
        except sqlite3.Error:
            pass
        readable = 0
        for row_id in ids:
            try:
                row = db.execute("SELECT label, pixels FROM drawings WHERE id = ?",
                                 (row_id,)).fetchone()
            except sqlite3.Error:
                continue
            readable += bool(row and 0 <= row[0] <= 9 and isinstance(row[1], bytes)
                             and len(row[1]) == SIDE * SIDE)
        return readable
    finally:
        db.close()


def _make_folder(folder):
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise DataFileError(f"{folder}: cannot create the folder ({exc.strerror})") from None


def _label(label):
    label = int(label)
    if not 0 <= label <= 9:
        raise ValueError(f"a digit is 0 to 9, not {label}")
    return label
