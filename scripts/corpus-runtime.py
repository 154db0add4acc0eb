#!/usr/bin/env python3
"""Compiles and runs a transcribed corpus of upstream-style runtime tests with btc + btrun
and tabulates compile / run / match counts.

A corpus file holds blocks that start with `NAME`; the lines of a block are
  PROG text          the program (several PROG lines are joined by newlines)
  RUN text           a command-line test of bpftrace itself: counted, never run
  EXPECT text        a line of output: matched as a substring, else as a regular expression
                     (older upstream files wrote EXPECT as a regex)
  EXPECT_REGEX re    a regular expression searched in the output (multi-line)
  EXPECT_NONE text   text that must not appear
  EXPECT_REGEX_NONE re  a regular expression that must not match
  WILL_FAIL          the reference refuses the program or fails the run
  ENV K=V ...        environment for btc (bpftrace's BPFTRACE_* configuration variables)
  ARGS a b [-- --k=v] positional arguments compiled in (btc SCRIPT ARG...); named ones
                     (getopt) after `--` go to btrun
  AFTER cmd          a command run once probes are armed (btrun -c)
  UNSAFE             btrun --unsafe
Other directives (TIMEOUT, REQUIRES_FEATURE, ARCH, ...) are ignored.

A program is compiled for this host. It runs only when every probe can fire here: the
probe kinds in --run-kinds, no upstream test program (./testprogs) named. Each run holds
the runtime-suite lock (/tmp/bt-suite.lock) for its own few seconds only.
Output is normalised as 0.17 prints it: bpftrace's "Attached N probes" matches btrun's
"Attaching N probes...", and the comm "btrun" reads as "bpftrace".
With --oracle, a mismatching program also runs under that bpftrace (0.17, upper-case
BEGIN/END) and the report says whether btrun printed what 0.17 printed.
"""
import argparse, fcntl, json, os, re, shlex, subprocess, sys, tempfile

LOCATED = re.compile(r'^[^\s:]+:\d+:\d+: error: ', re.M)
RUNNABLE = {"begin", "end", "interval", "tracepoint", "rawtracepoint", "profile",
            "software", "uprobe", "uretprobe", "iter", "self"}
BANNER = re.compile(r'^Attaching (\d+) probes?\.\.\.$', re.M)


class Test:
    def __init__(self, where, name):
        self.where, self.name = where, name
        self.prog, self.run, self.expect, self.expect_regex = [], None, [], []
        self.expect_none, self.expect_regex_none = [], []
        self.will_fail, self.unsafe, self.env, self.args, self.named, self.after = \
            False, False, {}, [], [], None


def tests(paths):
    for path in paths:
        test = None
        for number, line in enumerate(open(path), 1):
            line = line.rstrip("\n")
            key, _, value = line.partition(" ")
            if key == "NAME":
                if test:
                    yield test
                test = Test(f"{os.path.basename(path)}:{number}", value)
            elif test is None or not line or line.startswith("#"):
                continue
            elif key == "PROG":
                test.prog.append(value)
            elif key == "RUN":
                test.run = value
            elif key == "EXPECT":
                test.expect.append(value)
            elif key == "EXPECT_REGEX":
                test.expect_regex.append(value)
            elif key == "EXPECT_NONE":
                test.expect_none.append(value)
            elif key == "EXPECT_REGEX_NONE":
                test.expect_regex_none.append(value)
            elif key == "WILL_FAIL":
                test.will_fail = True
            elif key == "UNSAFE":
                test.unsafe = True
            elif key == "ENV":
                test.env.update(v.split("=", 1) for v in value.split())
            elif key == "ARGS":
                words = shlex.split(value)
                cut = words.index("--") if "--" in words else len(words)
                test.args, test.named = words[:cut], words[cut:]
            elif key == "AFTER":
                test.after = value
        if test:
            yield test


def probe_kinds(btc, script, args, env):
    """The probe types of a compiled program, as btc's manifest names them."""
    done = subprocess.run([btc, script, "--print-manifest", "-o", "-"] + args,
                          capture_output=True, text=True, env=env, timeout=120)
    return {probe["type"] for probe in json.loads(done.stdout)["probes"]}


def normalise(output):
    output = output.replace("btrun", "bpftrace")
    return BANNER.sub(lambda m: m.group(0) + f"\nAttached {m.group(1)} probe" +
                      ("s" if m.group(1) != "1" else ""), output)


def expectation_met(test, output):
    for text in test.expect:
        if text in output:
            continue
        try:
            if re.search(text, output, re.M):
                continue
        except re.error:
            pass
        return False
    for pattern in test.expect_regex:
        try:
            if not re.search(pattern, output, re.M):
                return False
        except re.error:
            return False
    # Not in the banner either: "Attached 1 probe" holds a "1".
    output = strip_banner(output)
    return not any(text in output for text in test.expect_none) and \
        not any(re.search(pattern, output, re.M) for pattern in test.expect_regex_none)


class Lock:
    def __enter__(self):
        self.file = open("/tmp/bt-suite.lock", "a")
        fcntl.flock(self.file, fcntl.LOCK_EX)

    def __exit__(self, *unused):
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()


