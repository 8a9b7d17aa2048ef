"""A notifier adapter for the scale-out test: one line per delivery, appended
to the file named by YIWANG_TEST_DELIVERY_LOG (O_APPEND keeps lines from
several processes whole), so the test can count deliveries per message."""

from __future__ import annotations

import json
import os


class FileNotifier:
    def send(
        self, *, notification_id: int, user_id: int, phone: str, email: str, title: str, body: str
    ) -> None:
        line = json.dumps({"id": notification_id, "user": user_id, "pid": os.getpid()}) + "\n"
        fd = os.open(
            os.environ["YIWANG_TEST_DELIVERY_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600
        )
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)
