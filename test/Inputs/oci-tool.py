#!/usr/bin/env python3
"""Looks into and edits the one image of an OCI layout for the tests (test/lit/btc/oci-layout.test,
test/lit/btrun/oci.test). An edit re-digests the config, manifest and index consistently, so
that only the edit differs.
usage: oci-tool.py summary DIR          (media types, tag, created, labels)
       oci-tool.py layer DIR OUT        (copies the layer blob to OUT)
       oci-tool.py drop DIR LABEL | oci-tool.py set DIR LABEL VALUE
       oci-tool.py flip DIR manifest|config|layer   (flips one byte of that blob)"""
import hashlib
import json
import os
import sys


def blob(layout, digest):
    with open(os.path.join(layout, "blobs", "sha256", digest.split(":", 1)[1]), "rb") as f:
        return f.read()


def put(layout, data):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    with open(os.path.join(layout, "blobs", "sha256", digest.split(":", 1)[1]), "wb") as f:
        f.write(data)
    return digest, len(data)



def image(layout):
    with open(os.path.join(layout, "index.json")) as f:
        index = json.load(f)
    manifest = json.loads(blob(layout, index["manifests"][0]["digest"]))
    config = json.loads(blob(layout, manifest["config"]["digest"]))
    return index, manifest, config


def path_of(layout, digest):
    return os.path.join(layout, "blobs", "sha256", digest.split(":", 1)[1])


action, layout = sys.argv[1:3]
index, manifest, config = image(layout)
labels = config["config"]["Labels"]
if action == "summary":
    print(index["manifests"][0]["mediaType"], index["manifests"][0].get("annotations"))
    print(manifest["config"]["mediaType"])
    for layer in manifest["layers"]:
        print(layer["mediaType"])
    print(config["created"], sorted(labels))
    for key in sorted(labels):
        print(key, labels[key])
elif action == "layer":
    with open(sys.argv[3], "wb") as f:
        f.write(blob(layout, manifest["layers"][0]["digest"]))
elif action == "flip":
    which = sys.argv[3]
    digest = {"manifest": index["manifests"][0]["digest"], "config": manifest["config"]["digest"],
              "layer": manifest["layers"][0]["digest"]}[which]
    data = bytearray(blob(layout, digest))
    data[len(data) // 2] ^= 1
    with open(path_of(layout, digest), "wb") as f:
        f.write(data)
else:
    if action == "drop":
        del labels[sys.argv[3]]
    else:
        labels[sys.argv[3]] = sys.argv[4]
    manifest["config"]["digest"], manifest["config"]["size"] = put(layout, json.dumps(config).encode())
    index["manifests"][0]["digest"], index["manifests"][0]["size"] = put(layout, json.dumps(manifest).encode())
    with open(os.path.join(layout, "index.json"), "w") as f:
        json.dump(index, f)
