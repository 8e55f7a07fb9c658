"""Files: sendPhoto, sendDocument, getFile, stored files, and image dimensions (Telegram rejects a photo it
cannot decode, so the dimensions of common formats are read from their headers)."""

from __future__ import annotations

import mimetypes
import secrets
import struct
from typing import Literal

from bot.sandbox.emulator.errors import JSONDict, _bad_request
from bot.sandbox.emulator.limits import MAX_DOWNLOAD_BYTES
from bot.sandbox.emulator.messages import _MessagesMixin
from bot.sandbox.emulator.state import SentMessage, _Ctx, _Params, _StoredFile


def _image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, JPEG, GIF, WebP or BMP image, or None if it is not one."""
    size: tuple[int, int] | None = None
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24 and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        size = (width, height)
    elif data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        size = (width, height)
    elif data.startswith(b"\xff\xd8"):
        size = _jpeg_size(data)
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP" and len(data) >= 30:
        chunk = data[12:16]
        if chunk == b"VP8X":
            size = (int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1)
        elif chunk == b"VP8 ":
            width, height = struct.unpack("<HH", data[26:30])
            size = (width & 0x3FFF, height & 0x3FFF)
        elif chunk == b"VP8L":
            bits = int.from_bytes(data[21:25], "little")
            size = ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    elif data[:2] == b"BM" and len(data) >= 26:
        width, height = struct.unpack("<ii", data[18:26])
        size = (width, abs(height))
    if size is None or size[0] <= 0 or size[1] <= 0:
        return None
    return size


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker == 0xFF:
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        (segment_length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + segment_length
    return None


class _FilesMixin(_MessagesMixin):
    """sendPhoto, sendDocument, getFile."""

    def _store_file(
        self,
        data: bytes,
        kind: Literal["photo", "document"],
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        size: tuple[int, int] = (0, 0),
    ) -> _StoredFile:
        number = next(self._file_counter)
        if kind == "photo":
            path = f"photos/file_{number}.jpg"
            prefix = "AgACAgIAAxkBAA"
            mime_type = mime_type or "image/jpeg"
        else:
            suffix = ""
            if file_name and "." in file_name:
                suffix = "." + file_name.rsplit(".", 1)[1][:10]
            path = f"documents/file_{number}{suffix}"
            prefix = "BQACAgIAAxkBAA"
        stored = _StoredFile(
            file_id=prefix + secrets.token_urlsafe(36),
            file_unique_id="AgAD" + secrets.token_urlsafe(9),
            data=data,
            file_path=path,
            kind=kind,
            file_name=file_name,
            mime_type=mime_type,
            width=size[0],
            height=size[1],
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def _input_file(self, params: _Params, name: Literal["photo", "document"]) -> _StoredFile:
        value = params.raw(name)
        upload = params.files.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = params.files.get(value.removeprefix("attach://"))
            if upload is None:
                raise _bad_request(f"there is no {name} in the request")
        if upload is not None:
            if not upload.data:
                raise _bad_request("file must be non-empty")
            if name == "photo":
                size = _image_size(upload.data)
                if size is None:
                    raise _bad_request("IMAGE_PROCESS_FAILED")
                width, height = size
                if width + height > 10000 or max(width, height) > 20 * min(width, height):
                    raise _bad_request("PHOTO_INVALID_DIMENSIONS")
                return self._store_file(upload.data, "photo", size=size)
            mime_type = upload.content_type
            if not mime_type or mime_type == "application/octet-stream":
                mime_type = mimetypes.guess_type(upload.filename or "")[0] or mime_type
            return self._store_file(upload.data, "document", file_name=upload.filename, mime_type=mime_type)
        if value is None or value == "":
            raise _bad_request(f"there is no {name} in the request")
        if not isinstance(value, str):
            raise _bad_request("wrong file identifier/HTTP URL specified")
        if value.startswith(("http://", "https://")):
            raise _bad_request("failed to get HTTP URL content")
        stored = self._files.get(value.strip())
        if stored is None:
            raise _bad_request("wrong file identifier/HTTP URL specified")
        if stored.kind != name:
            raise _bad_request(f"can't use file of type {stored.kind.capitalize()} as {name.capitalize()}")
        return stored

    def _send_media(self, ctx: _Ctx, kind: Literal["photo", "document"]) -> JSONDict:
        params = ctx.params
        chat = self._resolve_chat(params.raw("chat_id"))
        raw_caption, caption = self._format_caption(params)
        markup = self._reply_markup(params)
        stored = self._input_file(params, kind)
        message = SentMessage(
            message_id=0,
            chat_id=chat.id,
            kind=kind,
            html=raw_caption,
            caption=caption.text if caption else None,
            entities=caption.entities if caption else [],
            reply_markup=markup,
            file=stored.data,
            file_id=stored.file_id,
            file_name=stored.file_name,
            mime_type=stored.mime_type,
        )
        return self._new_bot_message(ctx, chat, message)

    def _m_send_photo(self, ctx: _Ctx) -> JSONDict:
        return self._send_media(ctx, "photo")

    def _m_send_document(self, ctx: _Ctx) -> JSONDict:
        return self._send_media(ctx, "document")

    def _m_get_file(self, ctx: _Ctx) -> JSONDict:
        file_id = (ctx.params.get_str("file_id") or "").strip()
        stored = self._files.get(file_id)
        if stored is None:
            raise _bad_request("wrong file_id or the file is temporarily unavailable")
        if len(stored.data) > MAX_DOWNLOAD_BYTES:
            raise _bad_request("file is too big")
        return stored.file_json()

    def file_bytes(self, file_id: str) -> bytes:
        """The content of a stored file."""
        return self._files[file_id].data
