"""SM3 / SM4 primitives and personal identifiers at rest (R14.3, R2.3)."""

from __future__ import annotations

import base64
import os

import pytest
from django.db import connection

from yiwang.core.crypto import (
    DecryptionError,
    open_text,
    seal_text,
    sm3_hex,
    sm3_hmac_hex,
    sm4_decrypt,
    sm4_encrypt,
)
from yiwang.core.pii import blind_index, decrypt, encrypt, mask_id_number, mask_name, mask_phone


def test_sm3_known_vector():
    """R14.3: SM3("abc") is the GB/T 32905 example value."""
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_sm3_hmac_depends_on_key():
    assert sm3_hmac_hex(b"k1", b"x") != sm3_hmac_hex(b"k2", b"x")
    assert len(sm3_hmac_hex(b"k1", b"x")) == 64


def test_sm4_round_trip_and_fresh_nonce():
    """R14.3: SM4-GCM decrypts what it encrypted; the same text encrypts differently."""
    key = os.urandom(16)
    text = "公民身份号码 11010519491231002X".encode()
    blob = sm4_encrypt(key, text, b"aad")
    assert sm4_decrypt(key, blob, b"aad") == text
    assert sm4_encrypt(key, text, b"aad") != blob
    assert text not in blob


def test_sm4_tampered_ciphertext_raises():
    """R14.3: one flipped bit, a wrong key or wrong associated data is refused."""
    key = os.urandom(16)
    blob = bytearray(sm4_encrypt(key, b"secret"))
    blob[14] ^= 0x01
    with pytest.raises(DecryptionError):
        sm4_decrypt(key, bytes(blob))
    good = sm4_encrypt(key, b"secret", b"a")
    with pytest.raises(DecryptionError):
        sm4_decrypt(os.urandom(16), good, b"a")
    with pytest.raises(DecryptionError):
        sm4_decrypt(key, good, b"b")
    with pytest.raises(DecryptionError):
        sm4_decrypt(key, b"short")


def test_sealed_text_carries_key_id_for_rotation():
    old, new = os.urandom(16), os.urandom(16)
    stored = seal_text("k1", old, "13800138000")
    assert stored.startswith("k1:")
    assert open_text({"k1": old, "k2": new}, stored) == "13800138000"
    with pytest.raises(DecryptionError):
        open_text({"k2": new}, stored)
    # Moving a blob under another key id fails: the key id is authenticated.
    _, _, b64 = stored.partition(":")
    with pytest.raises(DecryptionError):
        open_text({"k2": old}, f"k2:{b64}")
    assert base64.b64decode(b64)


def test_masks():
    """R14.3: identifiers are masked on screen."""
    assert mask_id_number("11010519491231002X") == "1101**********002X"
    assert mask_phone("13800138000") == "138****8000"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧**娜"
    assert mask_name("李") == "李"


def test_blind_index_normalises():
    assert blind_index("11010519491231002x ") == blind_index("11010519491231002X")
    assert blind_index("11010519491231002X") != blind_index("110105194912310021")


@pytest.mark.django_db
def test_encrypted_field_stores_ciphertext_and_reads_clear_text():
    """R2.3, R14.3: the ID number and phone never reach the database in clear."""
    from yiwang.domains.accounts.models import Person, User

    id_number, phone = "11010519491231002X", "13800138000"
    user = User.objects.create(username="p-test", kind="person")
    person = Person.objects.create(
        user=user, name="张三", id_number=id_number, id_index=blind_index(id_number), phone=phone
    )
    table = connection.ops.quote_name(Person._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(f"SELECT id_number, phone FROM {table} WHERE id = %s", [person.pk])
        raw_id, raw_phone = cur.fetchone()
    assert id_number not in raw_id and "19491231" not in raw_id
    assert phone not in raw_phone
    assert raw_id.split(":", 1)[0]
    assert decrypt(raw_id) == id_number
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.id_number, fresh.phone) == (id_number, phone)
    assert fresh.masked_id_number == "1101**********002X"
    # Looked up by the blind index, never by the clear text.
    assert Person.objects.get(id_index=blind_index(id_number.lower())).pk == person.pk


@pytest.mark.django_db
def test_encrypted_field_tampered_column_raises():
    """R14.3: a ciphertext altered in the database is refused on read, not shown garbled."""
    from yiwang.domains.accounts.models import Person, User

    user = User.objects.create(username="p-test2", kind="person")
    person = Person.objects.create(
        user=user, name="李四", id_number="11010519491231002X", id_index="x" * 64
    )
    forged = encrypt("110105194912310021")
    kid, _, b64 = forged.partition(":")
    blob = bytearray(base64.b64decode(b64))
    blob[-1] ^= 0xFF
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {connection.ops.quote_name(Person._meta.db_table)} SET id_number = %s "
            "WHERE id = %s",
            [f"{kid}:{base64.b64encode(bytes(blob)).decode()}", person.pk],
        )
    with pytest.raises(DecryptionError):
        Person.objects.get(pk=person.pk)
