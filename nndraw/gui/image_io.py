"""Read a picture file (PNG, JPEG, ...) as a grayscale array with Qt's QImage, so reading
images needs no dependency beyond the Qt that nndraw already has.

A damaged file makes Qt's decoders complain, some through Qt's message handler and libpng
straight onto file descriptor 2 ("libpng error: Read Error"). Both are caught while decoding,
so the person sees nndraw's one line and nothing else.
"""

import contextlib
import os
import tempfile

import numpy as np
from PySide6.QtCore import qInstallMessageHandler
from PySide6.QtGui import QImage, QImageReader

from nndraw.errors import DataFileError
from nndraw.files import check_readable

MAX_PIXELS = 50_000_000  # refuse absurd images before decoding them


def read_gray(path):
    """A 2-D float32 array in [0, 1] (1 = white); transparency is laid over white paper.
    DataFileError naming the file if it is missing or not a readable picture."""
    path = os.fspath(path)
    check_readable(path, DataFileError, "image file")
    complaints = []  # what Qt's decoders say about a damaged file, kept off stderr
    previous = qInstallMessageHandler(lambda mode, context, text: complaints.append(text))
    try:
        with _stderr_kept_in(complaints):
            reader = QImageReader(path)
            size = reader.size()  # from the header alone: refuse absurd sizes before decoding
            if size.isValid() and size.width() * size.height() > MAX_PIXELS:
                raise DataFileError(f"{path}: image too large ({size.width()}x{size.height()})")
            image = reader.read()
    finally:
        qInstallMessageHandler(previous)
    if image.isNull():
        detail = f": {complaints[0].strip()[:200]}" if complaints else ""
        raise DataFileError(f"{path}: not a readable image (PNG, JPEG, BMP, ...){detail}")
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    return gray_from_argb32(image)


@contextlib.contextmanager
def _stderr_kept_in(lines):
    """Send what C libraries write to file descriptor 2 into `lines` instead of the
    terminal, for the time of the block."""
    try:
        saved = os.dup(2)
    except OSError:          # no stderr at all: nothing to keep clean
        yield
        return
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            lines.extend(line.strip() for line in
                         sink.read(4096).decode("utf-8", "replace").splitlines() if line.strip())


def gray_from_argb32(image):
    """Luminance of an ARGB32 QImage as a float32 array, alpha composited over white."""
    h, w = image.height(), image.width()
    stride = image.bytesPerLine()
    buffer = np.frombuffer(image.constBits(), np.uint8, count=h * stride)
    pixels = buffer.reshape(h, stride)[:, :w * 4].reshape(h, w, 4).astype(np.float32) / 255
    b, g, r, a = pixels[..., 0], pixels[..., 1], pixels[..., 2], pixels[..., 3]
    luminance = 0.299 * r + 0.587 * g + 0.114 * b
    return luminance * a + (1.0 - a)
