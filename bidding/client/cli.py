"""yizhan-client: make a signing key, enrol it for a certificate, make and register a tender's
opening key. Talks to the server's API with a Bearer token; keys never leave this machine.

  yizhan-client --server URL keygen --out signing-key.json
  yizhan-client --server URL enroll --key signing-key.json --purpose bidder --out certificate.pem
  yizhan-client --server URL custodian-key --tender T --key signing-key.json \\
                --certificate certificate.pem --out opening-key-T.json [--replace [--reason TEXT]]
  yizhan-client --server URL custodian-confirm --tender T --key signing-key.json \\
                --certificate certificate.pem --opening-key opening-key-T.json
                (keeps the signed confirmation in opening-key-T.json.confirmation.json for custodian open)

Authentication: --token (or YIZHAN_TOKEN), or --username with the password from YIZHAN_PASSWORD or a
prompt (and, for roles with a second factor, the authenticator code from YIZHAN_OTP or a prompt).
Passphrases of key files: YIZHAN_PASSPHRASE or a prompt."""

import os

# Before any project import: the client runs on its own minimal settings (no server on a bidder's machine).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bidding.client.settings")

import argparse
import datetime as dt
import getpass
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from bidding.client import bid, crypto, custodian_open
from ledger.encoding import b64u_encode, format_time, jcs

# A bidder certificate names its supplier as organizationIdentifier "NTRCN-" + credit code (suppliers/ca.py).
ORGANIZATION_IDENTIFIER_PREFIX = "NTRCN-"


class ClientError(Exception):
    """A refusal to report to the person and exit non-zero."""


class SecondFactorNeeded(ClientError):
    """The account's role needs an authenticator code with the password."""


class Api:
    def __init__(self, server: str, token: str | None, username: str | None) -> None:
        self.http = httpx.Client(base_url=server.rstrip("/"), timeout=30.0)
        if not token and username:
            password = os.environ.get("YIZHAN_PASSWORD") or getpass.getpass(f"Password for {username}: ")
            credentials = {"username": username, "password": password}
            if os.environ.get("YIZHAN_OTP"):
                credentials["otp"] = os.environ["YIZHAN_OTP"]
            try:
                token = self._call("POST", "/api/accounts/token/", json=credentials)["token"]
            except SecondFactorNeeded:
                if "otp" in credentials:
                    raise
                credentials["otp"] = getpass.getpass("Authenticator code: ")
                token = self._call("POST", "/api/accounts/token/", json=credentials)["token"]
        if not token:
            raise ClientError("give --token (or YIZHAN_TOKEN), or --username")
        self.http.headers["Authorization"] = f"Bearer {token}"

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise ClientError(f"cannot reach the server: {exc}") from None
        if response.status_code >= 400:
            try:
                body = response.json()
                message = f"{body.get('message')} ({body.get('code')})"
            except ValueError:
                body, message = {}, response.text[:300]
            if isinstance(body, dict) and body.get("code") == "second_factor_required":
                raise SecondFactorNeeded(f"the server refused ({response.status_code}): {message}")
            raise ClientError(f"the server refused ({response.status_code}): {message}")
        return response.json()

    def get(self, path: str) -> Any:
        return self._call("GET", path)

    def post(self, path: str, body: dict[str, Any]) -> Any:
        return self._call("POST", path, json=body)

    def put_bytes(self, path: str, data: bytes, headers: dict[str, str]) -> Any:
        return self._call(
            "PUT", path, content=data, headers={"Content-Type": "application/octet-stream", **headers}
        )


def _passphrase(prompt: str, *, confirm: bool = False) -> str:
    value = os.environ.get("YIZHAN_PASSPHRASE")
    if value:
        return value
    value = getpass.getpass(prompt)
    if confirm and getpass.getpass("Repeat it: ") != value:
        raise ClientError("the two passphrases differ")
    if confirm and len(value) < 12:
        raise ClientError("use a passphrase of at least 12 characters")
    return value


