#!/usr/bin/env python3
"""Checks an image's cosign-style signature offline with a public key, as `cosign verify
--key --offline` and Inspektor Gadget do, for hosts whose skopeo/podman cannot: Debian 12's
containers/image refuses `sigstoreSigned` policies ("sigstore disabled", docs/FLEET.md).

    verify-cosign.py LAYOUT TAG KEY.pub IDENTITY

LAYOUT is an OCI image layout holding the image TAG and its signature tag
sha256-HEX.sig (btc --oci-sign-identity writes both; `skopeo copy` carries each tag
to and from a registry). Every blob is re-hashed; the payload must name the image's
manifest digest and IDENTITY; the signature is checked with OpenSSL. One line, exit 0
when it verifies, 1 when not."""
import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile

SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json"
SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature"
REF_NAME = "org.opencontainers.image.ref.name"


class Refused(Exception):
    pass


def blob(layout, desc, what):
    digest = desc.get("digest", "")
    if not digest.startswith("sha256:") or len(digest) != 71:
        raise Refused(f"the {what} digest '{digest}' is not a sha256 digest")
    with open(os.path.join(layout, "blobs", "sha256", digest[7:]), "rb") as f:
        data = f.read()
    if "sha256:" + hashlib.sha256(data).hexdigest() != digest:
        raise Refused(f"the {what} blob {digest} does not match its digest")
    return data


def tagged(layout, index, tag):
    for m in index.get("manifests", []):
        if m.get("annotations", {}).get(REF_NAME) == tag:
            return m
    raise Refused(f"the layout has no tag '{tag}'")


def verify(layout, tag, key, identity):
    with open(os.path.join(layout, "index.json")) as f:
        index = json.load(f)
    image = tagged(layout, index, tag)
    digest = "sha256:" + hashlib.sha256(blob(layout, image, "image manifest")).hexdigest()
    sig_tag = digest.replace(":", "-") + ".sig"
    try:
        sig_manifest = json.loads(blob(layout, tagged(layout, index, sig_tag), "signature manifest"))
    except Refused:
        raise Refused(f"no signature: the layout has no tag {sig_tag}")
    layers = [l for l in sig_manifest.get("layers", []) if l.get("mediaType") == SIMPLE_SIGNING]
    if not layers:
        raise Refused(f"{sig_tag} has no {SIMPLE_SIGNING} layer")
    errors = []
    for layer in layers:
        payload = blob(layout, layer, "signature payload")
        signature = base64.b64decode(layer.get("annotations", {}).get(SIGNATURE_ANNOTATION, ""))
        with tempfile.TemporaryDirectory() as tmp:
            open(os.path.join(tmp, "payload"), "wb").write(payload)
            open(os.path.join(tmp, "sig"), "wb").write(signature)
            ok = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", key, "-rawin",
                                 "-in", os.path.join(tmp, "payload"), "-sigfile",
                                 os.path.join(tmp, "sig")], capture_output=True).returncode == 0
        if not ok:
            errors.append("the signature does not verify with " + key)
            continue
        critical = json.loads(payload).get("critical", {})
        if critical.get("type") != "cosign container image signature":
            errors.append("the payload is not a cosign container image signature")
        elif critical.get("image", {}).get("docker-manifest-digest") != digest:
            errors.append("the payload signs " + str(critical.get("image", {}).get("docker-manifest-digest")) +
                          ", not the image " + digest)
        elif critical.get("identity", {}).get("docker-reference") != identity:
            errors.append("the payload is for " + str(critical.get("identity", {}).get("docker-reference")) +
                          ", not " + identity)
        else:
            return digest
    raise Refused("; ".join(errors))


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__.split("\n\n")[1].strip())
    layout, tag, key, identity = sys.argv[1:]
    try:
        digest = verify(layout, tag, key, identity)
    except (Refused, OSError, ValueError) as e:
        print(f"verify-cosign: {layout}:{tag}: {e}")
        return 1
    print(f"verify-cosign: {layout}:{tag}: {digest} signed for {identity}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
