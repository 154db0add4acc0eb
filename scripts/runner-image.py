#!/usr/bin/env python3
"""Writes the runner image (docs/FLEET.md, "Runner image"): btrun-static and btc objects,
FROM scratch, as an OCI image layout, the same bytes for the same inputs under
SOURCE_DATE_EPOCH (now when unset, as btc --oci-layout). No build engine needed; the
image is what deploy/Containerfile describes:

    /btrun           btrun-static, mode 0755      ENTRYPOINT ["/btrun"], USER 0
    /objects/NAME    each object, mode 0644       label dev.btc.objects: NAME -> SHA-256

    runner-image.py --btrun build/bin/btrun-static --tag TAG LAYOUT OBJECT...
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile
import time

MANIFEST = "application/vnd.oci.image.manifest.v1+json"
CONFIG = "application/vnd.oci.image.config.v1+json"
LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
INDEX = "application/vnd.oci.image.index.v1+json"
REF_NAME = "org.opencontainers.image.ref.name"


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def layer_tar(files, mtime):
    """files: (path in the image, bytes or None for a directory, mode), in this order."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for path, data, mode in files:
            info = tarfile.TarInfo(path)
            info.mtime, info.mode, info.uid, info.gid, info.uname, info.gname = mtime, mode, 0, 0, "", ""
            if data is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def gzipped(data):
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as z:
        z.write(data)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--btrun", required=True, help="the btrun-static executable")
    parser.add_argument("--tag", default="latest", help="the image's tag in the layout's index")
    parser.add_argument("layout", help="the OCI image layout to write (its index is replaced)")
    parser.add_argument("objects", nargs="+", help="btc objects, put in /objects/")
    args = parser.parse_args()

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and not epoch.isdigit():
        sys.exit(f"runner-image: SOURCE_DATE_EPOCH='{epoch}' is not a number of seconds")
    mtime = int(epoch) if epoch is not None else int(time.time())
    created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(mtime))

    files = [("btrun", open(args.btrun, "rb").read(), 0o755), ("objects", None, 0o755)]
    digests = {}
    for path in sorted(args.objects, key=os.path.basename):
        name = os.path.basename(path)
        if name in digests:
            sys.exit(f"runner-image: two objects named '{name}'")
        data = open(path, "rb").read()
        digests[name] = hashlib.sha256(data).hexdigest()
        files.append(("objects/" + name, data, 0o644))
    tar = layer_tar(files, mtime)

    blobs = os.path.join(args.layout, "blobs", "sha256")
    os.makedirs(blobs, exist_ok=True)

    def put(data, media_type):
        digest = hashlib.sha256(data).hexdigest()
        with open(os.path.join(blobs, digest), "wb") as f:
            f.write(data)
        return {"mediaType": media_type, "digest": "sha256:" + digest, "size": len(data)}

    layer = put(gzipped(tar), LAYER)
    config = put(canonical({
        "architecture": "amd64", "os": "linux", "created": created,
        "config": {"Entrypoint": ["/btrun"], "User": "0", "WorkingDir": "/",
                   "Labels": {"dev.btc.objects": canonical(digests).decode()}},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(tar).hexdigest()]},
        "history": [{"created": created, "created_by": "scripts/runner-image.py"}],
    }), CONFIG)
    manifest = put(canonical({"schemaVersion": 2, "mediaType": MANIFEST, "config": config,
                              "layers": [layer]}), MANIFEST)
    manifest["annotations"] = {REF_NAME: args.tag}
    with open(os.path.join(args.layout, "oci-layout"), "wb") as f:
        f.write(canonical({"imageLayoutVersion": "1.0.0"}))
    with open(os.path.join(args.layout, "index.json"), "wb") as f:
        f.write(canonical({"schemaVersion": 2, "mediaType": INDEX, "manifests": [manifest]}))
    print(f"{args.layout}:{args.tag}: {manifest['digest']}")


if __name__ == "__main__":
    main()
