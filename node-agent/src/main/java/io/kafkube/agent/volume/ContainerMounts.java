package io.kafkube.agent.volume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's volume mounts made real. With a mount namespace: a shell prelude, run by the
 * container's first process inside its own namespace ({@code unshare -m --propagation private}),
 * that creates each mount point and bind mounts the volume there (remounted read-only for
 * {@code readOnly}); mounts are in mount-path order so that nested ones land inside their parents.
 * Mount points that did not exist are created on the host's filesystem (a directory inode is not
 * namespaced); they are recorded and removed again, when empty, with the pod.
 *
 * <p>Without a mount namespace (not root, no unshare): symbolic links under the pod's rootfs (the
 * default working directory), e.g. {@code rootfs/etc/config -> volumes/config}, so relative paths
 * work; readOnly is not enforced. The agent reports that this node does not isolate mounts.
 */
public final class ContainerMounts {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerMounts.class);

  private final List<VolumeMount> mounts;
  private final Path rootfs;

  public ContainerMounts(List<VolumeMount> mounts, Path rootfs) {
    this.mounts = mounts.stream().sorted(Comparator.comparingInt((VolumeMount m) -> depth(m.mountPath()))).toList();
    this.rootfs = rootfs;
  }

  private static int depth(String p) {
    return Path.of(p).normalize().getNameCount();
  }

  /** The shell lines that mount every volume (they call {@code kafkube_fail MESSAGE} on failure). */
  public String script() {
    StringBuilder sb = new StringBuilder();
    for (VolumeMount m : mounts) {
      String src = MountNamespaces.quote(m.source());
      String dst = MountNamespaces.quote(Path.of(m.mountPath()).normalize().toString());
      if (Files.isDirectory(Path.of(m.source()))) {
        sb.append("mkdir -p ").append(dst).append(" 2>/dev/null || kafkube_fail cannot create the mount point ")
            .append(dst).append('\n');
      } else {
        sb.append("mkdir -p \"$(dirname ").append(dst).append(")\" && { [ -e ").append(dst).append(" ] || : > ")
            .append(dst).append("; } || kafkube_fail cannot create the mount point ").append(dst).append('\n');
      }
      sb.append("mount --bind ").append(src).append(' ').append(dst).append(" || kafkube_fail cannot mount volume ")
          .append(MountNamespaces.quote(m.volume())).append(" at ").append(dst).append('\n');
      if (m.readOnly()) {
        sb.append("mount -o remount,bind,ro ").append(dst).append(" || kafkube_fail cannot make ").append(dst)
            .append(" read-only\n");
      }
    }
    return sb.toString();
  }

  /** Writes the mount points (and their parents) that do not exist yet, to remove them with the pod. */
  public void recordCreated(Path file) throws IOException {
    List<String> created = new ArrayList<>();
    for (VolumeMount m : mounts) {
      Path p = Path.of(m.mountPath()).normalize();
      while (p != null && !Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        if (!created.contains(p.toString())) {
          created.add(p.toString());
        }
        p = p.getParent();
      }
    }
    Files.write(file, created, StandardCharsets.UTF_8);
  }

  /**
   * Removes the recorded mount points that are still empty (deepest first), except those that are (or
   * contain) a mount point of a running container: removing those would detach its mounts.
   *
   * @return the recorded paths left in place, for a later attempt
   */
  public static List<String> removeCreated(Path file, java.util.Set<String> inUse) {
    List<String> spared = new ArrayList<>();
    try {
      List<String> paths = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
      paths.sort(Comparator.comparingInt(String::length).reversed());
      for (String s : paths) {
        Path p = Path.of(s);
        if (inUse.stream().anyMatch(m -> m.equals(s) || m.startsWith(s + "/"))) {
          spared.add(s);
          continue;
        }
        try {
          if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (var l = Files.list(p)) {
              if (l.findAny().isPresent()) {
                spared.add(s);
                continue;
              }
            }
            Files.delete(p);
          } else if (Files.isRegularFile(p) && Files.size(p) == 0) {
            Files.delete(p);
          }
        } catch (IOException e) {
          LOG.debug("cannot remove mount point {}: {}", p, e.toString());
          spared.add(s);
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot read {}", file, e);
    }
    return spared;
  }

  /** The mount points of a process's mount namespace ({@code /proc/<pid>/mountinfo}, field 5). */
  public static java.util.Set<String> mountPoints(long pid) {
    java.util.Set<String> out = new java.util.HashSet<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/mountinfo"))) {
        String[] f = line.split(" ");
        if (f.length > 4) {
          out.add(f[4].replace("\\040", " "));
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot read the mounts of {}", pid, e);
    }
    return out;
  }

  /** The fallback without a mount namespace: a link under the rootfs per mount. */
  public void linkUnderRootfs() throws IOException {
    for (VolumeMount m : mounts) {
      Path link = rootfs.resolve(m.mountPath().replaceFirst("^/+", "")).normalize();
      if (!link.startsWith(rootfs)) {
        continue;
      }
      Files.createDirectories(link.getParent());
      if (Files.isSymbolicLink(link)) {
        Files.delete(link);
      } else if (Files.exists(link)) {
        LOG.warn("cannot link volume {} at {}: something else is there", m.volume(), link);
        continue;
      }
      Files.createSymbolicLink(link, Path.of(m.source()));
    }
  }
}
