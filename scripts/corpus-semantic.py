#!/usr/bin/env python3
"""Compiles a transcribed corpus of small programs with btc and tabulates the verdicts.

Each corpus line is `VERDICT<TAB>PROGRAM[<TAB>ARGS]`: VERDICT is A (the reference accepts
it), R (it refuses it) or U (accepts with --unsafe); lines starting with '#' name a group.
A refusal counts as located only when btc's first diagnostic has the form file:line:col.
A crash (signal, or no diagnostic on failure) is reported separately.
"""
import argparse, os, re, subprocess, sys, tempfile

LOCATED = re.compile(r'^[^\s:]+:\d+:\d+: error: ', re.M)

def entries(paths):
    for path in paths:
        group = os.path.basename(path)
        for number, line in enumerate(open(path), 1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            if line.startswith("#"):
                group = line[1:].strip()
                continue
            fields = line.split("\t")
            yield group, f"{os.path.basename(path)}:{number}", fields[0], fields[1], \
                fields[2].split() if len(fields) > 2 else []

def compile_program(btc, program, args, target):
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "prog.bt")
        open(script, "w").write(program.replace("<NL>", "\n") + "\n")
        command = [btc, script, "-o", os.path.join(tmp, "out.bto")]
        if target:
            command += ["--target", target]
        try:
            done = subprocess.run(command + args, capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            return "timeout", ""
        text = done.stderr.strip()
        if done.returncode == 0:
            return "accepted", text
        if done.returncode < 0 or "Assertion" in text or "Stack dump" in text:
            return "crash", text
        if "not supported yet" in text and LOCATED.search(text):
            return "unsupported", text
        return ("refused" if LOCATED.search(text) else "unlocated"), text

def oracle_verdict(bpftrace, program, args):
    """What a bpftrace binary (0.17: upper-case BEGIN/END) says in its dry run (-d)."""
    spelled = re.sub(r'\bbegin\b', 'BEGIN', re.sub(r'\bend\b', 'END', program))
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "prog.bt")
        open(script, "w").write(spelled.replace("<NL>", "\n") + "\n")
        try:
            done = subprocess.run([bpftrace, "-d", script] + args, capture_output=True,
                                  text=True, timeout=60)
        except subprocess.TimeoutExpired:
            return "timeout"
        errors = [l for l in (done.stdout + done.stderr).splitlines()
                  if "ERROR" in l and "RLIMIT_MEMLOCK" not in l]
        return "accepts" if done.returncode == 0 else \
            "refuses: " + (errors[0] if errors else "rc=%d" % done.returncode)

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="+")
    parser.add_argument("--btc", default=os.path.join(os.path.dirname(__file__), "../build/bin/btc"))
    parser.add_argument("--target")
    parser.add_argument("--all", action="store_true", help="print agreeing programs too")
    parser.add_argument("--oracle", help="a bpftrace binary (0.17) to ask about each mismatch")
    options = parser.parse_args()
    totals = {}
    for group, where, verdict, program, args in entries(options.corpus):
        outcome, text = compile_program(options.btc, program, args, options.target)
        expected_accept = verdict in ("A", "U")
        agree = (outcome == "accepted") == expected_accept or \
            (expected_accept and outcome == "unsupported")
        kind = f"{verdict}/{outcome}"
        totals[kind] = totals.get(kind, 0) + 1
        if options.all or not agree or outcome in ("crash", "unlocated", "timeout"):
            first = text.splitlines()[0] if text else ""
            print(f"{where}\t[{group}]\t{kind}\t{program}\t{' '.join(args)}\n\t{first}")
            if options.oracle and not agree:
                print(f"\t0.17 {oracle_verdict(options.oracle, program, args)}")
    for kind in sorted(totals):
        print(f"{kind}: {totals[kind]}", file=sys.stderr)

if __name__ == "__main__":
    main()
