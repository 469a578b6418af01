"""QR codes for QML: `Image { source: "image://qr/" + encodeURIComponent(payload) }`."""

from __future__ import annotations

from urllib.parse import unquote

import qrcode
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtQuick import QQuickImageProvider


class QrImageProvider(QQuickImageProvider):
    """Draws the QR code of the text after `image://qr/`, black on white."""

    def __init__(self) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)

    def requestImage(self, id: str, size: QSize, requested: QSize) -> QImage:
        code = qrcode.QRCode(box_size=8, border=2)
        code.add_data(unquote(id) or " ")
        code.make(fit=True)
        picture = code.make_image().get_image().convert("RGB")
        image = QImage(
            picture.tobytes(),
            picture.width,
            picture.height,
            3 * picture.width,
            QImage.Format.Format_RGB888,
        ).copy()
        if requested.isValid() and requested.width() > 0:
            image = image.scaled(requested)
        if size is not None:
            size.setWidth(image.width())
            size.setHeight(image.height())
        return image
