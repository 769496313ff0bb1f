#!/bin/sh
# harness/java/ctest-run.sh CMD...: run CMD for a ctest test of the Java
# connector, or exit 77 (ctest SKIP_RETURN_CODE, shown as "Skipped") with the
# reason when java or the jar (target/bc-java-harness.jar, built by ci/test:
# mvn package with the local repository harness/java/.m2) is missing. Checked
# when the test runs, not when cmake configures: building the jar later needs
# no re-configure.
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v java >/dev/null 2>&1; then
  echo "SKIP: java not found (install a JDK 17)"
  exit 77
fi
if [ ! -f "$here/target/bc-java-harness.jar" ]; then
  echo "SKIP: $here/target/bc-java-harness.jar missing (ci/test builds it: cd harness/java && mvn -Dmaven.repo.local=.m2 package)"
  exit 77
fi
exec "$@"
