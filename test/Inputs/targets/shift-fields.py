#!/usr/bin/env python3
"""Writes a target description whose tracepoint fields sit BYTES further into the
record, as on a kernel whose struct trace_entry is larger (RHEL 9, PREEMPT_RT):

    shift-fields.py IN.json BYTES [FIELD...] > OUT.json

With FIELD names, only those fields move.
"""
import json
import sys

doc = json.load(open(sys.argv[1]))
shift = int(sys.argv[2])
only = set(sys.argv[3:])
for fields in doc.get("tracepoints", {}).values():
    for field in fields:
        name = field[0].split("[")[0].replace("*", " ").split()[-1]
        if not only or name in only:
            field[1] += shift
json.dump(doc, sys.stdout)
