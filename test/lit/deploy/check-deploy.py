#!/usr/bin/env python3
"""Checks a rendered btrun DaemonSet (kubectl kustomize DIR, or the YAML files given with
--files when kubectl is absent): prints one line per property, "ok" or what is wrong, and
exits 1 when any is wrong.

usage: check-deploy.py [--expect-object PATH] (--kustomize DIR | --files FILE...)
"""
import argparse, shutil, subprocess, sys
import yaml

ap = argparse.ArgumentParser()
ap.add_argument("--expect-object", default="/objects/syscount.bto")
ap.add_argument("--kustomize")
ap.add_argument("--files", nargs="*")
a = ap.parse_args()

if a.kustomize:
    if not shutil.which("kubectl"):
        sys.exit("check-deploy: kubectl is not installed (use --files)")
    text = subprocess.run(["kubectl", "kustomize", a.kustomize], check=True, capture_output=True,
                          text=True).stdout
else:
    text = "\n---\n".join(open(f).read() for f in a.files)
docs = [d for d in yaml.safe_load_all(text) if d]
failed = False


def check(what, cond, detail=""):
    global failed
    failed |= not cond
    print(f"{what}: {'ok' if cond else 'WRONG ' + detail}")


ds = [d for d in docs if d.get("kind") == "DaemonSet"]
check("one DaemonSet", len(ds) == 1, str(len(ds)))
if not ds:
    sys.exit(1)
pod = ds[0]["spec"]["template"]
spec = pod["spec"]
c = spec["containers"][0]
sc = c.get("securityContext", {})
caps = sc.get("capabilities", {})
check("not privileged", sc.get("privileged") is False and not spec.get("hostNetwork"))
check("no privilege escalation", sc.get("allowPrivilegeEscalation") is False)
check("read-only root filesystem", sc.get("readOnlyRootFilesystem") is True)
check("capabilities: drop ALL, add BPF PERFMON DAC_READ_SEARCH",
      caps.get("drop") == ["ALL"] and sorted(caps.get("add", [])) == ["BPF", "DAC_READ_SEARCH", "PERFMON"],
      str(caps))
args = c.get("args", [])
check("NDJSON on stdout (-f json, no -o)", "json" in args and args[args.index("json") - 1] == "-f"
      and "-o" not in args, str(args))
port = next((p for p in c.get("ports", []) if p.get("name") == "metrics"), None)
metrics = args[args.index("--metrics") + 1] if "--metrics" in args else ""
check("metrics port named and served", port is not None and metrics.endswith(f":{port['containerPort']}"),
      f"{port} {metrics}")
ann = pod["metadata"].get("annotations", {})
check("metrics port discoverable (prometheus.io annotations)",
      port is not None and ann.get("prometheus.io/scrape") == "true"
      and ann.get("prometheus.io/port") == str(port["containerPort"]), str(ann))
check("signature required", "--require-signature" in args and "--trust" in args, str(args))
check("object path", args and args[-1] == a.expect_object, str(args[-1:]))
mounts = {m["mountPath"]: m for m in c.get("volumeMounts", [])}
check("every mount read-only", all(m.get("readOnly") for m in mounts.values()), str(mounts))
vols = {v["name"]: v for v in spec.get("volumes", [])}
obj_dir = a.expect_object.rsplit("/", 1)[0]
if obj_dir in mounts:
    v = vols.get(mounts[obj_dir]["name"], {})
    check("object from an image volume", "image" in v and v["image"].get("reference"), str(v))
svc = [d for d in docs if d.get("kind") == "Service"]
check("headless metrics Service", len(svc) == 1 and svc[0]["spec"].get("clusterIP") == "None")
sys.exit(1 if failed else 0)
