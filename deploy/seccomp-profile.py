#!/usr/bin/env python3
"""Write a container runtime's default seccomp profile with bpf(2) allowed to a
container that holds CAP_BPF and perf_event_open(2) to one that holds CAP_PERFMON.

Podman's default profile (containers-common, Debian 12) allows both system calls only
with CAP_SYS_ADMIN and refuses them with EPERM otherwise, so btrun with
`--cap-add=bpf,perfmon` cannot load anything (libbpf: "Couldn't load trivial BPF
program"). Everything else in the profile is kept as it is; docs/FLEET.md, "Runner image".

    deploy/seccomp-profile.py [DEFAULT_PROFILE] > btrun-seccomp.json
    podman run --cap-drop=all --cap-add=bpf,perfmon \\
        --security-opt seccomp=btrun-seccomp.json ...
"""
import argparse
import json
import sys

# System call -> the capability that lets a container make it (Linux 5.8+).
GATES = {"bpf": "CAP_BPF", "perf_event_open": "CAP_PERFMON"}


def gate(profile):
    rules = profile.get("syscalls")
    if not isinstance(rules, list):
        raise ValueError("no \"syscalls\" list")
    out = []
    allowed = set()
    for rule in rules:
        names = rule.get("names", [])
        gated = [n for n in names if n in GATES]
        if not gated:
            out.append(rule)
            continue
        rest = dict(rule, names=[n for n in names if n not in GATES])
        if rest["names"]:
            out.append(rest)
        for name in gated:
            one = dict(rule, names=[name])
            if rule.get("action") == "SCMP_ACT_ALLOW":
                if one.get("includes", {}).get("caps") == [GATES[name]]:
                    allowed.add(name)
            else:
                # A refusal stops applying once the container holds the capability.
                excludes = dict(one.get("excludes", {}))
                caps = list(excludes.get("caps", []))
                if GATES[name] not in caps:
                    caps.append(GATES[name])
                excludes["caps"] = caps
                one["excludes"] = excludes
            out.append(one)
    for name, cap in GATES.items():
        if name not in allowed:
            out.append({"names": [name], "action": "SCMP_ACT_ALLOW", "args": [],
                        "includes": {"caps": [cap]}, "excludes": {}})
    return dict(profile, syscalls=out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("profile", nargs="?", default="/usr/share/containers/seccomp.json",
                    help="the runtime's default profile (default: podman's, %(default)s)")
    args = ap.parse_args()
    try:
        with open(args.profile) as f:
            profile = json.load(f)
        if not isinstance(profile, dict):
            raise ValueError("expected a JSON object")
        json.dump(gate(profile), sys.stdout, indent=2)
        sys.stdout.write("\n")
    except (OSError, ValueError) as e:
        sys.exit(f"seccomp-profile.py: {args.profile}: {e}")


if __name__ == "__main__":
    main()
