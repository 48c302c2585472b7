package io.kafkube.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The process runtime's CRI log files (time and stream per line) and exec with piped streams. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ProcessRuntimeLogsExecTest {
  private static final PodRef POD = new PodRef("uid-logs", "default", "p", Map.of());

  @TempDir
  Path dir;
  ProcessRuntime rt;

  @AfterEach
  void stop() {
    if (rt != null) {
      rt.stopAll(Duration.ofSeconds(1));
    }
  }

  @Test
  void logLinesCarryTheirStreamAndTimeAndThePreviousInstanceStays() throws Exception {
    rt = new ProcessRuntime(dir, "127.3.0.0/16");
    rt.sandbox(POD);
    rt.start(POD, new StartSpec("c", 0, "busybox", List.of("sh", "-c", "echo out; echo err >&2; printf tail"),
        List.of(), Map.of(), null));
    LogFile first = rt.logFile(POD.uid(), "c", false).orElseThrow();
    first.ended().toCompletableFuture().get(30, TimeUnit.SECONDS);
    List<CriLogLine> lines = Files.readAllLines(first.path(), StandardCharsets.UTF_8).stream()
        .map(CriLogLine::parse).toList();
    assertThat(lines).doesNotContainNull().hasSize(3);
    assertThat(lines).extracting(CriLogLine::stream).containsExactlyInAnyOrder("stdout", "stderr", "stdout");
    assertThat(lines).filteredOn(l -> l.text().equals("tail")).singleElement()
        .satisfies(l -> assertThat(l.partial()).isTrue());
    assertThat(rt.logs(POD.uid(), "c", false).orElseThrow()).contains("out\n", "err\n", "tail");

    await().atMost(Duration.ofSeconds(30)).until(() -> rt.containers(POD.uid()).get(0).exited());
    rt.start(POD, new StartSpec("c", 1, "busybox", List.of("sh", "-c", "echo second; sleep 30"), List.of(), Map.of(),
        null));
    assertThat(rt.logFile(POD.uid(), "c", true).orElseThrow().path()).isEqualTo(first.path());
    assertThat(rt.logFile(POD.uid(), "c", false).orElseThrow().running()).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() -> rt.logs(POD.uid(), "c", false).orElseThrow().equals("second\n"));
  }

  @Test
  void execRunsInTheContainersEnvironmentWithPipes() throws Exception {
    rt = new ProcessRuntime(dir, "127.3.0.0/16");
    rt.sandbox(POD);
    rt.start(POD, new StartSpec("c", 0, "busybox", List.of("sleep", "60"), List.of(), Map.of("GREETING", "hello"),
        "/app"));
    Process p = rt.startExec(POD.uid(), "c", List.of("sh", "-c", "read x; echo \"$GREETING $x $(pwd)\"; exit 4"),
        false);
    p.getOutputStream().write("world\n".getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isEqualTo(4);
    assertThat(out).isEqualTo("hello world " + dir.toAbsolutePath().resolve("pods/uid-logs/rootfs/app") + "\n");

    Process tty = rt.startExec(POD.uid(), "c", List.of("sh", "-c", "tty"), true);
    tty.getOutputStream().close();
    assertThat(new String(tty.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("/dev/pts/");
    assertThat(tty.waitFor()).isZero();

    // the resize channel: the command starts with the client's terminal size, and sees it change
    Process sized = rt.startExec(POD.uid(), "c", List.of("sh", "-c", "stty size; read x; stty size"), true);
    await().atMost(Duration.ofSeconds(10)).until(() -> rt.resizeTerminal(sized, 123, 45));
    var reader = new java.io.BufferedReader(new java.io.InputStreamReader(sized.getInputStream(),
        StandardCharsets.UTF_8));
    assertThat(reader.readLine()).isEqualTo("45 123");
    assertThat(rt.resizeTerminal(sized, 200, 50)).isTrue();
    sized.getOutputStream().write("\n".getBytes(StandardCharsets.UTF_8));
    sized.getOutputStream().flush();
    String rest = new String(sized.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(rest.lines().map(String::strip).filter(l -> !l.isEmpty())).containsExactly("50 200");
    assertThat(sized.waitFor()).isZero();

    assertThatThrownBy(() -> rt.startExec(POD.uid(), "nope", List.of("ls"), false))
        .isInstanceOf(IllegalStateException.class);
  }
}