def run_btrun(btrun, obj, test, seconds):
    command = [btrun, obj, "--timeout", str(seconds)]
    if test.unsafe:
        command.append("--unsafe")
    if test.after:
        command += ["-c", test.after]
    command += test.named
    with Lock():
        try:
            done = subprocess.run(command, capture_output=True, text=True,
                                  timeout=seconds + 10)
        except subprocess.TimeoutExpired:
            return None, "timeout"
    return done.returncode, done.stdout + done.stderr


def run_oracle(bpftrace, test, seconds):
    program = re.sub(r'\bbegin\b', 'BEGIN', re.sub(r'\bend\b', 'END', "\n".join(test.prog)))
    program = re.sub(r"\bargs\.", "args->", program)
    command = ["timeout", "-s", "INT", str(seconds), bpftrace, "-e", program] + test.args + \
        test.named
    if test.unsafe:
        command.insert(4, "--unsafe")
    if test.after:
        command += ["-c", test.after]
    env = dict(os.environ, **test.env)
    with Lock():
        try:
            done = subprocess.run(command, capture_output=True, text=True, env=env,
                                  timeout=seconds + 10)
        except subprocess.TimeoutExpired:
            return "timeout"
    return done.stdout + done.stderr


def strip_banner(output):
    """Output without the banner and 0.17's memlock notice, to compare two tools' runs."""
    return "\n".join(l for l in output.splitlines()
                     if not l.startswith(("Attaching ", "Attached "))
                     and "RLIMIT_MEMLOCK" not in l).strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="+")
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--btc", default=os.path.join(here, "../build/bin/btc"))
    parser.add_argument("--btrun", default=os.path.join(here, "../build/bin/btrun"))
    parser.add_argument("--run-kinds", default=",".join(sorted(RUNNABLE)))
    parser.add_argument("--seconds", type=int, default=2, help="btrun --timeout per program")
    parser.add_argument("--oracle", help="a bpftrace binary (0.17) to ask about mismatches")
    parser.add_argument("--all", action="store_true", help="print matching programs too")
    options = parser.parse_args()
    runnable = set(options.run_kinds.split(","))
    totals = {}

    def count(kind):
        totals[kind] = totals.get(kind, 0) + 1

    for test in tests(options.corpus):
        if not test.prog:
            count("cli (RUN, not a program)")
            continue
        program = "\n".join(test.prog)
        with tempfile.TemporaryDirectory() as tmp:
            script, obj = os.path.join(tmp, "prog.bt"), os.path.join(tmp, "prog.bto")
            open(script, "w").write(program + "\n")
            env = dict(os.environ, **test.env)
            done = subprocess.run([options.btc, script, "-o", obj] + test.args,
                                  capture_output=True, text=True, env=env, timeout=120)
            error = done.stderr.strip()
            first = error.splitlines()[0] if error else ""
            if done.returncode != 0:
                if done.returncode < 0 or not LOCATED.search(error):
                    verdict = "compile: crash/unlocated"
                elif test.will_fail:
                    verdict = "compile: refused, as upstream"
                elif "not supported yet" in error:
                    verdict = "compile: not supported yet"
                elif "testprogs" in program:
                    verdict = "compile: needs upstream testprog"
                else:
                    verdict = "compile: refused"
                count(verdict)
                if options.all or verdict != "compile: refused, as upstream":
                    print(f"{test.where}\t{verdict}\t{test.name}\n\t{program}\n\t{first}")
                continue
            if test.will_fail:
                note = "compiled, upstream refuses"
            else:
                note = "compiled"
            kinds = probe_kinds(options.btc, script, test.args, env)
            if "testprogs" in program or (test.after and "testprogs" in test.after) \
                    or not kinds <= runnable:
                count(f"{note}: not run here ({','.join(sorted(kinds - runnable)) or 'testprog'})")
                if test.will_fail:
                    print(f"{test.where}\t{note}\t{test.name}\n\t{program}")
                continue
            rc, output = run_btrun(options.btrun, obj, test, options.seconds)
            normalised = normalise(output)
            # A failed run matches nothing, expected output or not, unless the program
            # exits with a code of its own (exit(1)).
            failed = rc not in (0, None) and not re.search(r'\bexit\(\s*[^)\s]', program)
            if test.will_fail:
                met = rc != 0
            else:
                met = rc is not None and not failed and expectation_met(test, normalised)
            verdict = f"{note}: run, " + ("match" if met else
                                          "btrun error" if failed else "MISMATCH")
            oracle_note = ""
            if not met and options.oracle:
                # bpftrace compiles with LLVM at each start: slow on a loaded host.
                reference = run_oracle(options.oracle, test, 5 * options.seconds)
                same = strip_banner(reference) == strip_banner(output)
                oracle_note = "btrun == 0.17" if same else \
                    "0.17: " + strip_banner(reference).replace("\n", "\\n")[:300]
                if same:
                    verdict += " (as 0.17)"
            count(verdict)
            if options.all or not met:
                shown = strip_banner(output).replace("\n", "\\n")[:300]
                print(f"{test.where}\t{verdict}\t{test.name}\n\t{program}\n"
                      f"\texpected: {test.expect + test.expect_regex}\n\tbtrun rc={rc}: {shown}"
                      + (f"\n\t{oracle_note}" if oracle_note else ""))
    for kind in sorted(totals):
        print(f"{kind}: {totals[kind]}", file=sys.stderr)


if __name__ == "__main__":
    main()
