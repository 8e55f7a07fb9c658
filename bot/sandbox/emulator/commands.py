"""Commands and descriptions: set/get/deleteMyCommands with scopes, menu buttons, the bot's description,
short description and name, getChat."""

from __future__ import annotations

import copy
import re
from typing import Any, Final

from bot.sandbox.emulator.core import _EmulatorCore
from bot.sandbox.emulator.entities import utf16_len
from bot.sandbox.emulator.errors import JSONDict, _bad_request
from bot.sandbox.emulator.limits import MAX_COMMANDS
from bot.sandbox.emulator.state import _SCOPES_WITHOUT_CHAT, ScopeKey, _Ctx, _Params

_COMMAND_RE: Final = re.compile(r"^[a-z0-9_]{1,32}$")


class _CommandsMixin(_EmulatorCore):
    """Bot commands, descriptions, names, menu buttons and getChat."""

    def _scope_key(self, params: _Params) -> ScopeKey:
        scope = params.get_json("scope", error="can't parse BotCommandScope JSON object")
        if scope is None:
            return ("default",)
        return self._scope_key_of(scope)

    def _scope_key_of(self, scope: Any) -> ScopeKey:
        if isinstance(scope, str):
            scope = {"type": scope}
        if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
            raise _bad_request("can't parse BotCommandScope JSON object")
        kind = scope["type"]
        if kind in _SCOPES_WITHOUT_CHAT:
            return (kind,)
        if kind in ("chat", "chat_administrators", "chat_member"):
            chat = self._resolve_chat(scope.get("chat_id"))
            if kind == "chat_member":
                try:
                    user_id = int(scope.get("user_id") or 0)
                except (TypeError, ValueError):
                    user_id = 0
                if user_id not in self._users:
                    raise _bad_request("user not found")
                return (kind, chat.id, user_id)
            return (kind, chat.id)
        raise _bad_request("unsupported bot command scope type specified")

    def _m_set_my_commands(self, ctx: _Ctx) -> bool:
        params = ctx.params
        raw = params.get_json("commands", error="can't parse commands JSON object")
        if raw is None:
            raise _bad_request('parameter "commands" is required')
        if not isinstance(raw, list):
            raise _bad_request("can't parse commands JSON object")
        if len(raw) > MAX_COMMANDS:
            raise _bad_request("BOT_COMMANDS_TOO_MUCH")
        commands: list[JSONDict] = []
        for item in raw:
            if not isinstance(item, dict):
                raise _bad_request("can't parse BotCommand: Object expected as BotCommand")
            command, description = item.get("command"), item.get("description")
            if not isinstance(command, str):
                raise _bad_request('can\'t parse BotCommand: Field "command" must be of type String')
            if not isinstance(description, str):
                raise _bad_request('can\'t parse BotCommand: Field "description" must be of type String')
            command = command.strip().removeprefix("/")
            description = description.strip()
            if not command:
                raise _bad_request("command must be non-empty")
            if not _COMMAND_RE.match(command):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not description:
                raise _bad_request("command description must be non-empty")
            if len(description) > 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            commands.append({"command": command, "description": description})
        key = (self._scope_key(params), params.get_str("language_code") or "")
        if commands:
            self._commands[key] = commands
        else:
            self._commands.pop(key, None)
        return True

    def _m_get_my_commands(self, ctx: _Ctx) -> list[JSONDict]:
        key = (self._scope_key(ctx.params), ctx.params.get_str("language_code") or "")
        return copy.deepcopy(self._commands.get(key, []))

    def _m_delete_my_commands(self, ctx: _Ctx) -> bool:
        key = (self._scope_key(ctx.params), ctx.params.get_str("language_code") or "")
        self._commands.pop(key, None)
        return True

    def _m_set_chat_menu_button(self, ctx: _Ctx) -> bool:
        params = ctx.params
        button = params.get_json("menu_button", error="can't parse menu button JSON object")
        if button is not None and (not isinstance(button, dict) or "type" not in button):
            raise _bad_request("can't parse menu button JSON object")
        if params.has("chat_id"):
            self._resolve_chat(params.raw("chat_id")).menu_button = button
        else:
            self._default_menu_button = button
        return True

    def _m_get_chat_menu_button(self, ctx: _Ctx) -> JSONDict:
        params = ctx.params
        if params.has("chat_id"):
            button = self._resolve_chat(params.raw("chat_id")).menu_button
            return dict(button) if button else {"type": "default"}
        return dict(self._default_menu_button) if self._default_menu_button else {"type": "commands"}

    @staticmethod
    def _set_localized(store: dict[str, str], params: _Params, name: str, limit: int, error: str) -> bool:
        value = (params.get_str(name) or "").strip()
        if utf16_len(value) > limit:
            raise _bad_request(error)
        language = params.get_str("language_code") or ""
        if value:
            store[language] = value
        else:
            store.pop(language, None)
        return True

    @staticmethod
    def _get_localized(store: dict[str, str], params: _Params) -> str:
        language = params.get_str("language_code") or ""
        return store.get(language, store.get("", ""))

    def _m_set_my_description(self, ctx: _Ctx) -> bool:
        return self._set_localized(self._descriptions, ctx.params, "description", 512, "BOT_ABOUT_INVALID")

    def _m_get_my_description(self, ctx: _Ctx) -> JSONDict:
        return {"description": self._get_localized(self._descriptions, ctx.params)}

    def _m_set_my_short_description(self, ctx: _Ctx) -> bool:
        return self._set_localized(
            self._short_descriptions, ctx.params, "short_description", 120, "BOT_ABOUT_INVALID"
        )

    def _m_get_my_short_description(self, ctx: _Ctx) -> JSONDict:
        return {"short_description": self._get_localized(self._short_descriptions, ctx.params)}

    def _m_set_my_name(self, ctx: _Ctx) -> bool:
        return self._set_localized(self._names, ctx.params, "name", 64, "BOT_TITLE_INVALID")

    def _m_get_my_name(self, ctx: _Ctx) -> JSONDict:
        return {"name": self._get_localized(self._names, ctx.params) or self.bot_first_name}

    def _m_get_chat(self, ctx: _Ctx) -> JSONDict:
        chat = self._resolve_chat(ctx.params.raw("chat_id"))
        return {
            **chat.to_dict(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def commands(self, scope: Any = "default", language_code: str = "") -> list[JSONDict]:
        """The commands set for exactly this scope (a BotCommandScope dict or its type) and language."""
        return copy.deepcopy(self._commands.get((self._scope_key_of(scope), language_code), []))

    def visible_commands(self, chat_id: int, language_code: str | None = None) -> list[JSONDict]:
        """The command list a client shows in the chat, resolved through the scopes like Telegram."""
        chat = self._get_chat(chat_id)
        scopes: list[ScopeKey] = [("chat", chat.id)]
        scopes.append(("all_private_chats",) if chat.type == "private" else ("all_group_chats",))
        scopes.append(("default",))
        for scope in scopes:
            for language in ([language_code] if language_code else []) + [""]:
                commands = self._commands.get((scope, language))
                if commands:
                    return copy.deepcopy(commands)
        return []

    def bot_description(self, language_code: str = "") -> str:
        """What setMyDescription stored (for the language, falling back to the default)."""
        return self._descriptions.get(language_code, self._descriptions.get("", ""))

    def bot_short_description(self, language_code: str = "") -> str:
        """What setMyShortDescription stored (for the language, falling back to the default)."""
        return self._short_descriptions.get(language_code, self._short_descriptions.get("", ""))

    def menu_button(self, chat_id: int | None = None) -> JSONDict | None:
        """The menu button set for the chat (or the default one)."""
        if chat_id is None:
            return copy.deepcopy(self._default_menu_button)
        return copy.deepcopy(self._get_chat(chat_id).menu_button)
