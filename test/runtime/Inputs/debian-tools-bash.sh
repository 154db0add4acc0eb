#!/bin/sh
# bashreadline's trigger: an interactive bash on a pseudo-terminal (script(1)), so that
# it reads its command lines with readline: one command, then exit. What the terminal
# shows goes to /dev/null: on the tracer's standard output it came between its lines.
printf 'echo bt-readline\nexit\n' | script -qec 'bash --norc --noprofile -i' /dev/null > /dev/null
