package io.kafkube.agent.volume;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whether this machine lets the agent give a container its own mount namespace ({@code unshare -m
 * --propagation private}, which needs root or CAP_SYS_ADMIN) in which the pod's volumes are bind
 * mounted at their {@code mountPath}s.
 */
public final class MountNamespaces {
  private MountNamespaces() {}

  /** Tries it once: {@code unshare -m --propagation private mount --bind / <tmp>}-like, cheap. */
  public static boolean available() {
    try {
      Process p = new ProcessBuilder(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
          "mount -t tmpfs kafkube-probe /mnt && umount /mnt"))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A shell word: single-quoted. */
  public static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
