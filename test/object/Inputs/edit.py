"""edit.py IN OUT STATEMENT: runs STATEMENT on the JSON of IN (as `m`), writes OUT."""
import json
import sys

m = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(m, open(sys.argv[2], "w"))
