#!/usr/bin/env bash
# Rewrites README.md's configuration table from the keys declared in the code (ConfigTest checks they agree).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -o test-compile >/dev/null 2>&1 || ./mvnw -q test-compile
./mvnw -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
table=$(java -cp "target/classes:target/test-classes:$(cat target/cp.txt)" io.coedge.config.ConfigTable)
python3 - "$table" <<'PY'
import re, sys
readme = open("README.md").read()
start = readme.index("| key | environment variable |")
end = readme.index("\n\n", start)
open("README.md", "w").write(readme[:start] + sys.argv[1] + readme[end:])
PY
