package io.kafkube.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine's real kubectl ({@code /usr/bin/kubectl}) against one test cluster, with the cluster's
 * generated kubeconfig, and a HOME and cache directory of the test's own.
 */
public final class KubectlRunner {
  /** kubectl's exit code, standard output and standard error. */
  public record Result(int exit, String out, String err) {}

  private final Path kubeconfig;
  private final Path dir;
  private final Path home;

  public KubectlRunner(TestCluster cluster, Path dir) throws java.io.IOException {
    this.kubeconfig = cluster.api.kubeconfigPath();
    this.dir = dir;
    this.home = Files.createDirectories(dir.resolve("home"));
  }

  /** A process builder for {@code kubectl args}, for tests that stream its output or feed its input. */
  public ProcessBuilder builder(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("/usr/bin/kubectl");
    cmd.addAll(List.of(args));
    cmd.add("--cache-dir=" + home.resolve("cache"));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("HOME", home.toString());
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().remove("KUBERNETES_SERVICE_HOST");
    return pb;
  }

  /** Runs {@code kubectl args} to its end (at most 90 s). */
  public Result run(String... args) throws Exception {
    ProcessBuilder pb = builder(args);
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish");
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** Runs {@code kubectl args} and asserts that it succeeded. */
  public Result ok(String... args) throws Exception {
    Result r = run(args);
    assertThat(r.exit()).as("kubectl %s\nstdout: %s\nstderr: %s", String.join(" ", args), r.out(), r.err())
        .isZero();
    return r;
  }
}
