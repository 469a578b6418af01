"""A Qt list model over a plain list of dicts, changed row by row (views never reload)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QByteArray, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class DictListModel(QAbstractListModel):
    """Rows are dicts with the same keys (the roles QML sees); `key` identifies a row."""

    def __init__(self, roles: Sequence[str], key: str, parent: Any = None) -> None:
        super().__init__(parent)
        self._roles = {Qt.ItemDataRole.UserRole + i: name.encode() for i, name in enumerate(roles)}
        self._by_name = {name.decode(): role for role, name in self._roles.items()}
        self._key = key
        self.rows: list[dict[str, Any]] = []

    def roleNames(self) -> dict[int, QByteArray]:
        return {role: QByteArray(name) for role, name in self._roles.items()}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        name = self._roles.get(role)
        return self.rows[index.row()].get(name.decode()) if name else None

    def reset(self, rows: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = [dict(r) for r in rows]
        self.endResetModel()

    def sync(self, rows: Sequence[dict[str, Any]]) -> None:
        """Hold `rows`: when the keys are the same and in the same order, only the fields that
        differ are changed in place (a view keeps its delegates and its scroll); else reset."""
        if [r[self._key] for r in rows] != [r[self._key] for r in self.rows]:
            self.reset(rows)
            return
        for old, new in zip(self.rows, rows, strict=True):
            changes = {k: v for k, v in new.items() if old.get(k) != v}
            if changes:
                self.update(new[self._key], **changes)

    def find(self, key: Any) -> int:
        return next((i for i, r in enumerate(self.rows) if r[self._key] == key), -1)

    def update(self, key: Any, **changes: Any) -> bool:
        """Change some fields of the row with this key; False when there is no such row."""
        row = self.find(key)
        if row < 0:
            return False
        self.rows[row].update(changes)
        index = self.index(row, 0)
        self.dataChanged.emit(index, index, [self._by_name[name] for name in changes])
        return True

    def prepend(self, row: dict[str, Any], limit: int) -> None:
        """Add a row on top, keeping at most `limit` rows."""
        self.beginInsertRows(QModelIndex(), 0, 0)
        self.rows.insert(0, dict(row))
        self.endInsertRows()
        if len(self.rows) > limit:
            self.beginRemoveRows(QModelIndex(), limit, len(self.rows) - 1)
            del self.rows[limit:]
            self.endRemoveRows()

    def upsert(self, row: dict[str, Any]) -> None:
        if not self.update(row[self._key], **row):
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
            self.rows.append(dict(row))
            self.endInsertRows()

    def remove(self, key: Any) -> None:
        row = self.find(key)
        if row >= 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.rows[row]
            self.endRemoveRows()
