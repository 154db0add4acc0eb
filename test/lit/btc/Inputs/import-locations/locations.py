# Prints the locations of a manifest (read from stdin) one per line, for FileCheck.
import json
import sys

m = json.load(sys.stdin)
print("imports", m["source"].get("imports", []))
for p in m["probes"]:
    print("probe", p["text"], "file", p.get("file", 0), "line", p["line"])
    for a in p["attachments"]:
        for f in a.get("fields", []):
            print("  field", f["name"], "file", f.get("file", 0), "line", f["line"], "col", f["col"])
for e in m["events"]:
    print("event", e["kind"], "file", e.get("file", 0), "line", e["line"], "col", e["col"])
