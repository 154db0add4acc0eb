#!/bin/sh
# pidpersec's trigger: lasts past its first one-second interval, then forks twice more.
/bin/sleep 1.5
/bin/true
/bin/true