def _write_new(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write a file readable only by its owner; never overwrite a key unless told to."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise ClientError(f"{path} exists; choose another file (or --force)") from None
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _read_signing_key(path: Path) -> Any:
    try:
        return crypto.key_file_read(
            path.read_bytes(), kind=crypto.SIGNING_KEY_TYPE, passphrase=_passphrase(f"Passphrase of {path}: ")
        )
    except (OSError, ValueError) as exc:
        raise ClientError(f"cannot use {path}: {exc}") from None


def cmd_keygen(args: argparse.Namespace) -> None:
    key = crypto.key_generate()
    data = crypto.key_file_write(
        key,
        kind=crypto.SIGNING_KEY_TYPE,
        passphrase=_passphrase("New passphrase for the key file: ", confirm=True),
    )
    _write_new(Path(args.out), json.dumps(data, indent=2).encode(), force=args.force)
    print(f"signing key written to {args.out}")
    print(f"public key: {data['key']}")


def _chain_check(certificate: x509.Certificate, chain_pem: str, pinned_root: Path | None) -> x509.Certificate:
    """The certificate must be issued by the issuing CA, itself issued by the root; the root must be
    the pinned one when --ca is given."""
    issuing, root = x509.load_pem_x509_certificates(chain_pem.encode())
    try:
        certificate.verify_directly_issued_by(issuing)
        issuing.verify_directly_issued_by(root)
    except Exception as exc:  # noqa: BLE001 — any failure means the chain does not hold
        raise ClientError(f"the certificate does not verify against the platform CA: {exc}") from None
    if pinned_root is not None:
        pinned = x509.load_pem_x509_certificate(pinned_root.read_bytes())
        if pinned.public_bytes(serialization.Encoding.DER) != root.public_bytes(serialization.Encoding.DER):
            raise ClientError("the server's root CA is not the one given with --ca")
    return root


def cmd_enroll(args: argparse.Namespace, api: Api) -> None:
    key = _read_signing_key(Path(args.key))
    point = b64u_encode(crypto.point_of(key))
    challenge = api.post("/api/suppliers/certificates/challenge/", {"purpose": args.purpose})
    signature = crypto.sign(key, "YZ/enroll", jcs({"challenge": challenge, "key": point}))
    issued = api.post(
        "/api/suppliers/certificates/", {"challenge": challenge, "key": point, "signature": signature}
    )
    certificate = x509.load_pem_x509_certificate(issued["certificate_pem"].encode())
    if crypto.point_of(certificate.public_key()) != crypto.point_of(key):  # type: ignore[arg-type]
        raise ClientError("the server certified another key")
    der = certificate.public_bytes(serialization.Encoding.DER)
    fingerprint = b64u_encode(hashlib.sha256(der).digest())
    if fingerprint != issued["fingerprint"]:
        raise ClientError("the certificate's fingerprint is not what the server says")
    root = _chain_check(
        certificate, api.get("/api/suppliers/ca/chain/")["chain_pem"], Path(args.ca) if args.ca else None
    )
    _write_new(Path(args.out), certificate.public_bytes(serialization.Encoding.PEM), force=args.force)
    print(f"certificate written to {args.out}")
    print(f"subject: {certificate.subject.rfc4514_string()}")
    print(f"fingerprint (signer): {fingerprint}")
    if not args.ca:
        root_fp = b64u_encode(hashlib.sha256(root.public_bytes(serialization.Encoding.DER)).digest())
        print(f"root CA fingerprint: {root_fp} (compare it with the published one, or pass --ca next time)")


def cmd_custodian_key(args: argparse.Namespace, api: Api) -> None:
    signing_key = _read_signing_key(Path(args.key))
    certificate = x509.load_pem_x509_certificate(Path(args.certificate).read_bytes())
    if crypto.point_of(certificate.public_key()) != crypto.point_of(signing_key):  # type: ignore[arg-type]
        raise ClientError("the certificate is not for this signing key")
    signer = b64u_encode(hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).digest())
    assignment = api.get(f"/api/suppliers/custodian-keys/{args.tender}/")
    registered = assignment.get("registration")
    if registered and not args.replace:
        raise ClientError(
            f"you already registered opening key {registered['registration']['key_id']} for "
            f"{args.tender}; if you lost its file or passphrase, replace it with --replace "
            "(only before the tender is published)"
        )
    if args.replace and not registered:
        raise ClientError(
            f"you have not registered an opening key for {args.tender}; there is nothing to replace"
        )
    if args.replace and not assignment.get("replaceable", True):
        raise ClientError(
            f"tender {args.tender} is published: bidders seal to the keys in its notice, so your opening "
            "key can no longer be replaced"
        )
    out = Path(args.out)
    opening_key = crypto.key_generate()
    passphrase = _passphrase(f"New passphrase for {out}: ", confirm=True)
    key_file = crypto.key_file_write(
        opening_key, kind=crypto.CUSTODIAN_KEY_TYPE, passphrase=passphrase, tender=args.tender
    )
    # The file is written before registering, so a registered key is never one that was lost.
    _write_new(out, json.dumps(key_file, indent=2).encode(), force=args.force)
    crypto.key_file_read(
        out.read_bytes(), kind=crypto.CUSTODIAN_KEY_TYPE, passphrase=passphrase, tender=args.tender
    )  # raises if the file cannot be read back
    envelope = crypto.opening_key_registration(
        tender=args.tender,
        index=assignment["index"],
        opening_key=opening_key,
        signing_key=signing_key,
        signer=signer,
        created=format_time(dt.datetime.now(dt.UTC)),
    )
    if args.replace:
        api.post(
            f"/api/suppliers/custodian-keys/{args.tender}/replace/", {**envelope, "reason": args.reason or ""}
        )
        print(
            f"opening key {registered['registration']['key_id']} replaced by {key_file['key_id']} for tender "
            f"{args.tender}; its private key is in {out}. Every custodian, you included, must run "
            "custodian-confirm again."
        )
        return
    api.post(f"/api/suppliers/custodian-keys/{args.tender}/", envelope)
    print(
        f"opening key {key_file['key_id']} registered for tender {args.tender} as custodian "
        f"{assignment['index']}; its private key is in {out} (keep the file and the passphrase safe)"
    )


