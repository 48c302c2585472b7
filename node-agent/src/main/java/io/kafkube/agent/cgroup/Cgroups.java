package io.kafkube.agent.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-container cgroups, as the container runtime makes them for kubelet: cgroup v2 (the unified
 * hierarchy, when it is mounted with the memory and cpu controllers) or else v1 (the {@code memory}
 * and {@code cpu} hierarchies), each container in {@code kafkube/<pod uid>/<container>-<attempt>}
 * with {@code memory.max}/{@code memory.limit_in_bytes} and a CFS quota from its limits. When
 * neither is writable, {@link #mode()} is {@code NONE} and {@link #unavailableReason()} says why:
 * the agent reports it on the Node and in events instead of pretending limits apply.
 */
public final class Cgroups {
  private static final Logger LOG = LoggerFactory.getLogger(Cgroups.class);
  static final long CFS_PERIOD_US = 100_000;

  public enum Mode { V2, V1, NONE }

  private final Path root;
  private final Mode mode;
  private final String reason;

  private Cgroups(Path root, Mode mode, String reason) {
    this.root = root;
    this.mode = mode;
    this.reason = reason;
  }

  /** Finds the hierarchy to use under {@code /sys/fs/cgroup}. */
  public static Cgroups detect() {
    return detect(Path.of("/sys/fs/cgroup"));
  }

  static Cgroups detect(Path fs) {
    for (Path unified : List.of(fs, fs.resolve("unified"))) {
      String controllers = read(unified.resolve("cgroup.controllers")).orElse("");
      if (controllers.contains("memory") && controllers.contains("cpu")) {
        Path base = unified.resolve("kafkube");
        try {
          Files.createDirectories(base);
          enable(unified);
          enable(base);
          return new Cgroups(unified, Mode.V2, null);
        } catch (IOException e) {
          LOG.info("cgroup v2 at {} is not writable: {}", unified, e.toString());
        }
      }
    }
    Path mem = fs.resolve("memory");
    Path cpu = fs.resolve("cpu");
    if (Files.isRegularFile(mem.resolve("memory.limit_in_bytes")) && Files.isRegularFile(cpu.resolve("cpu.cfs_quota_us"))) {
      try {
        Files.createDirectories(mem.resolve("kafkube"));
        Files.createDirectories(cpu.resolve("kafkube"));
        return new Cgroups(fs, Mode.V1, null);
      } catch (IOException e) {
        return new Cgroups(fs, Mode.NONE, "cgroup v1 memory/cpu hierarchies are not writable: " + e.getMessage());
      }
    }
    return new Cgroups(fs, Mode.NONE, "no cgroup v2 hierarchy with the memory and cpu controllers and no cgroup v1 "
        + "memory and cpu hierarchies under " + fs);
  }

  private static void enable(Path dir) throws IOException {
    Files.writeString(dir.resolve("cgroup.subtree_control"), "+memory +cpu");
  }

  /** Cgroups that are never used (tests of code that does not need them, machines without them). */
  public static Cgroups disabled(String reason) {
    return new Cgroups(Path.of("/nonexistent"), Mode.NONE, reason);
  }

  public Mode mode() {
    return mode;
  }

  public String unavailableReason() {
    return reason;
  }

  /**
   * Creates a container's cgroup with its limits; empty when cgroups are not available. The
   * container's first process joins it by writing its pid to {@link ContainerCgroup#procsFiles()}.
   */
  public Optional<ContainerCgroup> create(String podUid, String container, int attempt, Limits limits)
      throws IOException {
    if (mode == Mode.NONE) {
      return Optional.empty();
    }
    String rel = "kafkube/" + podUid + "/" + container + "-" + attempt;
    List<Path> dirs = new ArrayList<>();
    if (mode == Mode.V2) {
      Path unified = root; // the v2 hierarchy itself
      Path pod = unified.resolve("kafkube").resolve(podUid);
      Files.createDirectories(pod);
      enable(pod);
      Path d = unified.resolve(rel);
      Files.createDirectories(d);
      if (limits.memoryBytes() > 0) {
        Files.writeString(d.resolve("memory.max"), Long.toString(limits.memoryBytes()));
        writeIfPresent(d.resolve("memory.swap.max"), "0");
      }
      if (limits.cpuMillis() > 0) {
        Files.writeString(d.resolve("cpu.max"), (limits.cpuMillis() * CFS_PERIOD_US / 1000) + " " + CFS_PERIOD_US);
      }
      dirs.add(d);
    } else {
      Path m = root.resolve("memory").resolve(rel);
      Path c = root.resolve("cpu").resolve(rel);
      Files.createDirectories(m);
      Files.createDirectories(c);
      if (limits.memoryBytes() > 0) {
        Files.writeString(m.resolve("memory.limit_in_bytes"), Long.toString(limits.memoryBytes()));
        writeIfPresent(m.resolve("memory.memsw.limit_in_bytes"), Long.toString(limits.memoryBytes()));
      }
      if (limits.cpuMillis() > 0) {
        Files.writeString(c.resolve("cpu.cfs_period_us"), Long.toString(CFS_PERIOD_US));
        Files.writeString(c.resolve("cpu.cfs_quota_us"), Long.toString(limits.cpuMillis() * CFS_PERIOD_US / 1000));
      }
      dirs.add(m);
      dirs.add(c);
    }
    return Optional.of(new ContainerCgroup(mode, dirs));
  }

  /** The cgroup of an adopted container (a restarted agent): the directories it was given, if they still exist. */
  public Optional<ContainerCgroup> existing(List<Path> dirs) {
    if (mode == Mode.NONE || dirs.isEmpty() || !dirs.stream().allMatch(Files::isDirectory)) {
      return Optional.empty();
    }
    return Optional.of(new ContainerCgroup(mode, dirs));
  }

  /** Removes a pod's (empty) cgroup directories. */
  public void removePod(String podUid) {
    if (mode == Mode.NONE) {
      return;
    }
    List<Path> bases = mode == Mode.V2 ? List.of(root.resolve("kafkube"))
        : List.of(root.resolve("memory").resolve("kafkube"), root.resolve("cpu").resolve("kafkube"));
    for (Path base : bases) {
      Path pod = base.resolve(podUid);
      if (!Files.isDirectory(pod)) {
        continue;
      }
      try (var children = Files.list(pod)) {
        for (Path c : children.filter(Files::isDirectory).toList()) {
          rmdir(c);
        }
      } catch (IOException e) {
        LOG.debug("cannot list {}", pod, e);
      }
      rmdir(pod);
    }
  }

  static void rmdir(Path p) {
    try {
      Files.deleteIfExists(p); // cgroupfs: rmdir of a cgroup without processes
    } catch (IOException e) {
      LOG.debug("cannot remove cgroup {}: {}", p, e.toString());
    }
  }

  private static void writeIfPresent(Path p, String v) {
    if (Files.exists(p)) {
      try {
        Files.writeString(p, v);
      } catch (IOException e) {
        LOG.debug("cannot write {}: {}", p, e.toString());
      }
    }
  }

  static Optional<String> read(Path p) {
    try {
      return Optional.of(Files.readString(p, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
