"""Configuration: each stage's defaults, a user's overrides merged onto them, and validation.

Defaults are declared beside the code that uses them (``@stage(..., default_config=…)``,
``@rule(..., default_config=…)``); their values say what a user may write:

- a ``dict`` is a section: only its keys are allowed, each checked recursively;
- a :class:`Table` is an open table (keys are the user's, such as indicator names), values str;
- a :class:`Choice` is a string from a fixed set;
- a ``Decimal`` takes a number or a numeric string (``"0.1"``), never a float's binary value;
- ``None`` takes a string or nothing; a list takes a list of items of its first item's type;
- ``bool``, ``int``, ``str`` take exactly that type.

>>> merge({"rate": {"enabled": True}}, {"rate": {"enabled": False}})
{'rate': {'enabled': False}}
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from jjnlp.errors import ConfigError


class Table(dict[str, str]):
    """An open table: any keys (names of the field), string values."""


class Choice(str):
    """A default string that must be one of ``options``."""

    options: tuple[str, ...]

    def __new__(cls, value: str, options: tuple[str, ...]) -> Choice:
        if value not in options:
            raise ValueError(f"{value!r} is not one of {options}")
        choice = super().__new__(cls, value)
        choice.options = options
        return choice

    def __reduce__(self) -> tuple[type, tuple[str, tuple[str, ...]]]:
        return (type(self), (str(self), self.options))


_TYPE_ZH = {bool: "布尔值（true/false）", int: "整数", str: "字符串", list: "列表", dict: "表"}


def _zh_type(value: Any) -> str:
    for kind, name in _TYPE_ZH.items():
        if type(value) is kind:
            return name
    return type(value).__name__


def _fail(source: str, where: str, expected: str, value: Any) -> ConfigError:
    return ConfigError(source, f"配置项 {where} 应为{expected}，而不是{_zh_type(value)} {value!r}")


def _value(default: Any, value: Any, where: str, source: str) -> Any:
    """``value`` checked against the kind of ``default`` (see the module docstring)."""
    if isinstance(default, Table):
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise _fail(source, where, "表（名称 = 名称）", value)
        return Table({**default, **value})
    if isinstance(default, dict):
        if not isinstance(value, Mapping):
            raise _fail(source, where, "表", value)
        return merge(default, value, where, source)
    if isinstance(default, Choice):
        if not isinstance(value, str) or value not in default.options:
            raise _fail(source, where, f"以下之一：{'、'.join(default.options)}", value)
        return Choice(value, default.options)
    if isinstance(default, Decimal):
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            raise _fail(source, where, "数字", value)
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise _fail(source, where, "数字", value) from None
    if default is None:
        if value is not None and not isinstance(value, str):
            raise _fail(source, where, "字符串", value)
        return value
    if isinstance(default, list | tuple):
        if not isinstance(value, list | tuple):
            raise _fail(source, where, "列表", value)
        item = default[0] if default else ""
        return [_value(item, v, f"{where}[{n}]", source) for n, v in enumerate(value)]
    if type(value) is not type(default):
        raise _fail(source, where, _TYPE_ZH.get(type(default), type(default).__name__), value)
    return value


def merge(
    defaults: Mapping[str, Any], user: Mapping[str, Any], where: str = "", source: str = "配置"
) -> dict[str, Any]:
    """``defaults`` with ``user`` merged onto them; an unknown key or a wrong type is a
    :class:`~jjnlp.errors.ConfigError` that names it (``source`` names the file)."""
    merged = dict(defaults)
    for key, value in user.items():
        path = f"{where}.{key}" if where else str(key)
        if key not in defaults:
            known = "、".join(defaults) or "（无）"
            raise ConfigError(source, f"未知的配置项 {path}（可用：{known}）")
        merged[key] = _value(defaults[key], value, path, source)
    return merged


def read_toml(path: str) -> dict[str, Any]:
    """A user's TOML configuration file, or a :class:`ConfigError` saying why not."""
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(path, f"无法读取配置文件（{exc.strerror}）") from exc
    except UnicodeDecodeError:
        raise ConfigError(path, "配置文件不是 UTF-8 编码") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, f"配置文件不是合法的 TOML：{exc}") from exc