def cmd_custodian_confirm(args: argparse.Namespace, api: Api) -> None:
    """Sign the tender's custodian list, threshold, deadline and share window once every key is in."""
    signing_key = _read_signing_key(Path(args.key))
    certificate = x509.load_pem_x509_certificate(Path(args.certificate).read_bytes())
    signer = b64u_encode(hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).digest())
    assignment = api.get(f"/api/suppliers/custodian-keys/{args.tender}/?signer={signer}")
    expected = assignment.get("confirmation_to_sign")
    if not expected:
        raise ClientError("not every custodian has registered an opening key yet")
    print(
        f"tender {expected['tender']}: threshold {expected['threshold']} of {len(expected['custodians'])}, "
        f"deadline {expected['deadline']}, share window {expected['share_window_s']} s"
    )
    for custodian in expected["custodians"]:
        print(f"  custodian {custodian['index']}: key {custodian['key_id']}")
    if args.opening_key:  # check our own registered key is the one in the file we keep
        passphrase = _passphrase(f"Passphrase of {args.opening_key}: ")
        mine = crypto.key_file_read(
            Path(args.opening_key).read_bytes(),
            kind=crypto.CUSTODIAN_KEY_TYPE,
            passphrase=passphrase,
            tender=args.tender,
        )
        listed = {c["index"]: c["key_id"] for c in expected["custodians"]}
        if listed.get(assignment["index"]) != crypto.key_id(crypto.point_of(mine)):
            raise ClientError("the list does not carry the opening key in your key file")
    envelope = crypto.custodian_confirmation(
        tender=expected["tender"],
        custodians=expected["custodians"],
        threshold=expected["threshold"],
        deadline=expected["deadline"],
        share_window_s=expected["share_window_s"],
        signer=signer,
        signing_key=signing_key,
    )
    # Kept before it is sent: the latest confirmation you signed is what `custodian open` holds the
    # seal's deadline to, even if the answer to this request is lost.
    kept = custodian_open.confirmation_path(args)
    custodian_open.confirmation_keep(kept, envelope)
    api.post(f"/api/suppliers/custodian-keys/{args.tender}/confirm/", envelope)
    print(f"confirmation signed for tender {args.tender}; kept in {kept}")
    if not args.opening_key and not args.confirmation:
        print(f"  (give --confirmation {kept} to custodian open, or it uses your confirmation in the ledger)")


