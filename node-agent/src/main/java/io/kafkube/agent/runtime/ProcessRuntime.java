package io.kafkube.agent.runtime;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import io.kafkube.agent.cgroup.Cgroups;
import io.kafkube.agent.cgroup.ContainerCgroup;
import io.kafkube.agent.volume.ContainerMounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Containers as real processes of this machine. Each pod gets a directory under the data directory
 * (its working directories, its containers' state and logs) and a loopback address from the node's
 * pod range. Each container process runs under a small {@code sh} wrapper that forwards SIGTERM and
 * writes the exit code to a file, and its pid is persisted: an agent that restarts finds its
 * containers running and adopts them instead of starting second copies.
 *
 * <p>Layout: {@code pods/<uid>/sandbox.properties}, {@code pods/<uid>/rootfs/} (default working
 * directory), {@code pods/<uid>/containers/<name>/<attempt>/{state.properties,env.properties,exit}},
 * {@code pods/<uid>/logs/<name>/<attempt>.log}, {@code pods/<uid>/volumes/<volume>/}.
 *
 * <p>Isolation, where the machine allows it: a container with volume mounts runs in its own mount
 * namespace in which its volumes are bind mounted at their mount paths ({@link ContainerMounts});
 * a container with limits runs in its own cgroup ({@link Cgroups}), and an OOM kill there is reported
 * as {@code OOMKilled}. Without mount namespaces the volumes appear under the pod's rootfs instead
 * (see {@link #isolation()}).
 */
public final class ProcessRuntime implements ContainerRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);
  private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static final String WRAPPER = loadWrapper();
  /**
   * Before an exec's command starts on its pseudo-terminal (of size 0x0 at first): up to a second for
   * the client's first resize (kubectl sends its terminal's size at once), so the command starts with
   * the client's size.
   */
  private static final String AWAIT_TERMINAL_SIZE = "n=0; while [ \"$(stty size 2>/dev/null)\" = '0 0' ] "
      + "&& [ $n -lt 20 ]; do sleep 0.05; n=$((n+1)); done; ";

  private final Path podsDir;
  /** Guards {@code mountpoints.spared}: containers of several pods can end at once. */
  private final Object sparedMountPoints = new Object();
  private final PodIpAllocator ips;
  private final String hostPath;
  private final Map<String, PodEntry> pods = new ConcurrentHashMap<>();
  /** Removed pods whose directory, cgroups or mounts are not gone yet (guarded by itself). */
  private final List<PodEntry> leftovers = new ArrayList<>();
  /** The marker of a pod directory being removed. */
  private static final String REMOVED = "removed";
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer;
  private final Cgroups cgroups;
  private final boolean mountNamespaces;
  private volatile boolean closed;

  /** A pod's sandbox and its container instances (per name, ascending attempts; at most the last two). */
  private static final class PodEntry {
    final String uid;
    final String ip;
    final Path dir;
    final Map<String, List<Inst>> containers = new LinkedHashMap<>();

    PodEntry(String uid, String ip, Path dir) {
      this.uid = uid;
      this.ip = ip;
      this.dir = dir;
    }
  }

  /** One container instance: what the status shows, plus the process behind it. */
  private static final class Inst {
    volatile ContainerInstance info;
    final Path dir;
    final Path log;
    final ProcessHandle handle;
    final Process process;
    final Map<String, String> env;
    final String workDir;
    final CompletableFuture<ContainerInstance> exited = new CompletableFuture<>();
    volatile boolean stopping;
    ContainerCgroup cgroup;
    boolean ownMountNamespace;
    /** Completes when the log capture has written everything (at once for adopted containers). */
    volatile CompletableFuture<Void> logClosed = CompletableFuture.completedFuture(null);

    Inst(ContainerInstance info, Path dir, Path log, ProcessHandle handle, Process process, Map<String, String> env,
        String workDir) {
      this.info = info;
      this.dir = dir;
      this.log = log;
      this.handle = handle;
      this.process = process;
      this.env = env;
      this.workDir = workDir;
    }
  }

  /**
   * @param dataDir the agent's data directory (pods live under {@code pods/})
   * @param podCidr the node's pod range, e.g. {@code 127.2.0.0/16}
   */
  public ProcessRuntime(Path dataDir, String podCidr) {
    this(dataDir, podCidr, Cgroups.detect(), io.kafkube.agent.volume.MountNamespaces.available());
  }

  /**
   * @param cgroups         the cgroups containers with limits are put in ({@link Cgroups#disabled} for none)
   * @param mountNamespaces whether containers get their own mount namespace with their volumes mounted
   */
  public ProcessRuntime(Path dataDir, String podCidr, Cgroups cgroups, boolean mountNamespaces) {
    this.cgroups = cgroups;
    this.mountNamespaces = mountNamespaces;
    this.podsDir = dataDir.toAbsolutePath().resolve("pods");
    this.ips = new PodIpAllocator(podCidr);
    String p = System.getenv("PATH");
    this.hostPath = p == null || p.isBlank() ? DEFAULT_PATH : p;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "process-runtime-timer");
      t.setDaemon(true);
      return t;
    });
    try {
      Files.createDirectories(podsDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    adopt();
  }

  @Override
  public String name() {
    return "process";
  }

  public Path podsDir() {
    return podsDir;
  }

  /** The directory of a pod's volumes ({@code pods/<uid>/volumes}). */
  @Override
  public Optional<Path> volumesDir(String podUid) {
    return Optional.of(podsDir.resolve(podUid).resolve("volumes"));
  }

  @Override
  public Isolation isolation() {
    return new Isolation(mountNamespaces, cgroups.mode() != Cgroups.Mode.NONE,
        cgroups.mode() == Cgroups.Mode.NONE ? cgroups.unavailableReason() : "cgroup " + cgroups.mode(),
        mountNamespaces ? null : "mount namespaces are not available to the agent (unshare -m failed): volumes are "
            + "linked under the pod's rootfs (the default working directory) instead of appearing at their mountPath");
  }

  // ---- adoption -------------------------------------------------------------------------------

  /** Reads every pod directory: running processes are watched again, ended ones recorded as exited. */
  private void adopt() {
    try (Stream<Path> dirs = Files.list(podsDir)) {
      for (Path podDir : dirs.toList()) {
        if (!Files.isDirectory(podDir)) {
          continue; // mountpoints.spared
        }
        String uid = podDir.getFileName().toString();
        Properties sb = read(podDir.resolve("sandbox.properties"));
        if (sb == null || sb.getProperty("ip") == null || Files.exists(podDir.resolve(REMOVED))) {
          // a removal the last agent did not finish (killed), or a sandbox it did not finish creating
          leftovers.add(new PodEntry(uid, null, podDir));
          LOG.info("[process-runtime] pod directory {} is a leftover of a removal: cleaning it up", uid);
          killRecorded(podDir);
          continue;
        }
        PodEntry pod = new PodEntry(uid, sb.getProperty("ip"), podDir);
        Path cdir = podDir.resolve("containers");
        if (Files.isDirectory(cdir)) {
          try (Stream<Path> names = Files.list(cdir)) {
            for (Path nameDir : names.toList()) {
              List<Inst> list = new ArrayList<>();
              try (Stream<Path> attempts = Files.list(nameDir)) {
                for (Path a : attempts.sorted(Comparator.comparingInt(ProcessRuntime::attemptOf)).toList()) {
                  Inst inst = load(pod, nameDir.getFileName().toString(), a);
                  if (inst != null) {
                    list.add(inst);
                  }
                }
              }
              if (!list.isEmpty()) {
                pod.containers.put(nameDir.getFileName().toString(), list);
              }
            }
          }
        }
        pods.put(uid, pod);
        LOG.info("[process-runtime] adopted pod {} ({}) with {} container(s)", uid, pod.ip, pod.containers.size());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + podsDir, e);
    }
    synchronized (leftovers) {
      cleanLeftovers();
    }
    if (Files.exists(podsDir.resolve("mountpoints.spared"))) {
      synchronized (sparedMountPoints) {
        removeMountPointsLocked(null); // the spared mount points the last agent left: those no container uses go
      }
    }
  }

  /** Kills the container processes a leftover pod directory records that still run (without cgroups: no other trace). */
  private static void killRecorded(Path podDir) {
    Path cdir = podDir.resolve("containers");
    if (!Files.isDirectory(cdir)) {
      return;
    }
    try (Stream<Path> states = Files.walk(cdir, 3)) {
      for (Path f : states.filter(p -> p.getFileName().toString().equals("state.properties")).toList()) {
        Properties st = read(f);
        if (st == null || st.getProperty("exitCode") != null || st.getProperty("pid") == null) {
          continue;
        }
        ProcessHandle.of(Long.parseLong(st.getProperty("pid"))).filter(ProcessHandle::isAlive)
            .filter(h -> sameStart(h, st.getProperty("pidStart"))).ifPresent(h -> {
              LOG.info("[process-runtime] killing {} of the removed pod {}", h.pid(), podDir.getFileName());
              h.descendants().forEach(ProcessHandle::destroyForcibly);
              h.destroyForcibly();
            });
      }
    } catch (IOException | NumberFormatException e) {
      LOG.debug("cannot read the containers of {}", podDir, e);
    }
  }

  private static int attemptOf(Path p) {
    try {
      return Integer.parseInt(p.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private Inst load(PodEntry pod, String name, Path dir) {
    Properties st = read(dir.resolve("state.properties"));
    if (st == null) {
      return null;
    }
    int attempt = attemptOf(dir);
    Instant created = instant(st.getProperty("createdAt"));
    Instant started = instant(st.getProperty("startedAt"));
    String id = st.getProperty("id");
    Path log = pod.dir.resolve("logs").resolve(name).resolve(attempt + ".log");
    Properties envp = read(dir.resolve("env.properties"));
    Map<String, String> env = new LinkedHashMap<>();
    if (envp != null) {
      envp.stringPropertyNames().forEach(k -> env.put(k, envp.getProperty(k)));
    }
    if (st.getProperty("exitCode") != null) {
      ContainerInstance info = new ContainerInstance(name, attempt, id, ContainerInstance.State.EXITED, created, started,
          instant(st.getProperty("finishedAt")), Integer.parseInt(st.getProperty("exitCode")),
          st.getProperty("reason"), st.getProperty("message"));
      Inst inst = new Inst(info, dir, log, null, null, env, st.getProperty("workDir"));
      inst.exited.complete(info);
      return inst;
    }
    long pid = Long.parseLong(st.getProperty("pid", "-1"));
    Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .filter(ph -> sameStart(ph, st.getProperty("pidStart")));
    ContainerInstance running = ContainerInstance.running(name, attempt, id, created, started);
    Inst inst = new Inst(running, dir, log, h.orElse(null), null, env, st.getProperty("workDir"));
    inst.ownMountNamespace = Boolean.parseBoolean(st.getProperty("mountNamespace"));
    String cg = st.getProperty("cgroups", "");
    inst.cgroup = cg.isEmpty() ? null
        : cgroups.existing(java.util.Arrays.stream(cg.split(",")).map(Path::of).toList()).orElse(null);
    if (h.isPresent()) {
      LOG.info("[process-runtime] adopted running container {}/{} attempt {} (pid {})", pod.uid, name, attempt, pid);
      h.get().onExit().thenRun(() -> finish(pod, inst));
    } else {
      finish(pod, inst);
    }
    return inst;
  }

  /** Whether a live pid is still the process we started (pids are reused). */
  private static boolean sameStart(ProcessHandle h, String recorded) {
    if (recorded == null) {
      return true;
    }
    return h.info().startInstant().map(i -> Long.toString(i.toEpochMilli()).equals(recorded)).orElse(true);
  }

  // ---- sandbox --------------------------------------------------------------------------------

  @Override
  public synchronized String sandbox(PodRef pod) {
    PodEntry e = pods.get(pod.uid());
    if (e != null) {
      return e.ip;
    }
    Set<String> used = new HashSet<>();
    pods.values().forEach(p -> used.add(p.ip));
    String ip = ips.allocate(used);
    Path dir = podsDir.resolve(pod.uid());
    try {
      Files.createDirectories(dir.resolve("rootfs"));
      Properties p = new Properties();
      p.setProperty("ip", ip);
      p.setProperty("namespace", pod.namespace());
      p.setProperty("name", pod.name());
      write(dir.resolve("sandbox.properties"), p);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    pods.put(pod.uid(), new PodEntry(pod.uid(), ip, dir));
    return ip;
  }

  @Override
  public void pullImage(String image) throws ImageException {
    ImageCatalog.resolve(image, hostPath);
  }

  // ---- start ----------------------------------------------------------------------------------

  @Override
  public ContainerInstance start(PodRef ref, StartSpec spec) {
    PodEntry pod;
    synchronized (this) {
      sandbox(ref);
      pod = pods.get(ref.uid());
    }
    synchronized (pod) {
      List<Inst> list = pod.containers.computeIfAbsent(spec.container(), k -> new ArrayList<>());
      for (Inst i : list) {
        if (i.info.attempt() >= spec.attempt() || i.info.running()) {
          return i.info; // never a second copy of an attempt, nor two running instances
        }
      }
      Instant now = Instant.now();
      String fallbackId = "process://" + ref.uid() + "/" + spec.container() + "/" + spec.attempt();
      Path dir = pod.dir.resolve("containers").resolve(spec.container()).resolve(Integer.toString(spec.attempt()));
      Path log = pod.dir.resolve("logs").resolve(spec.container()).resolve(spec.attempt() + ".log");
      Map<String, String> env = new LinkedHashMap<>();
      env.put("PATH", hostPath);
      env.put("HOSTNAME", ref.name());
      env.put("HOME", pod.dir.resolve("rootfs").toString());
      env.putAll(spec.env());
      ContainerInstance info;
      Inst inst;
      try {
        Files.createDirectories(dir);
        Files.createDirectories(log.getParent());
        ImageCatalog.Image image;
        try {
          image = ImageCatalog.resolve(spec.image(), hostPath);
        } catch (ImageException e) {
          return record(pod, list, startError(spec, fallbackId, now, e.getMessage(), dir, env, null));
        }
        List<String> argv = new ArrayList<>();
        if (!spec.command().isEmpty()) {
          argv.addAll(spec.command());
          argv.addAll(spec.args());
        } else {
          argv.addAll(image.entrypoint());
          argv.addAll(spec.args().isEmpty() ? image.cmd() : spec.args());
        }
        if (argv.isEmpty()) {
          return record(pod, list, startError(spec, fallbackId, now, "no command specified", dir, env, null));
        }
        if (ImageCatalog.which(argv.get(0), env.getOrDefault("PATH", hostPath)).isEmpty()) {
          return record(pod, list, startError(spec, fallbackId, now,
              "failed to start the container process: exec: \"" + argv.get(0) + "\": executable file not found in $PATH",
              dir, env, null));
        }
        Path workDir = workingDir(pod, spec.workingDir());
        Path exitFile = dir.resolve("exit");
        Files.deleteIfExists(exitFile);
        ContainerCgroup cgroup = null;
        if (spec.limits().any() || cgroups.limitsPods()) {
          try {
            cgroup = cgroups.create(ref.uid(), spec.container(), spec.attempt(), spec.limits()).orElse(null);
          } catch (IOException e) {
            return record(pod, list, startError(spec, fallbackId, now,
                "failed to create the container's cgroup: " + e.getMessage(), dir, env, null));
          }
        }
        boolean ownNs = mountNamespaces && !spec.mounts().isEmpty();
        StringBuilder prelude = new StringBuilder("kafkube_fail() { echo \"kafkube: $*\" >&2; exit 128; }\n");
        if (cgroup != null) {
          for (Path procs : cgroup.procsFiles()) {
            String q = io.kafkube.agent.volume.MountNamespaces.quote(procs.toString());
            prelude.append("echo $$ > ").append(q).append(" || kafkube_fail cannot join the cgroup ").append(q)
                .append('\n');
          }
        }
        if (!spec.mounts().isEmpty()) {
          ContainerMounts cm = new ContainerMounts(spec.mounts(), pod.dir.resolve("rootfs"));
          if (ownNs) {
            cm.recordCreated(dir.resolve("mountpoints.created"));
            prelude.append(cm.script());
          } else {
            cm.linkUnderRootfs();
          }
        }
        List<String> cmd = new ArrayList<>();
        if (ownNs) {
          cmd.addAll(List.of("unshare", "-m", "--propagation", "private"));
        }
        cmd.addAll(List.of("sh", "-c", prelude + WRAPPER, "kafkube-container", exitFile.toString()));
        cmd.addAll(argv);
        CriLogCapture.Capture capture = CriLogCapture.start(dir, log);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(capture.stdout()).redirectError(capture.stderr());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process process;
        try {
          process = pb.start();
        } catch (IOException e) {
          capture.abort();
          throw e;
        }
        Instant started = Instant.now();
        String id = "process://" + process.pid();
        info = ContainerInstance.running(spec.container(), spec.attempt(), id, now, started);
        Properties st = new Properties();
        st.setProperty("id", id);
        st.setProperty("pid", Long.toString(process.pid()));
        process.info().startInstant().ifPresent(i -> st.setProperty("pidStart", Long.toString(i.toEpochMilli())));
        st.setProperty("createdAt", now.toString());
        st.setProperty("startedAt", started.toString());
        st.setProperty("workDir", workDir.toString());
        st.setProperty("mountNamespace", Boolean.toString(ownNs));
        if (cgroup != null) {
          st.setProperty("cgroups", String.join(",", cgroup.dirs().stream().map(Path::toString).toList()));
        }
        writeEnv(dir, env);
        write(dir.resolve("state.properties"), st);
        inst = new Inst(info, dir, log, process.toHandle(), process, env, workDir.toString());
        inst.cgroup = cgroup;
        inst.ownMountNamespace = ownNs;
        inst.logClosed = capture.closed();
        LOG.info("[process-runtime] started {}/{} attempt {} as pid {}: {}", ref.display(), spec.container(),
            spec.attempt(), process.pid(), argv);
      } catch (IOException e) {
        return record(pod, list, startError(spec, fallbackId, now, "failed to start: " + e.getMessage(), dir, env, null));
      }
      list.add(inst);
      trim(list);
      Inst watched = inst;
      watched.process.onExit().thenRun(() -> finish(pod, watched));
      return info;
    }
  }

  private Inst startError(StartSpec spec, String id, Instant now, String message, Path dir, Map<String, String> env,
      String workDir) {
    ContainerInstance info = ContainerInstance.startError(spec.container(), spec.attempt(), id, now, message);
    Inst inst = new Inst(info, dir, null, null, null, env, workDir);
    inst.exited.complete(info);
    persistExit(inst, info);
    return inst;
  }

  private ContainerInstance record(PodEntry pod, List<Inst> list, Inst inst) {
    list.add(inst);
    trim(list);
    return inst.info;
  }

  /** Keeps the last two instances (the current one and the "previous" of logs and lastState). */
  private void trim(List<Inst> list) {
    while (list.size() > 2 && !list.get(0).info.running()) {
      Inst old = list.remove(0);
      deleteTree(old.dir);
      if (old.log != null) {
        try {
          Files.deleteIfExists(old.log);
        } catch (IOException e) {
          LOG.debug("cannot delete {}", old.log, e);
        }
      }
    }
  }

  /** The host directory of a container's working directory: always inside the pod's rootfs, created when missing. */
  private static Path workingDir(PodEntry pod, String wanted) throws IOException {
    Path rootfs = pod.dir.resolve("rootfs");
    if (wanted == null || wanted.isBlank() || wanted.equals("/")) {
      return rootfs;
    }
    Path inside = rootfs.resolve(wanted.replaceFirst("^/+", "")).normalize();
    if (!inside.startsWith(rootfs)) {
      inside = rootfs;
    }
    Files.createDirectories(inside);
    return inside;
  }

  /** Records how an instance ended: the wrapper's exit file, else the process's exit value, else SIGKILL. */
  private void finish(PodEntry pod, Inst inst) {
    if (inst.exited.isDone() || closed) {
      return; // a closed runtime leaves the record to the agent that adopts the container
    }
    Integer code = null;
    Instant finished = Instant.now();
    Path exitFile = inst.dir.resolve("exit");
    try {
      if (Files.exists(exitFile)) {
        code = Integer.parseInt(Files.readString(exitFile).trim());
        finished = Files.getLastModifiedTime(exitFile).toInstant();
      }
    } catch (IOException | NumberFormatException e) {
      LOG.debug("unreadable exit file {}", exitFile, e);
    }
    if (code == null && inst.process != null) {
      code = inst.process.exitValue();
    }
    String message = null;
    if (code == null) {
      code = 137;
      message = "the container ended while the agent was down without recording its exit code";
    }
    killDescendants(inst);
    ContainerInstance info = inst.info.exited(code, finished, message);
    if (inst.cgroup != null) {
      if (inst.cgroup.oomKills() > 0 && code != 0) {
        info = inst.info.oomKilled(finished); // as kubelet reports an OOM kill: reason OOMKilled, exit code 137
      }
      inst.cgroup.killAll(); // what the container left running in the background ends with it
      inst.cgroup.remove();
      cgroups.removePod(pod.uid); // only empty cgroups go: a running container's stays
    }
    inst.info = info;
    persistExit(inst, info);
    if (inst.ownMountNamespace) {
      boolean anyRunning;
      synchronized (pod) {
        anyRunning = pod.containers.values().stream().flatMap(List::stream).anyMatch(i -> i.info.running());
      }
      if (!anyRunning) {
        removeMountPoints(pod); // created again by the next start
      }
    }
    inst.exited.complete(info);
    LOG.info("[process-runtime] {}/{} attempt {} exited with {}", pod.uid, info.name(), info.attempt(), code);
    notifyChange(pod.uid);
  }

  private void notifyChange(String uid) {
    if (closed) {
      return;
    }
    for (Consumer<String> l : listeners) {
      try {
        l.accept(uid);
      } catch (RuntimeException e) {
        LOG.warn("runtime listener failed", e);
      }
    }
  }

  private void persistExit(Inst inst, ContainerInstance info) {
    try {
      Files.createDirectories(inst.dir);
      Properties st = Optional.ofNullable(read(inst.dir.resolve("state.properties"))).orElseGet(Properties::new);
      st.setProperty("id", info.id());
      st.setProperty("exitCode", Integer.toString(info.exitCode()));
      st.setProperty("finishedAt", info.finishedAt().toString());
      if (info.createdAt() != null) {
        st.setProperty("createdAt", info.createdAt().toString());
      }
      if (info.startedAt() != null) {
        st.setProperty("startedAt", info.startedAt().toString());
      }
      st.setProperty("reason", info.reason());
      if (info.message() != null) {
        st.setProperty("message", info.message());
      }
      write(inst.dir.resolve("state.properties"), st);
    } catch (IOException e) {
      LOG.warn("cannot persist the exit of {}", inst.dir, e);
    }
  }

  // ---- stop -----------------------------------------------------------------------------------

  @Override
  public CompletableFuture<ContainerInstance> stop(String podUid, String container, Duration grace) {
    PodEntry pod = pods.get(podUid);
    if (pod == null) {
      return CompletableFuture.completedFuture(null);
    }
    Inst inst;
    synchronized (pod) {
      List<Inst> list = pod.containers.get(container);
      if (list == null || list.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      inst = list.get(list.size() - 1);
    }
    if (inst.exited.isDone() || inst.handle == null) {
      return inst.exited.isDone() ? inst.exited : CompletableFuture.completedFuture(inst.info);
    }
    if (!inst.stopping) {
      inst.stopping = true;
      LOG.info("[process-runtime] stopping {}/{} (pid {}) with a grace period of {}s", podUid, container,
          inst.handle.pid(), grace.toSeconds());
      inst.handle.destroy(); // SIGTERM; the wrapper forwards it to the container
      long ms = Math.max(0, grace.toMillis());
      timer.schedule(() -> {
        if (inst.handle.isAlive()) {
          LOG.info("[process-runtime] {}/{} outlived its grace period: killing it", podUid, container);
          killDescendants(inst);
          inst.handle.destroyForcibly();
        }
      }, ms, TimeUnit.MILLISECONDS);
    }
    return inst.exited;
  }

  private static void killDescendants(Inst inst) {
    if (inst.handle == null) {
      return;
    }
    try {
      inst.handle.descendants().forEach(ProcessHandle::destroyForcibly);
    } catch (RuntimeException e) {
      LOG.debug("cannot list the children of {}", inst.handle.pid(), e);
    }
  }

  // ---- inspect --------------------------------------------------------------------------------

  @Override
  public List<ContainerInstance> containers(String podUid) {
    PodEntry pod = pods.get(podUid);
    if (pod == null) {
      return List.of();
    }
    List<ContainerInstance> out = new ArrayList<>();
    synchronized (pod) {
      for (List<Inst> list : pod.containers.values()) {
        for (int i = list.size() - 1; i >= 0 && i >= list.size() - 2; i--) {
          out.add(list.get(i).info);
        }
      }
    }
    return out;
  }

  @Override
  public Set<String> pods() {
    return Set.copyOf(pods.keySet());
  }

  /** The pid of a container's running instance (tests and diagnostics). */
  public Optional<Long> pid(String podUid, String container) {
    PodEntry pod = pods.get(podUid);
    if (pod == null) {
      return Optional.empty();
    }
    synchronized (pod) {
      List<Inst> list = pod.containers.get(container);
      if (list == null || list.isEmpty()) {
        return Optional.empty();
      }
      Inst last = list.get(list.size() - 1);
      return last.info.running() && last.handle != null ? Optional.of(last.handle.pid()) : Optional.empty();
    }
  }

  @Override
  public void removePod(String podUid) {
    PodEntry pod = pods.remove(podUid);
    if (pod == null) {
      return;
    }
    try {
      // from here on the directory is a leftover to clean up, also for an agent that starts after this one died
      Files.writeString(pod.dir.resolve(REMOVED), Instant.now().toString());
    } catch (IOException e) {
      LOG.debug("cannot mark {} removed", pod.dir, e);
    }
    synchronized (pod) {
      for (List<Inst> list : pod.containers.values()) {
        for (Inst i : list) {
          if (i.handle != null && i.handle.isAlive()) {
            killDescendants(i);
            i.handle.destroyForcibly();
          }
        }
      }
    }
    synchronized (leftovers) {
      leftovers.add(pod);
      cleanLeftovers();
    }
  }

  /**
   * Cleans up what removed pods left on the machine, level-triggered: kills what is left in their
   * cgroups and removes those, removes the mount points their containers created, unmounts what the
   * agent mounted for them (memory-backed emptyDirs) and only then deletes their directories. What
   * cannot go yet (a busy mount, a cgroup whose processes are still being reaped) stays a leftover,
   * tried again at the next removal and by the next agent on this data directory.
   */
  private void cleanLeftovers() {
    for (java.util.Iterator<PodEntry> it = leftovers.iterator(); it.hasNext(); ) {
      PodEntry pod = it.next();
      boolean cgroupsGone = cgroups.killAndRemovePod(pod.uid);
      removeMountPoints(pod);
      boolean unmounted = io.kafkube.agent.volume.HostMounts.unmountUnder(pod.dir);
      if (cgroupsGone && unmounted) {
        deleteTree(pod.dir);
        it.remove();
        LOG.info("[process-runtime] removed pod {}", pod.uid);
      } else {
        LOG.warn("[process-runtime] pod {} is not fully removed yet (cgroups removed: {}, unmounted: {}): "
            + "trying again later", pod.uid, cgroupsGone, unmounted);
      }
    }
  }

  /** The directories of removed pods that are not gone yet (tests and diagnostics). */
  public Set<String> leftovers() {
    synchronized (leftovers) {
      Set<String> out = new java.util.TreeSet<>();
      leftovers.forEach(p -> out.add(p.uid));
      return out;
    }
  }

  /**
   * Removes the host mount points a pod's containers created, once none of them runs, sparing those
   * another running container (of any pod) has mounted in its namespace. The spared ones are kept in
   * {@code mountpoints.spared} beside the pods and tried again whenever mount points are removed: the
   * pod that created one may be gone before the last container using it ends.
   */
  private void removeMountPoints(PodEntry pod) {
    synchronized (sparedMountPoints) {
      removeMountPointsLocked(pod);
    }
  }

  private void removeMountPointsLocked(PodEntry pod) {
    Set<String> inUse = new HashSet<>();
    for (PodEntry p : pods.values()) {
      synchronized (p) {
        for (List<Inst> list : p.containers.values()) {
          for (Inst i : list) {
            if (i.ownMountNamespace && i.info.running() && i.handle != null && i.handle.isAlive()) {
              inUse.addAll(ContainerMounts.mountPoints(i.handle.pid()));
            }
          }
        }
      }
    }
    Set<String> spared = new java.util.TreeSet<>();
    Path sparedFile = podsDir.resolve("mountpoints.spared");
    if (Files.exists(sparedFile)) {
      spared.addAll(ContainerMounts.removeCreated(sparedFile, inUse));
    }
    Path containers = pod == null ? null : pod.dir.resolve("containers");
    if (containers != null && Files.isDirectory(containers)) {
      try (Stream<Path> created = Files.walk(containers)) {
        created.filter(p -> p.getFileName().toString().equals("mountpoints.created"))
            .forEach(f -> spared.addAll(ContainerMounts.removeCreated(f, inUse)));
      } catch (IOException e) {
        LOG.debug("cannot list the mount points of {}", pod.uid, e);
      }
    }
    try {
      if (spared.isEmpty()) {
        Files.deleteIfExists(sparedFile);
      } else {
        Files.write(sparedFile, spared, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      LOG.debug("cannot record the spared mount points {}", spared, e);
    }
  }

  @Override
  public Optional<String> logs(String podUid, String container, boolean previous) {
    Inst inst = instance(podUid, container, previous);
    if (inst == null) {
      return Optional.empty();
    }
    if (inst.log == null || !Files.exists(inst.log)) {
      return Optional.of(inst.info.message() == null ? "" : inst.info.message() + "\n");
    }
    try (Stream<String> lines = Files.lines(inst.log, StandardCharsets.UTF_8)) {
      StringBuilder out = new StringBuilder();
      lines.map(CriLogLine::parse).filter(java.util.Objects::nonNull).forEach(l -> out.append(l.output()));
      return Optional.of(out.toString());
    } catch (IOException | UncheckedIOException e) {
      return Optional.empty();
    }
  }

  @Override
  public Optional<LogFile> logFile(String podUid, String container, boolean previous) {
    Inst inst = instance(podUid, container, previous);
    if (inst == null || inst.log == null) {
      return Optional.empty();
    }
    return Optional.of(new LogFile(inst.log, inst.info.running(),
        inst.exited.thenCombine(inst.logClosed, (i, v) -> i)));
  }

  /** The latest (or the previous) instance of a container, or null. */
  private Inst instance(String podUid, String container, boolean previous) {
    PodEntry pod = pods.get(podUid);
    if (pod == null) {
      return null;
    }
    synchronized (pod) {
      List<Inst> list = pod.containers.get(container);
      int idx = list == null ? -1 : list.size() - (previous ? 2 : 1);
      return idx < 0 ? null : list.get(idx);
    }
  }

  /** With {@code tty}, util-linux {@code script} gives the command a pseudo-terminal and returns its exit code. */
  @Override
  public Process startExec(String podUid, String container, List<String> command, boolean tty) throws IOException {
    Inst inst = instance(podUid, container, false);
    if (inst == null || !inst.info.running()) {
      throw new IllegalStateException("container " + container + " is not running");
    }
    List<String> argv = command;
    if (tty) {
      StringBuilder quoted = new StringBuilder("exec");
      command.forEach(a -> quoted.append(" '").append(a.replace("'", "'\\''")).append('\''));
      argv = List.of("script", "-qefc", AWAIT_TERMINAL_SIZE + quoted, "/dev/null");
    }
    ProcessBuilder pb = new ProcessBuilder(entering(inst, argv));
    if (inst.workDir != null) {
      pb.directory(new File(inst.workDir));
    }
    pb.environment().clear();
    pb.environment().putAll(inst.env);
    if (tty) {
      pb.environment().putIfAbsent("TERM", "xterm");
    }
    return pb.start();
  }

  /**
   * A command run as a process of a running container: in its cgroup (its limits count it, an exec
   * probe's fork bomb meets the pod's pids limit) and in its mount namespace (its volumes at their
   * mount paths), as {@code runc exec} runs exec probes, hooks and {@code kubectl exec}.
   */
  private static List<String> entering(Inst inst, List<String> command) {
    List<String> argv = new ArrayList<>();
    if (inst.cgroup != null) {
      StringBuilder join = new StringBuilder();
      for (Path procs : inst.cgroup.procsFiles()) {
        String q = io.kafkube.agent.volume.MountNamespaces.quote(procs.toString());
        join.append("echo $$ > ").append(q).append(" || { echo \"kafkube: cannot join the cgroup ").append(q)
            .append("\" >&2; exit 126; }; ");
      }
      argv.addAll(List.of("sh", "-c", join + "exec \"$@\"", "kafkube-exec"));
    }
    if (inst.ownMountNamespace && inst.handle != null) {
      // the container's own view of the filesystem (its volumes at their mount paths)
      argv.addAll(List.of("nsenter", "-t", Long.toString(inst.handle.pid()), "-m", "--"));
    }
    argv.addAll(command);
    return argv;
  }

  /**
   * Sets the size of an exec's pseudo-terminal (the resize channel): {@code stty -F} on the terminal
   * of the command {@code script} started, which gets SIGWINCH as on a real terminal. False when that
   * command has not started yet (or has no terminal): the caller tries again.
   */
  @Override
  public boolean resizeTerminal(Process exec, int width, int height) {
    for (ProcessHandle child : exec.toHandle().children().toList()) {
      for (int fd = 0; fd <= 2; fd++) {
        Path tty;
        try {
          tty = Files.readSymbolicLink(Path.of("/proc", Long.toString(child.pid()), "fd", Integer.toString(fd)));
        } catch (IOException | UnsupportedOperationException e) {
          continue;
        }
        if (!tty.toString().startsWith("/dev/pts/")) {
          continue;
        }
        try {
          Process stty = new ProcessBuilder("stty", "-F", tty.toString(), "cols", Integer.toString(width), "rows",
              Integer.toString(height)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
          return stty.waitFor(5, TimeUnit.SECONDS) && stty.exitValue() == 0;
        } catch (IOException e) {
          LOG.debug("cannot resize {}: {}", tty, e.toString());
          return false;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return false;
  }

  @Override
  public int exec(String podUid, String container, List<String> command, Duration timeout) {
    PodEntry pod = pods.get(podUid);
    Inst inst = null;
    if (pod != null) {
      synchronized (pod) {
        List<Inst> list = pod.containers.get(container);
        if (list != null && !list.isEmpty()) {
          inst = list.get(list.size() - 1);
        }
      }
    }
    if (inst == null || !inst.info.running() || command.isEmpty()) {
      return -1;
    }
    String path = inst.env.getOrDefault("PATH", hostPath);
    if (ImageCatalog.which(command.get(0), path).isEmpty()) {
      return 127;
    }
    ProcessBuilder pb = new ProcessBuilder(entering(inst, command))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true);
    if (inst.workDir != null) {
      pb.directory(new File(inst.workDir));
    }
    pb.environment().clear();
    pb.environment().putAll(inst.env);
    try {
      Process p = pb.start();
      if (!p.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      return 126;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Override
  public boolean realNetwork() {
    return true;
  }

  @Override
  public void onChange(Consumer<String> podUidListener) {
    listeners.add(podUidListener);
  }

  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
  }

  @Override
  public void stopAll(Duration grace) {
    List<CompletableFuture<ContainerInstance>> stops = new ArrayList<>();
    for (PodEntry pod : pods.values()) {
      List<String> names;
      synchronized (pod) {
        names = new ArrayList<>(pod.containers.keySet());
      }
      for (String n : names) {
        stops.add(stop(pod.uid, n, grace));
      }
    }
    try {
      CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
          .get(grace.toMillis() + 5000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("not every container stopped in time: killing the rest", e);
      for (PodEntry pod : pods.values()) {
        synchronized (pod) {
          pod.containers.values().forEach(l -> l.forEach(i -> {
            if (i.handle != null && i.handle.isAlive()) {
              killDescendants(i);
              i.handle.destroyForcibly();
            }
          }));
        }
      }
    }
    close();
  }

  // ---- files ----------------------------------------------------------------------------------

  private static Properties read(Path p) {
    if (!Files.isRegularFile(p)) {
      return null;
    }
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
      props.load(r);
      return props;
    } catch (IOException e) {
      return null;
    }
  }

  private static void write(Path p, Properties props) throws IOException {
    Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      props.store(w, null);
    }
    Files.move(tmp, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** The environment may hold Secret values: readable by the agent's user only. */
  private static void writeEnv(Path dir, Map<String, String> env) throws IOException {
    Path p = dir.resolve("env.properties");
    Files.deleteIfExists(p);
    try {
      Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(p);
    }
    Properties props = new Properties();
    props.putAll(env);
    try (Writer w = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
      props.store(w, null);
    }
  }

  private static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }

  private static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          LOG.debug("cannot delete {}", p, e);
        }
      });
    } catch (IOException e) {
      LOG.debug("cannot delete {}", dir, e);
    }
  }

  private static String loadWrapper() {
    try (InputStream in = ProcessRuntime.class.getResourceAsStream("/io/kafkube/agent/container-wrapper.sh")) {
      if (in == null) {
        throw new IllegalStateException("container-wrapper.sh is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
