"""A minimal SMTP server on a localhost port that records what it is sent, so the
real aiosmtplib client is tested over a real socket."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message


@dataclass
class FakeSmtp:
    port: int = 0
    messages: list[Message] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    #: answer 550 to every RCPT (a refusing server)
    refuse: bool = False

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async def reply(line: str) -> None:
            writer.write(line.encode() + b"\r\n")
            await writer.drain()

        await reply("220 fake-smtp ready")
        sender, recipients = "", []
        while line := await reader.readline():
            command = line.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                await reply("250-fake-smtp")
                await reply("250 8BITMIME")
            elif verb == "MAIL":
                address = command.split(":", 1)[1].strip().split(" ", 1)[0]  # drop BODY=...
                sender, recipients = address.strip("<>"), []
                await reply("250 OK")
            elif verb == "RCPT":
                if self.refuse:
                    await reply("550 mailbox unavailable")
                    continue
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                await reply("250 OK")
            elif verb == "DATA":
                await reply("354 end with .")
                body = b""
                while (chunk := await reader.readline()) not in (b".\r\n", b""):
                    body += chunk[1:] if chunk.startswith(b"..") else chunk
                self.messages.append(message_from_bytes(body))
                self.envelopes.append((sender, recipients))
                await reply("250 queued")
            elif verb == "QUIT":
                await reply("221 bye")
                break
            else:
                await reply("250 OK")
        writer.close()


@asynccontextmanager
async def fake_smtp() -> AsyncIterator[FakeSmtp]:
    fake = FakeSmtp()
    server = await asyncio.start_server(fake._session, "127.0.0.1", 0)
    fake.port = server.sockets[0].getsockname()[1]
    try:
        yield fake
    finally:
        server.close()
        await server.wait_closed()
