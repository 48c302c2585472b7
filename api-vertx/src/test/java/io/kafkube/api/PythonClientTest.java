package io.kafkube.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Kubernetes Python client (Debian's python3-kubernetes, installed by scripts/install-test-deps)
 * against a real cluster over TLS with the generated kubeconfig: CRUD, a stale update refused with 409, and
 * list+watch resumed from a resourceVersion. The script's checks are in src/test/python/k8s_client.py.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PythonClientTest {
  private static final String PYTHON = "/usr/bin/python3";

  @TempDir
  static Path dir;
  static TestCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void crudConflictAndWatchWithResume() throws Exception {
    assertThat(Path.of(PYTHON)).as("Debian's python3 (scripts/install-test-deps installs python3-kubernetes)")
        .exists();
    Path script = Path.of("src/test/python/k8s_client.py").toAbsolutePath();
    Path out = Files.createTempFile(dir, "py", ".txt");
    ProcessBuilder pb = new ProcessBuilder(List.of(PYTHON, script.toString(),
        cluster.api.kubeconfigPath().toString(), "default")).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("HOME", dir.toString());
    Process p = pb.start();
    if (!p.waitFor(150, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    String printed = Files.readString(out);
    assertThat(p.exitValue()).as(printed).isZero();
    assertThat(printed).contains("ok: a stale update is refused with 409 Conflict",
        "ok: watch resumed from a list's resourceVersion", "ok: a live watch saw the delete", "ALL OK");
  }
}
