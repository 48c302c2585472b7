package io.kafkube.agent.cgroup;

import java.nio.file.Path;
import java.util.List;

/** One container's cgroup directories (one for v2, one per controller for v1). */
public final class ContainerCgroup {
  private final Cgroups.Mode mode;
  private final List<Path> dirs;

  ContainerCgroup(Cgroups.Mode mode, List<Path> dirs) {
    this.mode = mode;
    this.dirs = List.copyOf(dirs);
  }

  public List<Path> dirs() {
    return dirs;
  }

  /** The files a process writes its pid into to join this cgroup (every hierarchy). */
  public List<Path> procsFiles() {
    return dirs.stream().map(d -> d.resolve("cgroup.procs")).toList();
  }

  /**
   * How many processes the kernel's OOM killer killed in this cgroup: {@code oom_kill} of
   * {@code memory.events} (v2) or {@code memory.oom_control} (v1).
   */
  public long oomKills() {
    for (Path d : dirs) {
      Path f = d.resolve(mode == Cgroups.Mode.V2 ? "memory.events" : "memory.oom_control");
      String s = Cgroups.read(f).orElse(null);
      if (s == null) {
        continue;
      }
      for (String line : s.split("\n")) {
        String[] kv = line.trim().split("\\s+");
        if (kv.length == 2 && kv[0].equals("oom_kill")) {
          return Long.parseLong(kv[1]);
        }
      }
    }
    return 0;
  }

  /**
   * Kills every process of this cgroup (SIGKILL), as a container runtime does when a container's first
   * process ends: nothing it started outlives it. Returns when the cgroups are empty or after a few rounds.
   */
  public void killAll() {
    killAll(dirs);
  }

  static void killAll(List<Path> dirs) {
    for (int round = 0; round < 50; round++) {
      boolean any = false;
      for (Path d : dirs) {
        String procs = Cgroups.read(d.resolve("cgroup.procs")).orElse("");
        for (String s : procs.split("\\s+")) {
          if (!s.isEmpty()) {
            any = true;
            ProcessHandle.of(Long.parseLong(s)).ifPresent(ProcessHandle::destroyForcibly);
          }
        }
      }
      if (!any) {
        return;
      }
      try {
        Thread.sleep(20); // the killed processes leave their cgroup once they are reaped
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Removes the cgroup (its processes must have ended). */
  public void remove() {
    dirs.forEach(Cgroups::rmdir);
  }
}
