package io.kafkube.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kafkube.cli.common.Endpoints;
import io.kafkube.cli.up.LocalCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kafkube up} runs a node agent with the process runtime: pods started with the real kubectl
 * run as processes of this machine on their own loopback address, report their status, and go away
 * when deleted.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class LocalClusterPodsTest {
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir
  Path dir;

  @Test
  void podsRunAsProcessesReportStatusAndAreDeleted() throws Exception {
    LocalCluster.Settings settings = new LocalCluster.Settings(dir, "kafkube", 3, 0, 0, 0, 0);
    try (LocalCluster cluster = LocalCluster.start(settings)) {
      String kubeconfig = Endpoints.read(dir).get("kubeconfig");
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        Kubectl nodes = kubectl(kubeconfig, "get", "nodes", "-o",
            "jsonpath={.items[*].metadata.name} {.items[*].status.conditions[?(@.type==\"Ready\")].status}");
        assertThat(nodes.out()).isEqualTo(LocalCluster.nodeName(0) + " True");
      });

      Kubectl run = kubectl(kubeconfig, "run", "web", "--image=python:3", "--port", "8080", "--",
          "python3", "-m", "http.server", "8080", "--bind", "$(POD_IP)");
      assertThat(run.code()).as(run.out()).isZero();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        Kubectl phase = kubectl(kubeconfig, "get", "pod", "web", "-o",
            "jsonpath={.status.phase} {.status.containerStatuses[0].ready}");
        assertThat(phase.out()).isEqualTo("Running true");
      });
      String ip = kubectl(kubeconfig, "get", "pod", "web", "-o", "jsonpath={.status.podIP}").out();
      assertThat(ip).startsWith("127.2.");
      // Without a readiness probe the container is Ready once its process runs, as in Kubernetes; the
      // server answers once python has bound its socket.
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        HttpResponse<String> res = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/")).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(200);
      });
      Kubectl table = kubectl(kubeconfig, "get", "pod", "web");
      assertThat(table.out()).contains("web", "1/1", "Running");

      Kubectl fail = kubectl(kubeconfig, "run", "fail", "--image=busybox", "--restart=Never", "--",
          "sh", "-c", "exit 1");
      assertThat(fail.code()).as(fail.out()).isZero();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        Kubectl failed = kubectl(kubeconfig, "get", "pod", "fail", "-o",
            "jsonpath={.status.phase} {.status.containerStatuses[0].state.terminated.exitCode}");
        assertThat(failed.out()).isEqualTo("Failed 1");
      });

      Kubectl delete = kubectl(kubeconfig, "delete", "pod", "web", "--timeout=90s");
      assertThat(delete.code()).as(delete.out()).isZero();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        Kubectl gone = kubectl(kubeconfig, "get", "pod", "web");
        assertThat(gone.code()).isNotZero();
        assertThat(gone.out()).contains("NotFound");
      });
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        try {
          HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/"))
              .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
          throw new AssertionError("the deleted pod's server still answers");
        } catch (java.io.IOException expected) {
          // connection refused: the process is gone
        }
      });
    }
  }

  private record Kubectl(int code, String out) {}

  /** The real kubectl of the machine with the kubeconfig `up` wrote. */
  private Kubectl kubectl(String kubeconfig, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig,
        "--cache-dir", dir.resolve("kube-cache").toString(), "--request-timeout", "30s"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("HOME", dir.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return new Kubectl(p.exitValue(), out.trim());
  }
}
