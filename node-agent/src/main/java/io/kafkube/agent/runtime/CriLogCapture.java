package io.kafkube.agent.runtime;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Captures a container's stdout and stderr into its log file in kubelet's CRI log format
 * ({@code <RFC3339Nano time> <stream> <F|P> <text>} per line; see {@link CriLogLine}). Each stream
 * goes through a FIFO in the container's directory to a small {@code perl} process (perl-base is part
 * of every Debian system) that stamps each line with the time it was written. The loggers are
 * separate processes, not threads of the agent, so a container keeps logging across an agent restart.
 */
final class CriLogCapture {
  private static final String SCRIPT = load();

  /** What the container's process is started with, and when both loggers have written everything. */
  record Capture(ProcessBuilder.Redirect stdout, ProcessBuilder.Redirect stderr, CompletableFuture<Void> closed,
      List<Process> loggers) {
    /** Stops the loggers of a container that could not be started. */
    void abort() {
      loggers.forEach(Process::destroyForcibly);
    }
  }

  private CriLogCapture() {}

  /**
   * Creates the FIFOs {@code <dir>/stdout.pipe} and {@code stderr.pipe} and starts their loggers, which
   * append to {@code log}. The FIFOs open when the container's process is started with the redirects.
   */
  static Capture start(Path dir, Path log) throws IOException {
    Path out = dir.resolve("stdout.pipe");
    Path err = dir.resolve("stderr.pipe");
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    run(List.of("mkfifo", "-m", "600", out.toString(), err.toString()));
    Process po = logger("stdout", out, log, dir);
    Process pe = logger("stderr", err, log, dir);
    CompletableFuture<Void> closed = CompletableFuture.allOf(po.onExit(), pe.onExit());
    return new Capture(ProcessBuilder.Redirect.to(out.toFile()), ProcessBuilder.Redirect.to(err.toFile()), closed,
        List.of(po, pe));
  }

  private static Process logger(String stream, Path fifo, Path log, Path dir) throws IOException {
    return new ProcessBuilder("perl", "-e", SCRIPT, stream, fifo.toString(), log.toString())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("logger.err").toFile()))
        .start();
  }

  private static void run(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(cmd + " failed: " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static String load() {
    try (InputStream in = CriLogCapture.class.getResourceAsStream("/io/kafkube/agent/cri-logger.pl")) {
      if (in == null) {
        throw new IllegalStateException("cri-logger.pl is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
