"""Read a picture file (PNG, JPEG, ...) as a grayscale array with Qt's QImage, so reading
images needs no dependency beyond the Qt that nndraw already has."""

import os

import numpy as np
from PySide6.QtCore import qInstallMessageHandler
from PySide6.QtGui import QImage, QImageReader

from nndraw.errors import DataFileError

MAX_PIXELS = 50_000_000  # refuse absurd images before decoding them


def read_gray(path):
    """A 2-D float32 array in [0, 1] (1 = white); transparency is laid over white paper.
    DataFileError naming the file if it is missing or not a readable picture."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise DataFileError(f"{path}: no such file")
    complaints = []  # what Qt's decoders say about a damaged file, kept off stderr
    previous = qInstallMessageHandler(lambda mode, context, text: complaints.append(text))
    try:
        reader = QImageReader(path)
        size = reader.size()  # from the header alone: refuse absurd sizes before decoding
        if size.isValid() and size.width() * size.height() > MAX_PIXELS:
            raise DataFileError(f"{path}: image too large ({size.width()}x{size.height()})")
        image = reader.read()
    finally:
        qInstallMessageHandler(previous)
    if image.isNull():
        detail = f": {complaints[0]}" if complaints else ""
        raise DataFileError(f"{path}: not a readable image (PNG, JPEG, BMP, ...){detail}")
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    return gray_from_argb32(image)


def gray_from_argb32(image):
    """Luminance of an ARGB32 QImage as a float32 array, alpha composited over white."""
    h, w = image.height(), image.width()
    stride = image.bytesPerLine()
    buffer = np.frombuffer(image.constBits(), np.uint8, count=h * stride)
    pixels = buffer.reshape(h, stride)[:, :w * 4].reshape(h, w, 4).astype(np.float32) / 255
    b, g, r, a = pixels[..., 0], pixels[..., 1], pixels[..., 2], pixels[..., 3]
    luminance = 0.299 * r + 0.587 * g + 0.114 * b
    return luminance * a + (1.0 - a)
