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
 *
 * <p>kubelet's {@code --pod-max-pids} ({@link #withPodMaxPids}) is the {@code pids} controller's
 * {@code pids.max} of the pod's cgroup {@code kafkube/<pod uid>} (v2, or the v1 {@code pids} hierarchy
 * when it is mounted), which every container of the pod is under: a fork bomb in one container meets
 * the pod's limit, not the machine's.
 */
public final class Cgroups {
  private static final Logger LOG = LoggerFactory.getLogger(Cgroups.class);
  static final long CFS_PERIOD_US = 100_000;

  public enum Mode { V2, V1, NONE }

  private final Path root;
  private final Mode mode;
  private final String reason;
  /** Whether the pids controller is there (v2: enabled below {@code kafkube}; v1: the {@code pids} hierarchy). */
  private final boolean pids;
  /** The pods' pids limit; -1 for none (kubelet's default). */
  private final long podMaxPids;

  private Cgroups(Path root, Mode mode, String reason) {
    this(root, mode, reason, false, -1);
  }

  private Cgroups(Path root, Mode mode, String reason, boolean pids, long podMaxPids) {
    this.root = root;
    this.mode = mode;
    this.reason = reason;
    this.pids = pids;
    this.podMaxPids = podMaxPids;
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
          boolean pids = controllers.contains("pids") && enablePids(unified) && enablePids(base);
          return new Cgroups(unified, Mode.V2, null, pids, -1);
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
        boolean pids = false;
        if (Files.isRegularFile(fs.resolve("pids").resolve("cgroup.procs"))) {
          try {
            Files.createDirectories(fs.resolve("pids").resolve("kafkube"));
            pids = true;
          } catch (IOException e) {
            LOG.info("the cgroup v1 pids hierarchy is not writable: {}", e.toString());
          }
        }
        return new Cgroups(fs, Mode.V1, null, pids, -1);
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

  private static boolean enablePids(Path dir) {
    try {
      Files.writeString(dir.resolve("cgroup.subtree_control"), "+pids");
      return true;
    } catch (IOException e) {
      LOG.info("cannot enable the pids controller in {}: {}", dir, e.toString());
      return false;
    }
  }

  /**
   * The same cgroups with a per-pod limit of processes (kubelet's {@code --pod-max-pids}); -1 (or any
   * value below 1) for none.
   */
  public Cgroups withPodMaxPids(long maxPids) {
    long v = maxPids > 0 ? maxPids : -1;
    if (v > 0 && !pids) {
      LOG.warn("--pod-max-pids={} is not enforced: {}", v, mode == Mode.NONE ? reason
          : "the pids cgroup controller is not available");
    }
    return new Cgroups(root, mode, reason, pids, v);
  }

  /** The per-pod pids limit, or -1 for none. */
  public long podMaxPids() {
    return podMaxPids;
  }

  /** Whether pods get a pids limit: then every container gets a cgroup (under its pod's), limits or not. */
  public boolean limitsPods() {
    return mode != Mode.NONE && pids && podMaxPids > 0;
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
      if (limitsPods()) {
        enablePids(pod);
        Files.writeString(pod.resolve("pids.max"), Long.toString(podMaxPids));
      }
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
      if (limitsPods()) {
        Path pod = root.resolve("pids").resolve("kafkube").resolve(podUid);
        Files.createDirectories(pod);
        Files.writeString(pod.resolve("pids.max"), Long.toString(podMaxPids));
        Path p = root.resolve("pids").resolve(rel);
        Files.createDirectories(p);
        dirs.add(p);
      }
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

  /** The directories under which pods' cgroups are ({@code kafkube} of each hierarchy used). */
  private List<Path> bases() {
    if (mode == Mode.NONE) {
      return List.of();
    }
    if (mode == Mode.V2) {
      return List.of(root.resolve("kafkube"));
    }
    List<Path> bases = new ArrayList<>(List.of(root.resolve("memory").resolve("kafkube"),
        root.resolve("cpu").resolve("kafkube")));
    if (pids) {
      bases.add(root.resolve("pids").resolve("kafkube"));
    }
    return bases;
  }

  /** The pod uids that have a cgroup directory here (of this agent or another on the same machine). */
  public java.util.Set<String> podsWithCgroups() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (Path base : bases()) {
      if (Files.isDirectory(base)) {
        try (var l = Files.list(base)) {
          l.filter(Files::isDirectory).forEach(d -> out.add(d.getFileName().toString()));
        } catch (IOException e) {
          LOG.debug("cannot list {}", base, e);
        }
      }
    }
    return out;
  }

  /**
   * Kills every process left in a pod's cgroups (a container's strays, e.g. background processes its
   * first process left behind) and removes them; true when nothing of the pod is left.
   */
  public boolean killAndRemovePod(String podUid) {
    eachPodCgroup(podUid, c -> ContainerCgroup.killAll(List.of(c)));
    removePod(podUid);
    return bases().stream().noneMatch(b -> Files.isDirectory(b.resolve(podUid)));
  }

  /** Removes a pod's (empty) cgroup directories. */
  public void removePod(String podUid) {
    eachPodCgroup(podUid, Cgroups::rmdir);
  }

  /** Applies {@code action} to each of a pod's cgroups in every hierarchy: its containers' first, then the pod's. */
  private void eachPodCgroup(String podUid, java.util.function.Consumer<Path> action) {
    for (Path base : bases()) {
      Path pod = base.resolve(podUid);
      if (!Files.isDirectory(pod)) {
        continue;
      }
      try (var children = Files.list(pod)) {
        for (Path c : children.filter(Files::isDirectory).toList()) {
          action.accept(c);
        }
      } catch (IOException e) {
        LOG.debug("cannot list {}", pod, e);
      }
      action.accept(pod);
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
