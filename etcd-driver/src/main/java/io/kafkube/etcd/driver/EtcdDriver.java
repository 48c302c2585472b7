package io.kafkube.etcd.driver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link JetcdWorkload} in its own JVM (jetcd's classpath, written into this jar at build time)
 * and returns the line it prints as its result. Uses the JDK only, so that any module can call it
 * with this jar on its classpath and none of jetcd's dependencies.
 */
public final class EtcdDriver {
  public static final String RESULT = "RESULT ";

  private EtcdDriver() {}

  /** The classpath of the driver JVM: this jar (or classes directory) and jetcd's runtime dependencies. */
  public static String classpath() {
    try (InputStream in = EtcdDriver.class.getResourceAsStream("classpath.txt")) {
      if (in == null) {
        throw new IllegalStateException("classpath.txt is missing from the etcd-driver build");
      }
      String deps = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      String self = Path.of(EtcdDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
      return self + java.io.File.pathSeparator + deps;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs a workload and returns its result line (the JSON after {@code RESULT }); its other output is
   * passed on to {@code System.err}.
   *
   * @param heap    the driver JVM's -Xmx, e.g. {@code 512m}
   * @param timeout how long it may run
   */
  public static String run(String heap, long timeout, TimeUnit unit, String... args)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseParallelGC", "-cp", classpath(),
        JetcdWorkload.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String[] result = new String[1];
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (line.startsWith(RESULT)) {
            result[0] = line.substring(RESULT.length());
          } else {
            System.err.println("[etcd-driver] " + line);
          }
        }
      } catch (IOException e) {
        // the process ended
      }
    });
    reader.setDaemon(true);
    reader.start();
    if (!p.waitFor(timeout, unit)) {
      p.destroyForcibly();
      throw new IllegalStateException("the etcd driver did not finish within " + timeout + " " + unit);
    }
    reader.join(5000);
    if (p.exitValue() != 0 || result[0] == null) {
      throw new IllegalStateException("the etcd driver failed (exit " + p.exitValue() + ")");
    }
    return result[0];
  }
}
