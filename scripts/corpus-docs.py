#!/usr/bin/env python3
"""Turns the fenced code blocks of bpftrace's documentation (markdown files kept outside the
repository, e.g. upstream's docs/language.md, docs/stdlib.md, docs/migration_guide.md) into
a corpus that scripts/corpus-runtime.py compiles and runs, and says what it made of each block.

A block becomes a program when btc --parse-only accepts it, as written or, for a statement
fragment (`$a = 1m; print($a);`), inside `begin { ... }`; `{ ... }`, the docs' elided body,
reads as an empty block. A shell block (`# bpftrace -e 'PROG' ARG... [-- --k=v] [-c CMD]`)
gives one program per command, the lines after a command being its output. Expected output
(EXPECT) is only what the docs state exactly: those output lines, an `Output:` comment in the
program and `// prints X` comments; a block after a program that is not one is its sample
output, kept as SAMPLE lines that corpus-runtime.py ignores (times, addresses, counts).
A program the docs mark as wrong (`// error`, `// BAD`, an `ERROR:` after it) is WILL_FAIL;
one that calls an unsafe helper (system, signal, override) is UNSAFE (btrun --unsafe).

  scripts/corpus-docs.py DOC.md... > docs.corpus      then
  scripts/corpus-runtime.py docs.corpus --oracle bpftrace

The table of blocks that are no program (schemas, C, Go, listings, output) goes to stderr.
"""
import argparse, os, re, shlex, subprocess, sys, tempfile

FENCE = re.compile(r'^```')
HEADING = re.compile(r'^#{1,6} (.*)')
PRINTS = re.compile(r'//[^\n]*?\b(?:prints|outputs)\s+(.*?)\s*$', re.M)
OUTPUT_COMMENT = re.compile(r'/\*\s*\n\s*\*\s*Output:\s*\n(.*?)\*/', re.S)
MARKED_WRONG = re.compile(r'//\s*(?:error|BAD)\b', re.I)
# What only a script's top level holds: a block with one is never wrapped in begin.
TOP_LEVEL = re.compile(r'^(?:macro |struct |enum |config\b|#include|#define|let @|'
                       r'[\w-]+:[^\s;]*\s*(?:/.*/\s*)?\{?\s*$|(?:begin|end|BEGIN|END)\b)', re.M)
BARE_WORDS = re.compile(r'\s*(?:[A-Za-z_]\w*\s*)*')
C_PROTOTYPE = re.compile(r'^\w+ \w+\(.*\)$')


def blocks(path):
    """(heading, first line number, text) of each fenced block; a heading line inside a
    fence is the block's, not a heading."""
    heading, inside, start, lines = "", False, 0, []
    for number, line in enumerate(open(path), 1):
        line = line.rstrip("\n")
        if FENCE.match(line):
            if inside:
                yield heading, start, "\n".join(lines)
            inside, start, lines = not inside, number + 1, []
        elif inside:
            lines.append(line)
        elif HEADING.match(line):
            heading = HEADING.match(line).group(1)


def parse_error(btc, program):
    """btc --parse-only's first diagnostic line, or None when the program parses."""
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "prog.bt")
        open(script, "w").write(program + "\n")
        done = subprocess.run([btc, "--parse-only", script], capture_output=True, text=True,
                              timeout=30)
        return None if done.returncode == 0 else (done.stderr.splitlines() or ["?"])[0]


MISSING_SEMICOLON = re.compile(r':(\d+):(\d+): error: expected \';\' after statement')


def repaired(btc, program):
    """(program, number of ';' inserted) once it parses, else None. The docs leave out
    the ';' between statements in places; bpftrace's grammar (0.17 and upstream) wants it,
    and btc says where."""
    for inserted in range(6):
        error = parse_error(btc, program)
        if error is None:
            return program, inserted
        where = MISSING_SEMICOLON.search(error)
        if not where:
            return None
        lines = program.split("\n")
        row, col = int(where.group(1)) - 1, int(where.group(2)) - 1
        lines[row] = lines[row][:col] + ";" + lines[row][col:]
        program = "\n".join(lines)
    return None


def shell_programs(text):
    """(program, args, named, after, output lines) of each `bpftrace -e` command."""
    found, current = [], None
    for line in text.splitlines():
        if line.startswith(("# ", "$ ")):
            current = None
            words = shlex.split(line[2:].split(" & ")[0], comments=True)
            if words[:1] == ["bpftrace"] and "-e" in words:
                at = words.index("-e")
                rest = words[at + 2:]
                after = None
                if "-c" in rest:
                    c = rest.index("-c")
                    after, rest = rest[c + 1], rest[:c] + rest[c + 2:]
                cut = rest.index("--") if "--" in rest else len(rest)
                # bpftrace takes positional parameters on both sides of `--`.
                named = [w for w in rest[cut + 1:] if w.startswith("--")]
                args = rest[:cut] + [w for w in rest[cut + 1:] if not w.startswith("--")]
                current = (words[at + 1], args, named, after, [])
                found.append(current)
        elif current is not None and line.strip():
            current[4].append(line)
    return found


