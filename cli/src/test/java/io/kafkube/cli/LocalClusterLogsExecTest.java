package io.kafkube.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.api.audit.AuditQuery;
import io.kafkube.api.audit.AuditReader;
import io.kafkube.cli.common.Endpoints;
import io.kafkube.cli.up.LocalCluster;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl logs} and {@code kubectl exec} against {@code kafkube up}: the API server finds the pod's
 * node and relays to the node agent's server (mTLS with the cluster CA), which reads the container's CRI
 * log file and runs commands in the container's environment.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class LocalClusterLogsExecTest {
  private static final Duration WAIT = Duration.ofSeconds(120);
  /** Prints three lines, its pid, then a numbered line each time the file {@code next} appears. */
  private static final String PROGRAM = "echo one; echo two; echo three; echo $$$$ > pid; i=0; "
      + "while :; do if [ -e next ]; then rm next; echo \"line $i\"; i=$((i+1)); fi; sleep 0.1; done";

  @TempDir
  Path dir;

  @Test
  void kubectlLogsAndExecReachTheContainer() throws Exception {
    LocalCluster.Settings settings = new LocalCluster.Settings(dir, "kafkube", 3, 0, 0, 0, 0);
    try (LocalCluster cluster = LocalCluster.start(settings)) {
      String kubeconfig = Endpoints.read(dir).get("kubeconfig");
      Kubectl run = kubectl(kubeconfig, "run", "web", "--image=busybox", "--", "sh", "-c", PROGRAM);
      assertThat(run.code()).as(run.out()).isZero();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
          assertThat(kubectl(kubeconfig, "exec", "web", "--", "cat", "pid").out()).matches("\\d+"));

      // logs: all, the last line, with timestamps
      assertThat(kubectl(kubeconfig, "logs", "web").out()).isEqualTo("one\ntwo\nthree");
      assertThat(kubectl(kubeconfig, "logs", "web", "--tail=1").out()).isEqualTo("three");
      List<String> stamped = kubectl(kubeconfig, "logs", "web", "--timestamps").out().lines().toList();
      assertThat(stamped).hasSize(3);
      assertThat(stamped.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z one");
      assertThat(kubectl(kubeconfig, "logs", "web", "--limit-bytes=5").out()).isEqualTo("one\nt");
      Kubectl bad = kubectl(kubeconfig, "logs", "web", "--container=nope");
      assertThat(bad.code()).isNotZero();
      assertThat(bad.out()).contains("container nope is not valid for pod web");

      // exec: output, stdin, exit code
      Kubectl ls = kubectl(kubeconfig, "exec", "web", "--", "ls");
      assertThat(ls.code()).as(ls.out()).isZero();
      assertThat(ls.out().lines()).contains("pid");
      Kubectl cat = kubectlWithInput(kubeconfig, "hi\n", "exec", "-i", "web", "--", "cat");
      assertThat(cat.code()).as(cat.out()).isZero();
      assertThat(cat.out()).isEqualTo("hi");
      Kubectl stderr = kubectl(kubeconfig, "exec", "web", "--", "sh", "-c", "echo oops >&2");
      assertThat(stderr.out()).isEqualTo("oops");
      Kubectl exit3 = kubectl(kubeconfig, "exec", "web", "--", "sh", "-c", "exit 3");
      assertThat(exit3.code()).as(exit3.out()).isEqualTo(3);
      // the audit of an exec: long-running, its WebSocket upgrade starts the response (101), its close ends it
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        List<JsonNode> execs = AuditReader.read(Endpoints.read(dir).get("kafka"), cluster.topics(),
            new AuditQuery(null, "pods", "default", "web", null, null, 0, AuditQuery.ALL_STAGES)).stream()
            .filter(ev -> ev.at("/objectRef/subresource").asText().equals("exec")).toList();
        String id = execs.stream().filter(ev -> ev.path("stage").asText().equals("ResponseComplete")).findFirst()
            .orElseThrow().path("auditID").asText();
        assertThat(execs.stream().filter(ev -> ev.path("auditID").asText().equals(id))
            .map(ev -> ev.path("stage").asText() + " " + ev.at("/responseStatus/code").asText()).toList())
            .containsExactly("ResponseStarted 101", "ResponseComplete 101");
      });

      // exec -it, with a terminal from util-linux script for kubectl itself
      Kubectl tty = terminal(kubeconfig, "exec", "-it", "web", "--", "sh", "-c", "tty; echo done");
      assertThat(tty.out()).as(tty.out()).contains("/dev/pts/").contains("done");
      // the resize channel: the container's terminal has the size of kubectl's
      Kubectl size = terminalAfter("stty cols 123 rows 45; ", kubeconfig, "exec", "-it", "web", "--", "stty", "size");
      assertThat(size.out()).as(size.out()).contains("45 123");

      // logs -f sees a line written after it started, and ends when the container ends
      Process follow = start(kubeconfig, "logs", "-f", "web");
      BlockingQueue<String> lines = lines(follow.getInputStream());
      assertThat(lines.poll(60, TimeUnit.SECONDS)).isEqualTo("one");
      assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("two");
      assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("three");
      assertThat(kubectl(kubeconfig, "exec", "web", "--", "touch", "next").code()).isZero();
      assertThat(lines.poll(30, TimeUnit.SECONDS)).isEqualTo("line 0");

      long pid = Long.parseLong(kubectl(kubeconfig, "exec", "web", "--", "cat", "pid").out());
      ProcessHandle.of(pid).orElseThrow().destroyForcibly();
      assertThat(follow.waitFor(60, TimeUnit.SECONDS)).as("kubectl logs -f ends with the container").isTrue();
      follow.destroyForcibly();

      // the agent restarts the container: -p is the killed instance's log
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        Kubectl restarted = kubectl(kubeconfig, "get", "pod", "web", "-o",
            "jsonpath={.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].state.running}");
        assertThat(restarted.out()).startsWith("1 {");
      });
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
          assertThat(kubectl(kubeconfig, "logs", "web").out()).isEqualTo("one\ntwo\nthree"));
      // (the killed instance's log may end with the "Killed" notice of the runtime's wrapper shell)
      assertThat(kubectl(kubeconfig, "logs", "web", "-p").out()).startsWith("one\ntwo\nthree\nline 0");

      // RBAC: pods/log is get, pods/exec is create (also for the WebSocket GET)
      assertThat(kubectl(kubeconfig, "create", "serviceaccount", "reader").code()).isZero();
      assertThat(kubectl(kubeconfig, "create", "role", "log-reader", "--verb=get,list",
          "--resource=pods,pods/log").code()).isZero();
      assertThat(kubectl(kubeconfig, "create", "rolebinding", "read-logs", "--role=log-reader",
          "--serviceaccount=default:reader").code()).isZero();
      String token = kubectl(kubeconfig, "create", "token", "reader").out();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
          assertThat(kubectl(kubeconfig, "--token", token, "logs", "web").out()).isEqualTo("one\ntwo\nthree"));
      Kubectl denied = kubectl(kubeconfig, "--token", token, "exec", "web", "--", "ls");
      assertThat(denied.code()).isNotZero();
      assertThat(denied.out()).contains("pods \"web\" is forbidden: User \"system:serviceaccount:default:reader\" "
          + "cannot create resource \"pods/exec\" in API group \"\" in the namespace \"default\"");

      // the agent itself: a request without the API server's client certificate is refused
      String port = kubectl(kubeconfig, "get", "node", LocalCluster.nodeName(0), "-o",
          "jsonpath={.status.daemonEndpoints.kubeletEndpoint.Port}").out();
      assertThat(Integer.parseInt(port)).isPositive().isNotEqualTo(10250);
      HttpClient noCert = HttpClient.newBuilder().sslContext(trusting(dir.resolve("api/pki/ca.crt"))).build();
      HttpResponse<String> anonymous = noCert.send(HttpRequest.newBuilder(
          URI.create("https://127.0.0.1:" + port + "/containerLogs/default/web/web")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.body()).contains("\"reason\":\"Unauthorized\"").doesNotContain("one");
    }
  }

  private List<String> command(String kubeconfig, String... args) {
    return Kubectl.command(dir, kubeconfig, args);
  }

  private Kubectl kubectl(String kubeconfig, String... args) throws Exception {
    return kubectlWithInput(kubeconfig, null, args);
  }

  /** The real kubectl of the machine with the kubeconfig `up` wrote; {@code input} on its stdin. */
  private Kubectl kubectlWithInput(String kubeconfig, String input, String... args) throws Exception {
    return exec(new ProcessBuilder(command(kubeconfig, args)), input);
  }

  /** kubectl with a pseudo-terminal as its stdin and stdout: {@code script -qec CMD /dev/null}. */
  private Kubectl terminal(String kubeconfig, String... args) throws Exception {
    return terminalAfter("", kubeconfig, args);
  }

  /** The same, with shell commands run on the terminal first ({@code setup}, e.g. to set its size). */
  private Kubectl terminalAfter(String setup, String kubeconfig, String... args) throws Exception {
    StringBuilder line = new StringBuilder(setup);
    for (String a : command(kubeconfig, args)) {
      line.append('\'').append(a.replace("'", "'\\''")).append("' ");
    }
    return exec(new ProcessBuilder("script", "-qec", line.toString(), "/dev/null"), null);
  }

  private Kubectl exec(ProcessBuilder pb, String input) throws Exception {
    return Kubectl.exec(pb, dir, input);
  }

  private Process start(String kubeconfig, String... args) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command(kubeconfig, args)).redirectErrorStream(true);
    pb.environment().put("HOME", dir.toString());
    return pb.start();
  }

  /** The lines of a stream as they come. */
  private static BlockingQueue<String> lines(InputStream in) {
    BlockingQueue<String> q = new LinkedBlockingQueue<>();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String l;
        while ((l = r.readLine()) != null) {
          q.add(l);
        }
      } catch (java.io.IOException e) {
        // the process ended
      }
    });
    t.setDaemon(true);
    t.start();
    return q;
  }

  private static SSLContext trusting(Path caPem) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
