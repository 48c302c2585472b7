package io.kafkube.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the real kubectl of the machine printed (stdout and stderr, trimmed, without carriage returns)
 * and its exit code; run with a kubeconfig, and a cache directory and HOME of the test's own.
 */
record Kubectl(int code, String out) {

  /** The command line of {@code kubectl args} against the cluster of {@code kubeconfig}. */
  static List<String> command(Path home, String kubeconfig, String... args) {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig,
        "--cache-dir", home.resolve("kube-cache").toString(), "--request-timeout", "30s"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Runs kubectl with {@code input} on its standard input (none when null). */
  static Kubectl run(Path home, String kubeconfig, String input, String... args) throws Exception {
    return exec(new ProcessBuilder(command(home, kubeconfig, args)), home, input);
  }

  /** Runs a process (kubectl, or kubectl under {@code script}) as {@link #run} does. */
  static Kubectl exec(ProcessBuilder pb, Path home, String input) throws Exception {
    pb.redirectErrorStream(true).environment().put("HOME", home.toString());
    if (input == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    Process p = pb.start();
    if (input != null) {
      try (var in = p.getOutputStream()) {
        in.write(input.getBytes(StandardCharsets.UTF_8));
      }
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return new Kubectl(p.exitValue(), out.replace("\r", "").trim());
  }
}