def expected_from_program(program):
    expect = []
    for m in PRINTS.finditer(program):
        said = m.group(1)
        # `// prints 17`, `// prints "1 12"`, `// prints (1, "hello")`; not prose such as
        # `// prints an empty line`.
        if said.startswith(('"', '(')) or len(said.split()) == 1:
            expect.append(said.replace('"', ''))
    for m in OUTPUT_COMMENT.finditer(program):
        expect += [l.strip().lstrip("*").strip() for l in m.group(1).splitlines()]
    return [e for e in expect if e]


# Upstream's unsafe helpers: bpftrace runs them only with --unsafe, which the docs take
# for granted.
UNSAFE_CALL = re.compile(r'\b(?:system|signal|signal_thread|override)\s*\(')


def emit(out, name, program, args=(), named=(), after=None, expect=(), sample=(),
         will_fail=False):
    print(f"NAME {name}", file=out)
    for line in program.splitlines():
        print(f"PROG {line}", file=out)
    if args or named:
        print("ARGS " + " ".join(shlex.quote(a) for a in args) +
              (" -- " + " ".join(named) if named else ""), file=out)
    if after:
        print(f"AFTER {after}", file=out)
    if UNSAFE_CALL.search(program):
        print("UNSAFE", file=out)
    for line in expect:
        print(f"EXPECT {line}", file=out)
    for line in sample:
        print(f"SAMPLE {line}", file=out)
    if will_fail:
        print("WILL_FAIL", file=out)
    print(file=out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("docs", nargs="+")
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--btc", default=os.path.join(here, "../build/bin/btc"))
    options = parser.parse_args()
    kinds = {}
    for doc in options.docs:
        base = os.path.basename(doc)
        previous = None  # the last program's emit arguments, waiting for its output block

        def flush():
            nonlocal previous
            if previous:
                emit(sys.stdout, **previous)
            previous = None

        for heading, line, text in blocks(doc):
            where = f"{base}:{line} ({heading})"
            kind = None
            if re.match(r'^\s*[#$] ', text):
                commands = shell_programs(text)
                if commands:
                    flush()
                    for i, (program, args, named, after, output) in enumerate(commands):
                        wrong = any("ERROR:" in l for l in output)
                        expect = [] if wrong else \
                            [l for l in output if l not in ("...",) and
                             not l.startswith(("Attaching ", "Attached "))]
                        emit(sys.stdout, f"{where} command {i + 1}", program, args, named,
                             after, expect, will_fail=wrong)
                    kind = "shell: bpftrace -e"
                else:
                    kind = "shell: other command (listing, cat, --info)"
            else:
                elided = re.sub(r'\{\s*\.\.\.\s*\}', '{ }', text)
                elided = re.sub(r'^\s*\.\.\.\s*$', '', elided, flags=re.M)
                marked_wrong = bool(MARKED_WRONG.search(text))
                shapes = [(elided, "program")]
                # Statements assign, call or end in ';': a bare `42` is an output line.
                if not TOP_LEVEL.search(elided) and re.search(r'[;=(]', elided):
                    shapes.append((f"begin {{\n{elided}\n}}", "statements (wrapped in begin)"))
                if BARE_WORDS.fullmatch(elided):
                    shapes = []  # a schema (`preamble actionblock1 ...`), not statements
                for candidate, shape in shapes:
                    fixed = repaired(options.btc, candidate)
                    if fixed:
                        program, inserted = fixed
                        kind = shape + (f", {inserted} ';' added" if inserted else "")
                        break
                if not kind and marked_wrong and "{" in text:
                    # The docs' own example of a refused program: btc may refuse it as early
                    # as the parser.
                    program, kind = elided, "program the docs mark wrong"
                if kind:
                    flush()
                    previous = dict(name=where, program=program,
                                    expect=expected_from_program(program),
                                    will_fail=marked_wrong)
                elif previous is not None and "{" not in text and not C_PROTOTYPE.match(text) \
                        and not BARE_WORDS.fullmatch(text):
                    kind = "output of the block before"
                    lines = text.splitlines()
                    if all(l.startswith("EXPECT ") for l in lines):
                        # upstream's runtime-test spelling of an exact line
                        previous["expect"] += [l[len("EXPECT "):] for l in lines]
                    elif "ERROR:" in text:
                        previous["will_fail"] = True
                    else:
                        previous["sample"] = lines
                    flush()
                else:
                    kind = "not a program (schema, C, Go, elided code)"
            kinds[kind] = kinds.get(kind, 0) + 1
            if not kind.startswith(("program", "statements", "shell: bpftrace")) or "added" in kind:
                print(f"{where}\t{kind}\t{text.splitlines()[0] if text else ''}",
                      file=sys.stderr)
        flush()
    for kind in sorted(kinds):
        print(f"{kind}: {kinds[kind]}", file=sys.stderr)


if __name__ == "__main__":
    main()
