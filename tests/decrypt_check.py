#!/usr/bin/env python3
"""Independent decryption of a kpsite encrypted build (SPEC §6), written from
the README's construction with Python `cryptography`, sharing no code with
kpsite or unlock.js.

    decrypt_check.py PUBLIC_DIR UNLOCK_URL PAGE

PAGE is an output path such as courses/intro-rust/ownership/index.html.
Opens the keystore the unlock link names, takes the key it grants for the
page's sealed part, decrypts it and prints the plaintext HTML. Exit 0 on
success, 3 when the link opens no keystore or grants no key for the page,
4 when decryption fails.
"""
import base64
import json
import re
import sys
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.exceptions import InvalidTag


def hkdf(key: bytes, info: str, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=b"", info=info.encode()).derive(key)


def open_sealed(key: bytes, aad: str, sealed_b64: str) -> bytes:
    raw = base64.b64decode(sealed_b64.strip())
    return AESGCM(key).decrypt(raw[:12], raw[12:], aad.encode())


def main() -> int:
    public, url, page = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    token = url.split("#", 1)[1]
    offer_key = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert len(offer_key) == 32, "an unlock token is 32 bytes"
    store_id = hkdf(offer_key, "kpsite keystore id", 16).hex()
    store_path = f"unlock/{store_id}.json"
    store_file = public / store_path
    if not store_file.is_file():
        print(f"no keystore {store_path} for this link", file=sys.stderr)
        return 3
    sealed = json.loads(store_file.read_text())["sealed"]
    try:
        store = json.loads(open_sealed(hkdf(offer_key, "kpsite keystore key", 32), store_path, sealed))
    except InvalidTag:
        print("the keystore does not open with this link", file=sys.stderr)
        return 4
    html = (public / page).read_text()
    m = re.search(r'<script type="application/octet-stream" data-kpsite-sealed="([^"]+)" '
                  r'data-kpsite-aad="([^"]+)">([^<]*)</script>', html)
    if not m:
        print(f"{page} has no sealed part", file=sys.stderr)
        return 3
    which, aad, blob = m.groups()
    if which == "members":
        key_b64 = store.get("members")
    else:
        course = which.removeprefix("course:")
        key_b64 = next((c["key"] for c in store["courses"] if c["id"] == course), None)
    if key_b64 is None:
        print(f"offer {store['offer']} grants no key for {which}", file=sys.stderr)
        return 3
    try:
        sys.stdout.write(open_sealed(base64.b64decode(key_b64), aad, blob).decode())
    except InvalidTag:
        print("decryption failed", file=sys.stderr)
        return 4
    return 0


if __name__ == "__main__":
    sys.exit(main())