def _signer_of(path: Path, signing_key: Any) -> tuple[str, str]:
    """(SB1 signer fingerprint, supplier credit code) of a bidder certificate for this signing key."""
    from cryptography.x509.oid import NameOID

    certificate = x509.load_pem_x509_certificate(path.read_bytes())
    if crypto.point_of(certificate.public_key()) != crypto.point_of(signing_key):  # type: ignore[arg-type]
        raise ClientError("the certificate is not for this signing key")
    ids = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)
    if not ids:
        raise ClientError("this is not a bidder certificate (it names no supplier)")
    supplier = str(ids[0].value).removeprefix(ORGANIZATION_IDENTIFIER_PREFIX)
    return b64u_encode(
        hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).digest()
    ), supplier


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="yizhan-client", description="Yizhan bidder and custodian tool")
    p.add_argument("--server", default=os.environ.get("YIZHAN_SERVER", "http://127.0.0.1:8000"))
    p.add_argument("--token", default=os.environ.get("YIZHAN_TOKEN"))
    p.add_argument("--username", default=os.environ.get("YIZHAN_USERNAME"))
    sub = p.add_subparsers(dest="command", required=True)
    k = sub.add_parser("keygen", help="make a P-256 signing key in a passphrase-protected file")
    k.add_argument("--out", required=True)
    k.add_argument("--force", action="store_true", help="overwrite an existing file")
    e = sub.add_parser("enroll", help="prove possession of the signing key and receive its certificate")
    e.add_argument("--key", required=True, help="signing key file (from keygen or the browser's backup)")
    e.add_argument("--purpose", choices=["bidder", "custodian"], default="bidder")
    e.add_argument("--out", required=True, help="where to write the certificate (PEM)")
    e.add_argument("--ca", help="the platform root CA (PEM) to pin")
    e.add_argument("--force", action="store_true")
    c = sub.add_parser("custodian-key", help="make and register your opening key for a tender")
    c.add_argument("--tender", required=True)
    c.add_argument("--key", required=True, help="your signing key file")
    c.add_argument("--certificate", required=True, help="your custodian certificate (PEM)")
    c.add_argument("--out", required=True, help="where to write the opening key file")
    c.add_argument("--force", action="store_true")
    c.add_argument(
        "--replace",
        action="store_true",
        help="replace the key you registered (file or passphrase lost); only before publication, "
        "and every custodian must confirm again",
    )
    c.add_argument("--reason", help="with --replace: why (kept on record, not published)")
    f = sub.add_parser("custodian-confirm", help="sign the tender's custodian list, threshold and deadline")
    f.add_argument("--tender", required=True)
    f.add_argument("--key", required=True, help="your signing key file")
    f.add_argument("--certificate", required=True, help="your custodian certificate (PEM)")
    f.add_argument("--opening-key", help="your opening key file, to check the list carries its key")
    f.add_argument(
        "--confirmation",
        help="where to keep the signed confirmation for custodian open (default: beside the opening key "
        "file, else confirmation-TENDER.json here); a later confirmation replaces it",
    )
    bid.add_parser(sub)
    custodian_open.add_parser(sub)
    return p


def _messages_without_a_server() -> None:
    """Ready the client's minimal settings (bidding/client/settings.py) so shared SB1 refusals render."""
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def main(argv: list[str] | None = None) -> int:
    _messages_without_a_server()
    args = parser().parse_args(argv)
    try:
        if args.command == "keygen":
            cmd_keygen(args)
            return 0
        api = Api(args.server, args.token, args.username)
        if args.command == "bid":
            bid.COMMANDS[args.bid_command](args, api, _read_signing_key, _signer_of)
            return 0
        if args.command == "custodian":
            args.handler(args, api)
            return 0
        commands = {
            "enroll": cmd_enroll,
            "custodian-key": cmd_custodian_key,
            "custodian-confirm": cmd_custodian_confirm,
        }
        commands[args.command](args, api)
    except (ClientError, bid.BidClientError) as exc:
        print(f"yizhan-client: {exc}", file=sys.stderr)
        return 1
    # A person's mistakes and interruptions get one clear line, not a traceback.
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        print(f"yizhan-client: cannot use{where}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except EOFError:
        print(
            "yizhan-client: a password, passphrase or code is needed and there is no terminal to ask on "
            "(set YIZHAN_PASSWORD, YIZHAN_PASSPHRASE or YIZHAN_OTP)",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("yizhan-client: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
