"""Where the window remembers its geometry and the last settings: one INI file per user,
organisation "nndraw". Tests point QSettings' IniFormat user path at a temporary folder."""

from PySide6.QtCore import QSettings

ORGANIZATION = APPLICATION = "nndraw"


def open_settings():
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                     ORGANIZATION, APPLICATION)
