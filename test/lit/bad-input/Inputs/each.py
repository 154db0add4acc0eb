#!/usr/bin/env python3
"""Runs a command on every .bto file of a directory and says how each one ended.

  each.py DIR CMD ARGS...      ('{}' in ARGS is replaced by the file's path)

One line per file, in name order:
  <file>: exit=<status> errors=<n> other=<m>: <first stderr line, the path as FILE>
where errors counts stderr lines that start with "<tool>: error: " and other counts
every other line on stderr (a sanitizer report, a second message format, a crash).
Then a summary a test can check:
  summary: N inputs, R refused cleanly, B not
"Refused cleanly" means exit status 1, at least one error line, no other stderr
line and nothing on stdout.
"""
import os
import subprocess
import sys


def main(argv):
    directory, cmd = argv[1], argv[2:]
    tool = os.path.basename(cmd[0])
    files = sorted(f for f in os.listdir(directory) if f.endswith(".bto"))
    clean = 0
    for f in files:
        path = os.path.join(directory, f)
        args = [a.replace("{}", path) for a in cmd]
        p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        err = p.stderr.decode("utf-8", "backslashreplace").splitlines()
        errors = [l for l in err if l.startswith(tool + ": error: ")]
        other = [l for l in err if not l.startswith(tool + ": error: ")]
        first = (err[0] if err else "").replace(path, "FILE")
        ok = p.returncode == 1 and errors and not other and not p.stdout
        clean += bool(ok)
        print("%s: exit=%d errors=%d other=%d: %s" % (f, p.returncode, len(errors), len(other), first))
        for l in other[:20]:
            print("  | " + l)
    print("summary: %d inputs, %d refused cleanly, %d not" % (len(files), clean, len(files) - clean))


if __name__ == "__main__":
    main(sys.argv)
