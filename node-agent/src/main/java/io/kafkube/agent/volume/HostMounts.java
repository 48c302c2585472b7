package io.kafkube.agent.volume;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts the agent makes in its own (the host's) mount namespace, as kubelet does for a pod's volumes
 * that are filesystems of their own: an emptyDir of {@code medium: Memory} is a tmpfs mounted on the
 * volume's directory, so that every container of the pod, which bind mounts that directory in its own
 * namespace, shares the same memory-backed files. They are unmounted before the pod's directory is
 * removed (else its removal would empty them and then fail), also by an agent that starts after one
 * that was killed.
 */
public final class HostMounts {
  private static final Logger LOG = LoggerFactory.getLogger(HostMounts.class);
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  private HostMounts() {}

  /** One line of {@code /proc/self/mountinfo}: where, what filesystem type, its super options. */
  public record Mount(String mountPoint, String fsType, String superOptions) {}

  /** The mounts of the agent's mount namespace. */
  public static List<Mount> mounts() {
    List<Mount> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8)) {
        parse(line).ifPresent(out::add);
      }
    } catch (IOException e) {
      LOG.debug("cannot read {}", MOUNTINFO, e);
    }
    return out;
  }

  /** Field 5 is the mount point (octal escapes for space, tab, newline, backslash); after " - ": type, source, options. */
  static Optional<Mount> parse(String line) {
    String[] f = line.split(" ");
    int dash = java.util.Arrays.asList(f).indexOf("-");
    if (f.length < 5 || dash < 0 || dash + 3 >= f.length + 1) {
      return Optional.empty();
    }
    String options = dash + 3 < f.length ? f[dash + 3] : "";
    return Optional.of(new Mount(unescape(f[4]), dash + 1 < f.length ? f[dash + 1] : "", options));
  }

  private static String unescape(String s) {
    return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
  }

  /** The mount on exactly this directory (the last one, which is what is seen there), if any. */
  public static Optional<Mount> at(Path dir) {
    String p = real(dir);
    Mount found = null;
    for (Mount m : mounts()) {
      if (m.mountPoint().equals(p)) {
        found = m;
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * Mounts a tmpfs of {@code sizeBytes} on {@code dir} (kubelet's emptyDir {@code medium: Memory}),
   * unless one is there already (the agent restarted, or a resync).
   *
   * @throws IOException with mount's own words when it cannot (not root, no CAP_SYS_ADMIN, …)
   */
  public static void mountTmpfs(Path dir, long sizeBytes) throws IOException {
    if (at(dir).filter(m -> m.fsType().equals("tmpfs")).isPresent()) {
      return;
    }
    List<String> cmd = new ArrayList<>(List.of("mount", "-t", "tmpfs"));
    if (sizeBytes > 0) {
      cmd.addAll(List.of("-o", "size=" + sizeBytes));
    }
    cmd.addAll(List.of("kafkube-emptydir", real(dir)));
    run(cmd);
  }

  /** The mount points at or under {@code dir}, deepest first. */
  public static List<String> under(Path dir) {
    String p = real(dir);
    List<String> out = new ArrayList<>();
    for (Mount m : mounts()) {
      if ((m.mountPoint().equals(p) || m.mountPoint().startsWith(p + "/")) && !out.contains(m.mountPoint())) {
        out.add(m.mountPoint());
      }
    }
    out.sort(Comparator.comparingInt(String::length).reversed());
    return out;
  }

  /**
   * Unmounts everything mounted at or under {@code dir} (stacked mounts too), lazily when a mount is
   * busy; true when nothing is mounted there any more.
   */
  public static boolean unmountUnder(Path dir) {
    for (int round = 0; round < 5; round++) {
      List<String> left = under(dir);
      if (left.isEmpty()) {
        return true;
      }
      for (String m : left) {
        try {
          run(List.of("umount", m));
        } catch (IOException e) {
          try {
            run(List.of("umount", "-l", m));
          } catch (IOException e2) {
            LOG.warn("cannot unmount {}: {}", m, e2.getMessage());
          }
        }
      }
    }
    return under(dir).isEmpty();
  }

  /** The path as mountinfo shows it: without symbolic links where it exists. */
  private static String real(Path dir) {
    try {
      return dir.toRealPath().toString();
    } catch (IOException e) {
      return dir.toAbsolutePath().normalize().toString();
    }
  }

  private static void run(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " did not finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(out.isEmpty() ? String.join(" ", cmd) + " failed with " + p.exitValue() : out);
    }
  }
}
