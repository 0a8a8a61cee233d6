"""Where the window remembers its geometry and the last settings: one INI file per user,
organisation "nndraw". Tests point QSettings' IniFormat user path at a temporary folder."""

import json

from PySide6.QtCore import QByteArray, QSettings

from nndraw.errors import NndrawError
from nndraw.training.config import TrainConfig

ORGANIZATION = APPLICATION = "nndraw"


def open_settings():
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                     ORGANIZATION, APPLICATION)


def restore_window(window):
    """The window's last geometry and the training panel's last settings, if any."""
    settings = open_settings()
    geometry = settings.value("window/geometry")
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    values = settings.value("training/config")
    if isinstance(values, str):
        try:
            config = TrainConfig.from_dict(json.loads(values))
            window.panel.set_config(config, settings.value("training/preset"))
        except (NndrawError, ValueError, TypeError):
            pass    # settings from another version: keep the defaults


def save_window(window):
    settings = open_settings()
    settings.setValue("window/geometry", window.saveGeometry())
    try:
        settings.setValue("training/config", json.dumps(window.panel.config().to_dict()))
        settings.setValue("training/preset", window.panel.preset_name())
    except NndrawError:
        pass    # invalid fields are not remembered
    settings.sync()
